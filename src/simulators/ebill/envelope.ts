/**
 * The gateway's side of the Bosssoft envelope (written apart from the station's client on purpose): a request is
 * `{appid, data, noise, version, sign}`, `data` Base64 of UTF-8 JSON, `sign` the upper-case MD5 hex of
 * `appid=..&data=..&noise=..&key=<appKey>&version=..`. The answer is signed the same way over its own fields.
 */
import { createHash, randomUUID } from 'node:crypto';

export function md5Sign(appid: string, data: string, noise: string, version: string, key: string): string {
  return createHash('md5')
    .update(`appid=${appid}&data=${data}&noise=${noise}&key=${key}&version=${version}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Base64 → text, or undefined when the text is not canonical Base64 of valid UTF-8. */
export function fromBase64(text: string): string | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  const decoded = bytes.toString('utf8');
  return decoded.includes('\uFFFD') ? undefined : decoded;
}

/** The answer envelope: `data` = Base64 of `{result, message}`, `message` Base64 again (JSON or Chinese text). */
export function answerEnvelope(appid: string, key: string, result: string, message: string): string {
  const data = toBase64(JSON.stringify({ result, message: toBase64(message) }));
  const noise = randomUUID();
  return JSON.stringify({ appid, data, noise, version: '1.0', sign: md5Sign(appid, data, noise, '1.0', key) });
}
