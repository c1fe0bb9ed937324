/**
 * Request signing for the hospital's apps: HMAC-SM3 with the app's secret over a canonical string — method, path
 * with query, app id, timestamp, nonce and the body's SM3 — so neither the body nor the address can be changed,
 * and a timestamp outside the window or a nonce seen before is refused (the nonce book is the store's).
 *
 *   X-App-Id, X-Timestamp (ms since the epoch), X-Nonce (16–64 letters/digits), X-Signature (hex)
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { hmacSm3, sm3Hex, toHex, fromHex } from '../insurance/crypto';
import { ServiceError } from './errors';

export const SIGNATURE_HEADERS = { appId: 'x-app-id', timestamp: 'x-timestamp', nonce: 'x-nonce', signature: 'x-signature' } as const;

/** How far a request's clock may be from ours, either way. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export interface SignedParts {
  method: string;
  pathAndQuery: string;
  appId: string;
  timestamp: string;
  nonce: string;
  body: string;
}

export function canonicalString(p: SignedParts): string {
  return [p.method.toUpperCase(), p.pathAndQuery, p.appId, p.timestamp, p.nonce, sm3Hex(p.body)].join('\n');
}

/** The signature an app puts in X-Signature (the secret is hex, as the key file holds it). */
export function signRequest(secretHex: string, p: SignedParts): string {
  return toHex(hmacSm3(fromHex(secretHex), canonicalString(p)));
}

export const SignatureHeaders = z.object({
  [SIGNATURE_HEADERS.appId]: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/),
  [SIGNATURE_HEADERS.timestamp]: z.string().regex(/^\d{13}$/),
  [SIGNATURE_HEADERS.nonce]: z.string().regex(/^[A-Za-z0-9]{16,64}$/),
  [SIGNATURE_HEADERS.signature]: z.string().regex(/^[0-9a-f]{64}$/i),
});

export interface VerifyDeps {
  secretOf(appId: string): string | undefined;
  /** Records the nonce; false when this app used it before (within the window the book keeps). */
  firstUse(appId: string, nonce: string, at: number): boolean;
  now(): number;
}

/** The app a request comes from, or the reason it is refused (401). */
export function verifyRequest(
  headers: Record<string, string | string[] | undefined>,
  req: { method: string; pathAndQuery: string; body: string },
  d: VerifyDeps,
): string {
  const h = SignatureHeaders.safeParse(headers);
  if (!h.success)
    throw new ServiceError(401, 'BAD_SIGNATURE', '请求缺少签名信息或格式不正确（X-App-Id、X-Timestamp、X-Nonce、X-Signature）');
  const appId = h.data[SIGNATURE_HEADERS.appId];
  const timestamp = h.data[SIGNATURE_HEADERS.timestamp];
  const nonce = h.data[SIGNATURE_HEADERS.nonce];
  const secret = d.secretOf(appId);
  if (!secret) throw new ServiceError(401, 'UNKNOWN_APP', '未登记的应用');
  const expected = fromHex(signRequest(secret, { ...req, appId, timestamp, nonce }));
  const given = fromHex(h.data[SIGNATURE_HEADERS.signature].toLowerCase());
  if (!timingSafeEqual(expected, given)) throw new ServiceError(401, 'BAD_SIGNATURE', '签名不正确');
  // Checked after the signature, so a stranger cannot probe the clock or fill the nonce book.
  const now = d.now();
  if (Math.abs(now - Number(timestamp)) > REPLAY_WINDOW_MS)
    throw new ServiceError(401, 'STALE_REQUEST', '请求时间超出允许范围，请校准时间后重新签名');
  if (!d.firstUse(appId, nonce, now)) throw new ServiceError(401, 'REPLAYED_REQUEST', '重复的请求（随机串已使用）');
  return appId;
}
