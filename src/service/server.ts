/**
 * The settlement service's HTTP server (node:http): every /v1 request is signed by a registered app, within its
 * rate, and every POST carries an Idempotency-Key — the same key and body get the first answer again, another
 * body a 409. Inputs through zod; every refusal is `{ error: { code, message } }` with a status that says it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ServiceError, toServiceError } from './errors';
import { matcher, type Route } from './routes';
import { verifyRequest } from './signing';
import { RateLimiter } from './rate-limit';
import { requestHash, type RequestBooks } from './request-books';
import type { AppKey } from './app-keys';
import type { PhoneSessions } from './phone-sessions';
import { PHONE_PAGE_PREFIX, servePhonePage } from './phone-page-files';

const MAX_BODY_BYTES = 64 * 1024;
/** A patient's page asks a few times per step; more than this per minute is not a person. */
export const PHONE_RATE_PER_MINUTE = 120;
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export interface ServiceServerOptions {
  routes: readonly Route[];
  apps: () => readonly AppKey[];
  books: RequestBooks;
  openApi: () => Record<string, unknown>;
  now: () => number;
  sessions: PhoneSessions;
  /** The built patient page (dist/phone), served under /m/. */
  phonePageDir: string;
  host?: string;
  port?: number;
  onError?: (e: unknown) => void;
  /** Unsigned POSTs from the payment centre (not an app): each answered with what its handler says once recorded. */
  callbacks?: readonly ServiceCallback[];
}

export interface ServiceCallback {
  path: string;
  handle(body: unknown): Promise<unknown>;
}

export interface ServiceServer {
  url: string;
  close(): Promise<void>;
}

export async function startServiceServer(o: ServiceServerOptions): Promise<ServiceServer> {
  const match = matcher(o.routes);
  const limiter = new RateLimiter(o.now);
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname.startsWith(PHONE_PAGE_PREFIX) && !pathname.startsWith(`${PHONE_PAGE_PREFIX}api/`)) {
      void servePhonePage(o.phonePageDir, pathname.slice(PHONE_PAGE_PREFIX.length), req, res);
      return;
    }
    void handle(req).then(
      (a) => send(res, a.status, a.body, a.headers),
      (e: unknown) => {
        const se = toServiceError(e);
        if (se.status >= 500 && se.code === 'INTERNAL') o.onError?.(e);
        send(res, se.status, { error: { code: se.code, message: se.message, ...issuesOf(e) } }, se.headers);
      },
    );
  });

  async function handle(req: http.IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/openapi.json') return { status: 200, body: o.openApi() };
    if (method === 'GET' && url.pathname === '/health') return { status: 200, body: { ok: true } };
    const callback = method === 'POST' ? o.callbacks?.find((c) => c.path === url.pathname) : undefined;
    if (callback) return { status: 200, body: await callback.handle(jsonOrNull(await readBody(req))) };
    const found = match(method, url.pathname);
    if (found === 'method') throw new ServiceError(405, 'NOT_FOUND', '该地址不支持此方法');
    if (!found) throw new ServiceError(404, 'NOT_FOUND', '没有这个接口');
    const body = await readBody(req);
    const pathAndQuery = url.pathname + url.search;
    const { route, params } = found;
    const { appId, sessionIptNo } = authenticate(route, req, method, pathAndQuery, body);
    const parsedParams = parse(route.params, params);
    const parsedBody = route.body ? parse(route.body, jsonOf(body)) : undefined;
    const ctx = { appId, sessionIptNo, params: parsedParams, body: parsedBody };
    if (method !== 'POST') return { status: route.status, body: await respond(route, ctx) };

    const key = IdempotencyKey.safeParse(req.headers['idempotency-key']);
    if (!key.success) throw new ServiceError(400, 'IDEMPOTENCY_KEY_REQUIRED', '缺少 Idempotency-Key 请求头（8–64 位字母、数字、-、_）');
    const claim = o.books.claim(appId, key.data, requestHash(method, pathAndQuery, body), o.now());
    if (claim.kind === 'reused') throw new ServiceError(409, 'IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个请求');
    if (claim.kind === 'in-progress') throw new ServiceError(409, 'IDEMPOTENCY_IN_PROGRESS', '相同请求正在处理，请稍后查询');
    if (claim.kind === 'answered') return { ...claim.answer, headers: { 'Idempotent-Replayed': 'true' } };
    try {
      const answer = { status: route.status, body: await respond(route, ctx) };
      o.books.answer(appId, key.data, answer);
      return answer;
    } catch (e) {
      const se = toServiceError(e);
      // A refusal is an answer too; an outcome not known (5xx) lets the same key try again.
      if (se.status < 500) o.books.answer(appId, key.data, { status: se.status, body: { error: { code: se.code, message: se.message } } });
      else o.books.release(appId, key.data);
      throw e;
    }
  }

  /** A signed app (its rate), or a patient page's session (limited to its stay, at a person's rate). */
  function authenticate(
    route: Route,
    req: http.IncomingMessage,
    method: string,
    pathAndQuery: string,
    body: string,
  ): { appId: string; sessionIptNo: string | null } {
    if (route.auth === 'phone-session') {
      const session = o.sessions.resolve(req.headers.authorization);
      limit(`phone:${session.iptNo}`, PHONE_RATE_PER_MINUTE);
      return { appId: session.appId, sessionIptNo: session.iptNo };
    }
    const apps = o.apps();
    const appId = verifyRequest(
      req.headers,
      { method, pathAndQuery, body },
      {
        secretOf: (id) => apps.find((a) => a.appId === id)?.secret,
        firstUse: (id, nonce, at) => o.books.firstUse(id, nonce, at),
        now: o.now,
      },
    );
    limit(appId, apps.find((a) => a.appId === appId)!.ratePerMinute);
    return { appId, sessionIptNo: null };
  }

  function limit(who: string, perMinute: number): void {
    const wait = limiter.take(who, perMinute);
    if (wait > 0) throw new ServiceError(429, 'RATE_LIMITED', `请求过于频繁，请 ${wait} 秒后再试`, { 'Retry-After': String(wait) });
  }

  async function respond(
    route: Route,
    ctx: { appId: string; sessionIptNo: string | null; params: unknown; body: unknown },
  ): Promise<unknown> {
    const value = await route.handle(ctx);
    // Our own answer out of its schema is our bug: never sent half-checked.
    return route.response.parse(value);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new InputError(r.error);
  return r.data;
}

class InputError extends ServiceError {
  constructor(readonly zodError: z.ZodError) {
    super(400, 'INVALID_INPUT', '请求参数不正确');
  }
}

function issuesOf(e: unknown): { issues?: string[] } {
  return e instanceof InputError ? { issues: e.zodError.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) } : {};
}

function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ServiceError(400, 'INVALID_INPUT', '请求体不是合法的 JSON');
  }
}

/** A callback's body that is not JSON is the handler's to refuse (in the centre's own answer format). */
function jsonOrNull(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError(413, 'PAYLOAD_TOO_LARGE', '请求体过大'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}
