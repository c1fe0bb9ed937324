/**
 * The platform's side of the signature (written apart from the station's client on purpose): HMAC-SHA256,
 * keyed by the merchant key, over the non-empty top-level fields except `sign`, sorted by name, as
 * `k1=v1&k2=v2&key=KEY`; upper-case hex. The message gateway run by the same platform uses the same recipe.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Flat = Record<string, string | number | undefined>;

export function platformSign(fields: Flat, key: string): string {
  const pairs = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== undefined && fields[name] !== '')
    .sort()
    .map((name) => `${name}=${String(fields[name])}`);
  pairs.push(`key=${key}`);
  return createHmac('sha256', key).update(pairs.join('&'), 'utf8').digest('hex').toUpperCase();
}

export function platformVerify(fields: Flat, key: string): boolean {
  const given = fields.sign;
  if (typeof given !== 'string' || !/^[0-9A-F]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(platformSign(fields, key)));
}

/** A flat JSON object: every value a string or a safe integer (nested data travels as JSON text). */
export function asFlat(value: unknown): Flat | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const v of Object.values(value)) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) return undefined;
  }
  return value as Flat;
}
