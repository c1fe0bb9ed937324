import type { StationEventMap, StationEventName } from '../shared/api';

type Listener = <E extends StationEventName>(event: E, payload: StationEventMap[E]) => void;

/** Station-wide events (devices, scans, connectivity). Listeners are isolated: one that throws harms no other. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends StationEventName>(event: E, payload: StationEventMap[E]): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch (e) {
        console.error(`[events] listener failed on ${event}:`, e);
      }
    }
  }

  listen(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
}
