/**
 * Disposables and a minimal event emitter (VS Code `lifecycle.ts` / `Emitter`): every `onX(cb)` of a device
 * returns something to dispose, and a throwing listener never breaks the driver that fires the event.
 */

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

export type ListenerErrorHandler = (error: unknown) => void;

const reportToConsole: ListenerErrorHandler = (error) => console.error('[devices] event listener threw', error);

export class Emitter<T> {
  // Entries are wrapped so that subscribing the same function twice yields two independent subscriptions.
  private readonly listeners = new Set<{ listener: Listener<T> }>();

  constructor(private readonly onListenerError: ListenerErrorHandler = reportToConsole) {}

  /** Subscribe; the returned disposable unsubscribes (idempotent). */
  readonly event = (listener: Listener<T>): Disposable => {
    const entry = { listener };
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  fire(value: T): void {
    // Snapshot: a listener may unsubscribe itself or others while we iterate.
    for (const entry of [...this.listeners]) {
      if (!this.listeners.has(entry)) continue;
      try {
        entry.listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** Disposes several disposables at once, e.g. the listeners attached to one connection. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();

  add<D extends Disposable>(item: D): D {
    this.items.add(item);
    return item;
  }

  dispose(): void {
    for (const item of this.items) item.dispose();
    this.items.clear();
  }
}
