/**
 * Test support: records an event source and waits on it with a deadline — never a fixed sleep (tests wait
 * for outcomes, as Signal's mock-server tests do).
 */
import type { Disposable } from '../../shared/lifecycle';

export interface LoggedEvent<T> {
  value: T;
  /** performance.now() when the event fired */
  at: number;
}

export class EventLog<T> implements Disposable {
  readonly events: LoggedEvent<T>[] = [];
  private readonly subscription: Disposable;
  private readonly waiters = new Set<{ check: () => void; cancel: () => void }>();

  constructor(subscribe: (listener: (value: T) => void) => Disposable) {
    this.subscription = subscribe((value) => {
      this.events.push({ value, at: performance.now() });
      for (const waiter of [...this.waiters]) waiter.check();
    });
  }

  get values(): T[] {
    return this.events.map((event) => event.value);
  }

  /** A position in the log; pass it to waitFor to consider only events that come after it. */
  mark(): number {
    return this.events.length;
  }

  /** Resolves with the first event at or after `after` (default: from now on) that matches. */
  waitFor(
    predicate: (value: T) => boolean,
    { after = this.mark(), timeoutMs = 5000, what = 'event' }: { after?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<LoggedEvent<T>> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        this.waiters.delete(waiter);
        clearTimeout(timer);
      };
      const waiter = {
        check: () => {
          const found = this.events.slice(after).find((event) => predicate(event.value));
          if (!found) return;
          finish();
          resolve(found);
        },
        cancel: () => {
          finish();
          reject(new Error(`stopped waiting for ${what}: event log disposed`));
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${timeoutMs} ms; saw ${JSON.stringify(this.values.slice(after))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const waiter of [...this.waiters]) waiter.cancel();
  }
}
