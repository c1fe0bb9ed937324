/**
 * The Bosssoft envelope, the station's side: `{appid, data, noise, version, sign}` with `data` = Base64(UTF-8
 * JSON) and `sign` = UPPER(MD5(`appid=..&data=..&noise=..&key=<appKey>&version=..`)). The answer comes in the
 * same envelope and is verified by the same rule (the vendor documents the request's; that the answer is signed
 * alike is our reading of nhis-web's `enoteRts`, e-invoice.md §2).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Envelope {
  appid: string;
  data: string;
  noise: string;
  version: string;
  sign: string;
}

export function envelopeSign(e: Omit<Envelope, 'sign'>, appKey: string): string {
  const text = `appid=${e.appid}&data=${e.data}&noise=${e.noise}&key=${appKey}&version=${e.version}`;
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

export function sealEnvelope(payload: unknown, e: { appid: string; noise: string; version: string }, appKey: string): Envelope {
  const data = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
  const unsigned = { appid: e.appid, data, noise: e.noise, version: e.version };
  return { ...unsigned, sign: envelopeSign(unsigned, appKey) };
}

export function envelopeSignValid(e: Envelope, appKey: string): boolean {
  const expected = Buffer.from(envelopeSign(e, appKey));
  const actual = Buffer.from(e.sign);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict Base64 to UTF-8 text, or undefined (Node's decoder would silently skip bad characters). */
export function decodeBase64Text(text: string): string | undefined {
  if (!BASE64.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  return decoded.includes('\uFFFD') ? undefined : decoded;
}
