/**
 * The answer the running command waits for. Commands to a device run one at a time (CommandQueue), so there
 * is at most one waiter; anything that arrives and is not its answer is unsolicited, and the driver says so
 * instead of letting a late answer to an abandoned command pass for the current one.
 */
import { DeviceError } from '../errors';

interface Waiter<A> {
  accepts: (answer: A) => boolean;
  resolve: (answer: A) => void;
  reject: (error: unknown) => void;
}

export class PendingAnswer<A> {
  private waiter: Waiter<A> | undefined;

  /** Waits for the first answer `accepts` takes; rejects with the signal's reason when it aborts. */
  wait(accepts: (answer: A) => boolean, signal: AbortSignal): Promise<A> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<A>((resolve, reject) => {
      const done = () => {
        signal.removeEventListener('abort', onAbort);
        if (this.waiter === waiter) this.waiter = undefined;
      };
      const waiter: Waiter<A> = {
        accepts,
        resolve: (answer) => {
          done();
          resolve(answer);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = waiter;
    });
  }

  /** Hands an answer to the waiter; false when nobody waits for it. */
  offer(answer: A): boolean {
    const waiter = this.waiter;
    if (!waiter?.accepts(answer)) return false;
    waiter.resolve(answer);
    return true;
  }

  /** The connection went away: the answer will not come. */
  fail(error: unknown = new DeviceError('offline')): void {
    this.waiter?.reject(error);
  }
}
