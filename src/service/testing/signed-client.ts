/** Tests and tools: calls the service as a registered app would, signing each request (HMAC-SM3). */
import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADERS, signRequest } from '../signing';

export interface SignedCall {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  /** Override what is signed or sent, to test refusals. */
  timestamp?: number;
  nonce?: string;
  secret?: string;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

export function signedClient(baseUrl: string, app: { appId: string; secret: string }, now: () => number = Date.now) {
  return async (c: SignedCall): Promise<Answer> => {
    const body = c.body === undefined ? '' : JSON.stringify(c.body);
    const timestamp = String(c.timestamp ?? now());
    const nonce = c.nonce ?? randomBytes(16).toString('hex');
    const signature = signRequest(c.secret ?? app.secret, {
      method: c.method,
      pathAndQuery: c.path,
      appId: app.appId,
      timestamp,
      nonce,
      body,
    });
    const res = await fetch(baseUrl + c.path, {
      method: c.method,
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADERS.appId]: app.appId,
        [SIGNATURE_HEADERS.timestamp]: timestamp,
        [SIGNATURE_HEADERS.nonce]: nonce,
        [SIGNATURE_HEADERS.signature]: signature,
        ...(c.idempotencyKey ? { 'idempotency-key': c.idempotencyKey } : {}),
        ...c.headers,
      },
      ...(c.method === 'POST' ? { body } : {}),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
  };
}
