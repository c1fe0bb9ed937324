/**
 * The StationApi over a loopback WebSocket, for running without the Electron binary and for tests. Bound to
 * 127.0.0.1 on a random port; a per-launch random token (compared in constant time) and an Origin equal to our
 * own page are both required before a socket is accepted. Each socket is one ClientSession of the core.
 * The token never appears on a command line: the page to open carries a one-time launch code that the page
 * trades once for the token (POST /session); a second trade, or one from another Origin, is refused.
 */
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  LAUNCH_CODE_PARAM,
  MAX_CLIENT_FRAME_BYTES,
  SESSION_PATH,
  STATION_SOCKET_PATH,
  TOKEN_PARAM,
  parseCall,
  type ServerMessage,
} from '../shared/wire';
import { err } from '../shared/result';
import type { StationCore } from '../station/api/core-contract';
import { serveStatic } from './static-files';

export interface LoopbackHost {
  /** The page to open, a one-time launch code in the fragment (never sent in a request line or a Referer). */
  pageUrl: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startLoopbackHost(opts: { core: StationCore; rendererDir: string; port?: number }): Promise<LoopbackHost> {
  const token = randomBytes(24).toString('base64url');
  let launchCode: string | null = randomBytes(24).toString('base64url');
  let port = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === SESSION_PATH) {
      void readBody(req).then((given) => {
        const accepted = req.headers.origin === `http://127.0.0.1:${port}` && launchCode !== null && sameToken(given, launchCode);
        if (accepted) launchCode = null;
        res.writeHead(accepted ? 200 : 403, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(accepted ? JSON.stringify({ token }) : '{}');
      });
      return;
    }
    void serveStatic(opts.rendererDir, port, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    if (
      url.pathname !== STATION_SOCKET_PATH ||
      origin !== `http://127.0.0.1:${port}` ||
      !sameToken(url.searchParams.get(TOKEN_PARAM), token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(opts.core, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    pageUrl: `${origin}/index.html#${LAUNCH_CODE_PARAM}=${launchCode}`,
    origin,
    port,
    token,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The launch code is short; anything longer than a few hundred bytes is not one. */
async function readBody(req: http.IncomingMessage): Promise<string | null> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 512) return null;
  }
  return body;
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function attach(core: StationCore, ws: WebSocket): void {
  const session = core.openSession('ws');
  const send = (msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const subscription = core.subscribe(session, (event, payload) => send({ t: 'event', event, payload }));

  ws.on('message', (data, isBinary) => {
    const msg = isBinary ? null : parseCall(data.toString());
    if (!msg) {
      // A malformed frame has no id to answer; close the socket: a well-behaved client never sends one.
      ws.close(1008, 'malformed message');
      return;
    }
    core.dispatch(session, msg.op, msg.input).then(
      (result) => send({ t: 'result', id: msg.id, result }),
      () => send({ t: 'result', id: msg.id, result: err('INTERNAL', '工作站内部错误') }),
    );
  });
  // A frame over the limit (or a broken one) is reported here after ws has closed the socket (1009 / 1002); without
  // a listener the 'error' event would be thrown and take the whole station down.
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    subscription.dispose();
    core.closeSession(session);
  });
}
