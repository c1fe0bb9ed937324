/**
 * The HIS integration gateway's signature, per its interface document: every top-level field except `sign`,
 * non-empty, sorted by name, joined as `k1=v1&k2=v2`; HMAC-SHA256 keyed with the app secret; Base64.
 * Business data travels as JSON text in `biz_content`, so the signed fields are always flat.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hisSignature(fields: Readonly<Record<string, unknown>>, secret: string): string {
  const base = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== undefined && fields[name] !== null && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${String(fields[name])}`)
    .join('&');
  return createHmac('sha256', secret).update(base, 'utf8').digest('base64');
}

export function hisSignatureValid(fields: Readonly<Record<string, unknown>>, secret: string): boolean {
  if (typeof fields.sign !== 'string') return false;
  if (!Object.values(fields).every((v) => typeof v === 'string')) return false;
  const expected = Buffer.from(hisSignature(fields, secret));
  const given = Buffer.from(fields.sign);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
