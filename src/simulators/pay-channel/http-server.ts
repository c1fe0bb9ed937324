/**
 * The HTTP leg shared by the payment platform, HIS and message gateway simulators: a JSON POST server on
 * 127.0.0.1 that applies the transport faults of faults.ts around whatever the service computes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fault } from './faults';

const MAX_BODY = 1024 * 1024;

export interface Exchange {
  path: string;
  body: string;
  /** Destroys the connection before anything is processed (drop-request). */
  drop(): void;
  /** Sends the answer, applying delay / drop-response / malformed-json. */
  answer(status: number, body: string, fault?: Fault): Promise<void>;
}

export interface JsonServer {
  origin: string;
  close(): Promise<void>;
}

export async function startJsonServer(opts: {
  name: string;
  port?: number;
  handle: (exchange: Exchange) => Promise<void>;
}): Promise<JsonServer> {
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = http.createServer((req, res) => {
    const exchange = async () => {
      if (req.method !== 'POST') return send(res, 405, '{"error":"POST only"}');
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, '{"error":"body too large"}');
      const path = new URL(req.url ?? '/', 'http://sim').pathname.replace(/\/+$/, '');
      await opts.handle({
        path,
        body,
        drop: () => req.socket.destroy(),
        answer: async (status, text, fault) => {
          if (fault?.kind === 'delay') await wait(fault.ms);
          if (fault?.kind === 'drop-response') return void res.socket?.destroy();
          if (fault?.kind === 'http-500') return sendText(res, 500, '<html><body>500 Internal Server Error</body></html>');
          send(res, status, fault?.kind === 'malformed-json' ? text.slice(0, Math.floor(text.length / 2)) : text);
        },
      });
    };
    exchange().catch((error: unknown) => {
      // A simulator bug must be loud in tests, not pass for an injected fault.
      console.error(`[${opts.name}] internal error`, error);
      if (!res.headersSent) send(res, 500, '{"error":"simulator internal error"}');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: http.ServerResponse, status: number, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: http.ServerResponse, status: number, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The JSON object in `text`, or undefined. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
