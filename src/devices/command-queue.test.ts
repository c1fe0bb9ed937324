import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandQueue } from './command-queue';
import { DeviceError } from './errors';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CommandQueue', () => {
  it('runs one command at a time, in the order asked', async () => {
    const queue = new CommandQueue({ maxWaiting: 5 });
    const log: string[] = [];
    const first = deferred<string>();
    const a = queue.run(
      async () => {
        log.push('a starts');
        return first.promise;
      },
      { timeoutMs: 1000 },
    );
    const b = queue.run(
      async () => {
        log.push('b starts');
        return 'b';
      },
      { timeoutMs: 1000 },
    );
    await settle();
    expect(log).toEqual(['a starts']);
    expect(queue.busy).toBe(true);
    expect(queue.waiting).toBe(1);
    first.resolve('a');
    expect(await a).toBe('a');
    expect(await b).toBe('b');
    expect(log).toEqual(['a starts', 'b starts']);
    expect(queue.busy).toBe(false);
  });

  it('passes a command failure to its caller and goes on with the next', async () => {
    const queue = new CommandQueue({ maxWaiting: 5 });
    const failing = queue.run(
      async () => {
        throw new DeviceError('no-card');
      },
      { timeoutMs: 1000 },
    );
    const next = queue.run(async () => 'next', { timeoutMs: 1000 });
    await expect(failing).rejects.toMatchObject({ code: 'no-card' });
    expect(await next).toBe('next');
  });

  it('times out a caller but keeps the device taken until the work really ends', async () => {
    const queue = new CommandQueue({ maxWaiting: 5 });
    const stuck = deferred<string>();
    let aborted: unknown;
    const hung = queue.run(
      (signal) => {
        signal.addEventListener('abort', () => (aborted = signal.reason));
        return stuck.promise; // ignores the abort, like a native call
      },
      { timeoutMs: 100 },
    );
    const hungResult = hung.catch((error: unknown) => error);
    let secondStarted = false;
    const second = queue.run(
      async () => {
        secondStarted = true;
        return 'second';
      },
      { timeoutMs: 10_000 },
    );

    await settle(100);
    expect(await hungResult).toMatchObject({ code: 'timeout' });
    expect(aborted).toMatchObject({ code: 'timeout' });
    await settle(1000);
    expect(secondStarted).toBe(false);
    expect(queue.busy).toBe(true);

    stuck.resolve('late'); // the late result goes nowhere
    expect(await second).toBe('second');
  });

  it('counts waiting time against the deadline and drops a command that expired in the queue', async () => {
    const queue = new CommandQueue({ maxWaiting: 5 });
    const running = deferred<void>();
    void queue.run(() => running.promise, { timeoutMs: 10_000 });
    let ran = false;
    const waiting = queue.run(
      async () => {
        ran = true;
      },
      { timeoutMs: 50 },
    );
    const outcome = waiting.catch((error: unknown) => error);
    await settle(50);
    expect(await outcome).toMatchObject({ code: 'timeout' });
    expect(queue.waiting).toBe(0);
    running.resolve();
    await settle();
    expect(ran).toBe(false);
  });

  it('refuses commands beyond maxWaiting as busy', async () => {
    const queue = new CommandQueue({ maxWaiting: 1 });
    const running = deferred<void>();
    void queue.run(() => running.promise, { timeoutMs: 1000 });
    void queue.run(async () => undefined, { timeoutMs: 1000 });
    await expect(queue.run(async () => undefined, { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'busy' });
    running.resolve();
  });

  it('dispose refuses waiting and new commands, aborts the running one, and leaves no timer', async () => {
    const queue = new CommandQueue({ maxWaiting: 5 });
    let signal: AbortSignal | undefined;
    const running = queue.run(
      (s) => {
        signal = s;
        return new Promise<void>((resolve) => s.addEventListener('abort', () => resolve()));
      },
      { timeoutMs: 1000 },
    );
    const waiting = queue.run(async () => undefined, { timeoutMs: 1000 });
    await settle();
    queue.dispose();
    await expect(running).rejects.toMatchObject({ code: 'disposed' });
    await expect(waiting).rejects.toMatchObject({ code: 'disposed' });
    await expect(queue.run(async () => undefined, { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'disposed' });
    expect(signal?.aborted).toBe(true);
    await settle();
    expect(vi.getTimerCount()).toBe(0);
  });
});
