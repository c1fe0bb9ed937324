/**
 * Reads what arrives at one end of a pty pair, for tests of the cable, the emulators and the transport
 * (the app's own driver is tested against the emulators, not with this). A libuv tty handle, not fs streams:
 * a blocking fs read on a quiet tty would hold a thread-pool thread until the next byte.
 */
import { constants, openSync } from 'node:fs';
import { ReadStream } from 'node:tty';

export interface PtyEndReader {
  received(): Buffer;
  /** Resolves once `predicate` holds for everything received so far; rejects after `timeoutMs`. */
  waitFor(predicate: (received: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
  close(): void;
}

export function readPtyEnd(path: string): PtyEndReader {
  const stream = new ReadStream(openSync(path, constants.O_RDONLY | constants.O_NOCTTY));
  let received = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  stream.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    for (const check of [...waiters]) check();
  });
  stream.on('error', () => undefined); // EIO once the cable is unplugged: the reader just stops
  return {
    received: () => received,
    waitFor(predicate, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${path}: condition not met within ${timeoutMs} ms; got ${JSON.stringify(received.toString('latin1'))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => stream.destroy(),
  };
}
