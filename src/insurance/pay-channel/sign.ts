/**
 * The platform's request and answer signature, as its merchant guide specifies (WeChat Pay v2 "HMAC-SHA256"):
 * take every top-level field except `sign` whose value is not empty, sort by field name (ASCII), join as
 * `k1=v1&k2=v2`, append `&key=<merchant key>`, HMAC-SHA256 with the merchant key, upper-case hex.
 * Values are strings or integers; anything nested travels as JSON text.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type WireFields = Record<string, string | number>;

export function signatureBase(fields: Readonly<Record<string, unknown>>, key: string): string {
  const pairs = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== undefined && fields[name] !== null && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${String(fields[name])}`);
  return [...pairs, `key=${key}`].join('&');
}

export function sign(fields: Readonly<Record<string, unknown>>, key: string): string {
  return createHmac('sha256', key).update(signatureBase(fields, key), 'utf8').digest('hex').toUpperCase();
}

/** Constant-time check of `fields.sign`; nested values make an answer unverifiable. */
export function verify(fields: Readonly<Record<string, unknown>>, key: string): boolean {
  const given = fields.sign;
  if (typeof given !== 'string' || !/^[0-9A-F]{64}$/.test(given)) return false;
  const flat = Object.values(fields).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v)));
  return flat && timingSafeEqual(Buffer.from(given), Buffer.from(sign(fields, key)));
}

/**
 * A nonce derived from the request itself, so that building the same request twice gives the same bytes:
 * a retry is byte-identical, and the nonce is still unpredictable without the key.
 */
export function deterministicNonce(fields: Readonly<Record<string, unknown>>, key: string): string {
  return createHmac('sha256', key)
    .update(`nonce\n${signatureBase(fields, key)}`, 'utf8')
    .digest('hex')
    .slice(0, 32)
    .toUpperCase();
}

/** The body of a signed request: fields in sorted order so the JSON text is canonical too. */
export function signedBody(fields: WireFields, key: string): string {
  const withNonce: WireFields = { ...fields, sign_type: 'HMAC-SHA256' };
  withNonce.nonce_str = deterministicNonce(withNonce, key);
  withNonce.sign = sign(withNonce, key);
  const ordered = Object.fromEntries(
    Object.keys(withNonce)
      .sort()
      .map((k) => [k, withNonce[k]]),
  );
  return JSON.stringify(ordered);
}
