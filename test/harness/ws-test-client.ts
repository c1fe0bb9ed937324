/** Test support: a minimal client of the loopback host's wire protocol, as a renderer would speak it. */
import { WebSocket } from 'ws';
import type { Result } from '../../src/shared/result';
import type { LoopbackHost } from '../../src/host/loopback-host';

export interface TestClient {
  ws: WebSocket;
  call<T = unknown>(op: string, input?: unknown): Promise<Result<T>>;
  events: { event: string; payload: unknown }[];
  /** Resolves with the first event (already received or coming) that matches. */
  nextEvent<T = unknown>(event: string, match?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): void;
}

export async function connect(host: LoopbackHost, opts: { token?: string; origin?: string } = {}): Promise<TestClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/station?token=${opts.token ?? host.token}`, {
    headers: { origin: opts.origin ?? host.origin },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let next = 1;
  const events: { event: string; payload: unknown }[] = [];
  const waiters = new Set<() => void>();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { t: string; id: number; result: Result<unknown>; event: string; payload: unknown };
    if (msg.t === 'result') pending.get(msg.id)?.(msg.result);
    else {
      events.push({ event: msg.event, payload: msg.payload });
      for (const w of [...waiters]) w();
    }
  });
  return {
    ws,
    events,
    call: <T>(op: string, input: unknown = {}) =>
      new Promise<Result<T>>((resolve) => {
        const id = next++;
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ t: 'call', id, op, input }));
      }),
    nextEvent: <T>(event: string, match: (payload: T) => boolean = () => true, timeoutMs = 10_000) =>
      new Promise<T>((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < events.length; seen++) {
            const e = events[seen]!;
            if (e.event === event && match(e.payload as T)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(e.payload as T);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} event in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => ws.close(),
  };
}
