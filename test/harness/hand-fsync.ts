/** Group-commit tests' tools: an fsync completed by hand, and a look at whether a promise has settled yet. */
import type { Fsync } from '../../src/station/store';

/** An fsync the test completes by hand, one call at a time. */
export function handFsync() {
  const calls: { fd: number; done: () => void; fail: (e: Error) => void }[] = [];
  const fsync: Fsync = (fd) => new Promise((resolve, reject) => calls.push({ fd, done: resolve, fail: reject }));
  return { fsync, calls };
}

/** Whether a promise has settled, after the microtasks queued so far ran. */
export async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}
