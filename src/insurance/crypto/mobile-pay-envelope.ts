/**
 * The NHSA mobile-payment (医保移动支付) envelope `{appId, encType "SM4", signType "SM2", timestamp, version
 * "2.0.1", encData, signData}` (protocol-research.md §3.2–3.4):
 * - SM4 key = the first 16 characters of HEX_UPPER(SM4-ECB-PKCS7(key = appId[0:16], appSecret)), as 16 ASCII bytes;
 * - encData = HEX_UPPER(SM4-ECB-PKCS7(key, UTF-8 JSON of data));
 * - signData = Base64(r‖s) of SM3withSM2 over the sorted `k=v&...&key=appSecret` text of the envelope with `data`
 *   in clear. The SM2 user id is configuration: public code disagrees (default 1234567812345678, or appSecret).
 */
import { fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding';
import { sm2Sign, sm2Verify, type Sm2Options } from './sm2';
import { sm4DecryptEcb, sm4EncryptEcb } from './sm4';

export const MOBILE_PAY_VERSION = '2.0.1';

export interface MobilePayEnvelope {
  appId: string;
  encType: 'SM4';
  signType: 'SM2';
  timestamp: string;
  version: string;
  encData: string;
  signData: string;
}

export interface MobilePayKeys {
  appId: string;
  appSecret: string;
  /** Our signing key, 64 hex. */
  privateKeyHex: string;
  /** The other side's key, 04‖X‖Y hex: answers (or requests, on the centre's side) are verified with it. */
  peerPublicKeyHex: string;
  userId: string;
}

/** SM4 data key derived from the channel credentials. */
export function mobilePayDataKey(appId: string, appSecret: string): Uint8Array {
  if (!/^[\x21-\x7e]{16,}$/.test(appId)) throw new Error('appId must be at least 16 printable ASCII characters');
  const cipher = sm4EncryptEcb(utf8.encode(appId.slice(0, 16)), utf8.encode(appSecret));
  return utf8.encode(toHex(cipher).toUpperCase().slice(0, 16));
}

export function encryptData(key: Uint8Array, data: unknown): string {
  return toHex(sm4EncryptEcb(key, utf8.encode(JSON.stringify(data)))).toUpperCase();
}

/** Either hex case is accepted (one public implementation emits lower case). */
export function decryptData(key: Uint8Array, encData: string): unknown {
  return JSON.parse(utf8.decode(sm4DecryptEcb(key, fromHex(encData))));
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Compact JSON, keys sorted recursively, every scalar as a string, empty values dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => !isEmpty(v)).map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (!isEmpty(v)) out[key] = canonical(v);
    }
    return out;
  }
  return String(value);
}

/** The text both sides sign: the envelope with `data` in clear, without encData / signData / extra. */
export function mobilePaySignText(fields: Record<string, unknown>, appSecret: string): string {
  const items = Object.keys(fields)
    .filter((key) => key !== 'signData' && key !== 'encData' && key !== 'extra' && !isEmpty(fields[key]))
    .sort()
    .map((key) => {
      const value = fields[key];
      return `${key}=${typeof value === 'string' ? value : JSON.stringify(canonical(value))}&`;
    });
  return `${items.join('')}key=${appSecret}`;
}

type Signer = (text: string, privateKeyHex: string, opts: Sm2Options) => Uint8Array;

/** Seals `data` for the wire. `signer` is replaceable only so a known-answer test can fix the nonce. */
export function sealMobilePay(keys: MobilePayKeys, data: unknown, timestamp: string, signer: Signer = sm2Sign): MobilePayEnvelope {
  const head = { appId: keys.appId, encType: 'SM4' as const, signType: 'SM2' as const, timestamp, version: MOBILE_PAY_VERSION };
  const text = mobilePaySignText({ ...head, data }, keys.appSecret);
  return {
    ...head,
    encData: encryptData(mobilePayDataKey(keys.appId, keys.appSecret), data),
    signData: toBase64(signer(text, keys.privateKeyHex, { userId: keys.userId })),
  };
}

/** Decrypts and verifies an envelope from the peer; throws when either fails. */
export function openMobilePay(keys: MobilePayKeys, envelope: MobilePayEnvelope | Record<string, unknown>): unknown {
  const { encData, signData } = envelope;
  if (typeof encData !== 'string' || typeof signData !== 'string') throw new Error('envelope without encData / signData');
  const data = decryptData(mobilePayDataKey(keys.appId, keys.appSecret), encData);
  // The signed set is the envelope's own fields: an answer's code / message / success travel beside it, unsigned.
  const { appId, encType, signType, timestamp, version } = envelope;
  const text = mobilePaySignText({ appId, encType, signType, timestamp, version, data }, keys.appSecret);
  let signature: Uint8Array;
  try {
    signature = fromBase64(signData);
  } catch {
    throw new Error('signData is not Base64');
  }
  if (!sm2Verify(text, signature, keys.peerPublicKeyHex, { userId: keys.userId })) throw new Error('bad signData');
  return data;
}

/** Keys as the channel documents give them: private d as Base64 (32 bytes, or 33 with a leading 0), public 04XY or XY. */
export function privateKeyHexFromBase64(base64: string): string {
  const bytes = fromBase64(base64);
  if (bytes.length === 33 && bytes[0] === 0) return toHex(bytes.subarray(1));
  if (bytes.length !== 32) throw new Error('SM2 private key must be 32 bytes');
  return toHex(bytes);
}

export function publicKeyHexFromBase64(base64: string): string {
  const bytes = fromBase64(base64);
  if (bytes.length === 64) return `04${toHex(bytes)}`;
  if (bytes.length !== 65 || bytes[0] !== 4) throw new Error('SM2 public key must be 04‖X‖Y or X‖Y');
  return toHex(bytes);
}
