/**
 * The mobile-payment centre's side of the SM4/SM2 envelope (protocol-research.md §3.3), written from the
 * description and not from the station's client: the SM4 key derived from appId and appSecret, HEX_UPPER
 * ciphertext, and SM3withSM2 r‖s (Base64) over the sorted `k=v&...&key=appSecret` text with `data` in clear.
 */
import { sm2, sm4 } from 'sm-crypto-v2';

export interface CentreChannel {
  appId: string;
  appSecret: string;
  centrePrivateKeyHex: string;
  hospitalPublicKeyHex: string;
  userId: string;
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const hex = (data: Uint8Array | number[]) => Buffer.from(data).toString('hex').toUpperCase();

function dataKey(appId: string, appSecret: string): Uint8Array {
  const t = sm4.encrypt(bytes(appSecret), bytes(appId.slice(0, 16)), { output: 'array' });
  return bytes(hex(t).slice(0, 16));
}

const blank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function sortedText(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => !blank(v)).map(sortedText);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => !blank(v));
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortedText(v)]));
  }
  return String(value);
}

function signText(fields: Record<string, unknown>, appSecret: string): string {
  const keys = Object.keys(fields)
    .filter((k) => !['signData', 'encData', 'extra'].includes(k) && !blank(fields[k]))
    .sort();
  const parts = keys.map((k) => `${k}=${typeof fields[k] === 'string' ? fields[k] : JSON.stringify(sortedText(fields[k]))}&`);
  return `${parts.join('')}key=${appSecret}`;
}

export class MobileCentreCrypto {
  private readonly key: Uint8Array;

  constructor(private readonly channel: CentreChannel) {
    this.key = dataKey(channel.appId, channel.appSecret);
  }

  /** The request's data, or a reason it cannot be trusted. */
  open(envelope: Record<string, unknown>): { data: unknown } | { problem: string } {
    if (envelope.appId !== this.channel.appId) return { problem: 'unknown appId' };
    if (typeof envelope.encData !== 'string' || typeof envelope.signData !== 'string') return { problem: 'no encData / signData' };
    let data: unknown;
    try {
      const plain = sm4.decrypt(new Uint8Array(Buffer.from(envelope.encData, 'hex')), this.key, { output: 'array' });
      data = JSON.parse(Buffer.from(plain).toString('utf8'));
    } catch {
      return { problem: 'encData does not decrypt' };
    }
    const { appId, encType, signType, timestamp, version } = envelope;
    const text = signText({ appId, encType, signType, timestamp, version, data }, this.channel.appSecret);
    const signature = Buffer.from(envelope.signData, 'base64').toString('hex');
    const ok =
      signature.length === 128 &&
      sm2.doVerifySignature(bytes(text), signature, this.channel.hospitalPublicKeyHex, {
        hash: true,
        der: false,
        userId: this.channel.userId,
      });
    return ok ? { data } : { problem: 'signData does not verify' };
  }

  /** A signed answer: the envelope plus code / message / success. */
  answer(data: unknown, code: number, message: string, breakSignature = false): Record<string, unknown> {
    const head = { appId: this.channel.appId, encType: 'SM4', signType: 'SM2', timestamp: String(Date.now()), version: '2.0.1' };
    const text = signText({ ...head, data }, this.channel.appSecret) + (breakSignature ? 'x' : '');
    const signature = sm2.doSignature(bytes(text), this.channel.centrePrivateKeyHex, {
      hash: true,
      der: false,
      userId: this.channel.userId,
    });
    return {
      ...head,
      encData: hex(sm4.encrypt(bytes(JSON.stringify(data)), this.key, { output: 'array' })),
      signData: Buffer.from(signature, 'hex').toString('base64'),
      code,
      message,
      success: code === 0,
    };
  }
}
