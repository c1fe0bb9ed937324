/**
 * The HIS gateway's side of its signature (written apart from the station's client on purpose): every
 * top-level field except `sign`, non-empty, sorted by name, joined as `k1=v1&k2=v2`; HMAC-SHA256 keyed with
 * the app secret; Base64. (The open-platform style of the HIS integration vendors; the secret is not appended.)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hisSign(fields: Record<string, unknown>, secret: string): string {
  const text = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== undefined && fields[name] !== null && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${String(fields[name])}`)
    .join('&');
  return createHmac('sha256', secret).update(text, 'utf8').digest('base64');
}

export function hisVerify(fields: Record<string, unknown>, secret: string): boolean {
  const given = fields.sign;
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(hisSign(fields, secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
