/**
 * Byte <-> text conversions for the crypto boundary. All of them are strict: a malformed hex or Base64
 * string is an error here rather than silently becoming zero bytes inside a cipher (sm-crypto-v2's own
 * `hexToArray` turns "zz" into 0x00, and its UTF-8 encoder mangles characters outside the BMP, which occur in
 * Chinese names — so every string is converted here, with the platform's TextEncoder, before it reaches the
 * library).
 */

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8 = {
  encode(text: string): Uint8Array {
    return encoder.encode(text);
  },
  /** Throws on bytes that are not valid UTF-8 (a wrong key decrypts to such bytes). */
  decode(bytes: Uint8Array): string {
    return strictDecoder.decode(bytes);
  },
};

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (!HEX_RE.test(hex)) throw new Error('not an even-length hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked so that large payloads (a 40 KB fee upload) do not overflow the argument list.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Standard alphabet with padding, no whitespace: the form the centre sends. */
export function fromBase64(text: string): Uint8Array {
  if (!BASE64_RE.test(text)) throw new Error('not a canonical Base64 string');
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? utf8.encode(data) : data;
}
