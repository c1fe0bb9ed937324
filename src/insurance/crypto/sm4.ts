/**
 * SM4 (GB/T 32907) in ECB and CBC with PKCS#7 padding, over sm-crypto-v2.
 *
 * Padding is added and removed here, not by the library: its unpadding accepts a last byte of 0 or > 16 and
 * ignores a trailing partial block, so a corrupted or truncated ciphertext could decrypt "successfully".
 * Here every such case is an error.
 */
import { sm4 as sm4Lib } from 'sm-crypto-v2';

const BLOCK = 16;

function checkKey(key: Uint8Array): void {
  if (key.length !== BLOCK) throw new Error(`SM4 key must be 16 bytes, got ${key.length}`);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== BLOCK) throw new Error(`SM4 IV must be 16 bytes, got ${iv.length}`);
}

function checkCipherLength(cipher: Uint8Array): void {
  if (cipher.length === 0 || cipher.length % BLOCK !== 0) {
    throw new Error(`SM4 ciphertext must be a non-empty multiple of 16 bytes, got ${cipher.length}`);
  }
}

function pad(plain: Uint8Array): Uint8Array {
  const n = BLOCK - (plain.length % BLOCK);
  const out = new Uint8Array(plain.length + n);
  out.set(plain);
  out.fill(n, plain.length);
  return out;
}

function unpad(padded: Uint8Array): Uint8Array {
  const n = padded[padded.length - 1] ?? 0;
  if (n < 1 || n > BLOCK) throw new Error('SM4: bad PKCS#7 padding');
  for (let i = padded.length - n; i < padded.length; i++) {
    if (padded[i] !== n) throw new Error('SM4: bad PKCS#7 padding');
  }
  return padded.slice(0, padded.length - n);
}

function raw(data: Uint8Array, key: Uint8Array, mode: 'ecb' | 'cbc', encrypt: boolean, iv?: Uint8Array): Uint8Array {
  const options = { padding: 'none' as const, mode, output: 'array' as const, ...(iv ? { iv } : {}) };
  return encrypt ? sm4Lib.encrypt(data, key, options) : sm4Lib.decrypt(data, key, options);
}

export function sm4EncryptEcb(key: Uint8Array, plain: Uint8Array): Uint8Array {
  checkKey(key);
  return raw(pad(plain), key, 'ecb', true);
}

export function sm4DecryptEcb(key: Uint8Array, cipher: Uint8Array): Uint8Array {
  checkKey(key);
  checkCipherLength(cipher);
  return unpad(raw(cipher, key, 'ecb', false));
}

export function sm4EncryptCbc(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  checkKey(key);
  checkIv(iv);
  return raw(pad(plain), key, 'cbc', true, iv);
}

export function sm4DecryptCbc(key: Uint8Array, iv: Uint8Array, cipher: Uint8Array): Uint8Array {
  checkKey(key);
  checkIv(iv);
  checkCipherLength(cipher);
  return unpad(raw(cipher, key, 'cbc', false, iv));
}
