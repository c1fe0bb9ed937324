/**
 * The one lifecycle module (VS Code's `lifecycle.ts` / `event.ts`): every subscription returns a Disposable, a
 * DisposableStore ends a group of them at once, an Emitter fires one kind of event and an EventBus several named
 * ones. A throwing listener never breaks whoever fires the event (a device driver, the station core) nor the other
 * listeners. Used by the devices, the station core and the shells alike; no Node, no DOM.
 */

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

export type ListenerErrorHandler = (error: unknown) => void;

const reportToConsole: ListenerErrorHandler = (error) => console.error('[events] a listener threw', error);

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

/** A listener of every event of a bus, told which one fired. */
export type BusListener<M> = <E extends keyof M>(event: E, payload: M[E]) => void;

/**
 * Several named events on one channel (the station's events to its windows): `emit('orderUpdated', view)`;
 * `listen((event, payload) => …)` hears them all, in the order emitted.
 */
export class EventBus<M extends object> {
  private readonly emitter: Emitter<{ event: keyof M; payload: M[keyof M] }>;

  constructor(onListenerError: ListenerErrorHandler = reportToConsole) {
    this.emitter = new Emitter(onListenerError);
  }

  emit<E extends keyof M>(event: E, payload: M[E]): void {
    this.emitter.fire({ event, payload });
  }

  listen(listener: BusListener<M>): Disposable {
    return this.emitter.event(({ event, payload }) => listener(event, payload as M[typeof event]));
  }

  get listenerCount(): number {
    return this.emitter.listenerCount;
  }
}
