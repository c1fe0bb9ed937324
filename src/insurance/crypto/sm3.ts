/** SM3 hash (GB/T 32905) and HMAC-SM3, over sm-crypto-v2 (pure JS: Electron's BoringSSL has no SM3). */
import { sm3 as sm3Lib } from 'sm-crypto-v2';
import { bytesOf, fromHex } from './encoding';

/** Strings are hashed as their UTF-8 bytes. */
export function sm3Hex(data: Uint8Array | string): string {
  return sm3Lib(bytesOf(data));
}

export function sm3(data: Uint8Array | string): Uint8Array {
  return fromHex(sm3Hex(data));
}

export function hmacSm3(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  if (key.length === 0) throw new Error('hmacSm3: empty key');
  return fromHex(sm3Lib(bytesOf(data), { key, mode: 'hmac' }));
}
