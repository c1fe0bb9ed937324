/**
 * One command at a time per device. Card readers and face terminals answer one request at a time, and a
 * vendor library is rarely thread-safe, so commands wait their turn here.
 *
 * Each command has one deadline, counted from when it was asked for (waiting included): the caller gets a
 * timeout then, and the command's AbortSignal fires. The slot, however, stays taken until the work itself
 * settles — a native call stuck in a vendor library cannot be aborted, and starting the next call beside it
 * is exactly what must not happen. A late result of a timed-out command goes nowhere.
 */
import { DeviceError } from './errors';

export interface CommandQueueOptions {
  /** commands allowed to wait behind the running one; more are refused as busy */
  maxWaiting: number;
}

interface Pending {
  work: (signal: AbortSignal) => Promise<unknown>;
  controller: AbortController;
  settle: (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;
}

export class CommandQueue {
  private readonly waitingCommands: Pending[] = [];
  private running: Pending | undefined;
  private disposed = false;

  constructor(private readonly options: CommandQueueOptions) {}

  /** Whether a command holds the device, possibly one whose caller already gave up on it. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  get waiting(): number {
    return this.waitingCommands.length;
  }

  run<T>(work: (signal: AbortSignal) => Promise<T>, { timeoutMs }: { timeoutMs: number }): Promise<T> {
    if (this.disposed) return Promise.reject(new DeviceError('disposed'));
    if (this.running && this.waitingCommands.length >= this.options.maxWaiting) {
      return Promise.reject(new DeviceError('busy'));
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const controller = new AbortController();
      const pending: Pending = {
        work,
        controller,
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (outcome.ok) resolve(outcome.value as T);
          else reject(outcome.error);
        },
      };
      const timer = setTimeout(() => {
        const index = this.waitingCommands.indexOf(pending);
        if (index >= 0) this.waitingCommands.splice(index, 1);
        pending.settle({ ok: false, error: new DeviceError('timeout') });
        controller.abort(new DeviceError('timeout'));
      }, timeoutMs);
      this.waitingCommands.push(pending);
      this.next();
    });
  }

  /** Refuses what waits, aborts what runs; the running work still finishes in its own time. */
  dispose(): void {
    this.disposed = true;
    for (const pending of this.waitingCommands.splice(0)) {
      pending.settle({ ok: false, error: new DeviceError('disposed') });
    }
    if (this.running) {
      this.running.settle({ ok: false, error: new DeviceError('disposed') });
      this.running.controller.abort(new DeviceError('disposed'));
    }
  }

  private next(): void {
    if (this.running) return;
    const pending = this.waitingCommands.shift();
    if (!pending) return;
    this.running = pending;
    let work: Promise<unknown>;
    try {
      work = pending.work(pending.controller.signal);
    } catch (error) {
      work = Promise.reject(error);
    }
    void work.then(
      (value) => this.finish(pending, { ok: true, value }),
      (error: unknown) => this.finish(pending, { ok: false, error }),
    );
  }

  /** Frees the device before telling the caller, so a caller that reacts at once finds it free. */
  private finish(pending: Pending, outcome: Parameters<Pending['settle']>[0]): void {
    this.running = undefined;
    pending.settle(outcome);
    if (!this.disposed) this.next();
  }
}
