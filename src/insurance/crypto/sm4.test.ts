import { createCipheriv, createDecipheriv } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding';
import { randomBytes } from './random';
import { sm4DecryptCbc, sm4DecryptEcb, sm4EncryptCbc, sm4EncryptEcb } from './sm4';

const { sm4: sm4Reference } = smCrypto;

const STANDARD_KEY = fromHex('0123456789abcdeffedcba9876543210');

function openssl(mode: 'sm4-ecb' | 'sm4-cbc', key: Uint8Array, iv: Uint8Array | null, plain: Uint8Array): Uint8Array {
  const cipher = createCipheriv(mode, key, iv);
  return new Uint8Array(Buffer.concat([cipher.update(plain), cipher.final()]));
}

describe('SM4 — GB/T 32907-2016 Appendix A', () => {
  // Our API always pads, so one 16-byte block encrypts to E(block) || E(16 x 0x10): the first half is the raw
  // block cipher output the standard gives.
  const encryptBlock = (block: Uint8Array) => sm4EncryptEcb(STANDARD_KEY, block).subarray(0, 16);

  it('example 1: one block', () => {
    expect(toHex(encryptBlock(STANDARD_KEY))).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('example 2: the same block encrypted 1,000,000 times', { timeout: 60_000 }, () => {
    let block = STANDARD_KEY;
    for (let i = 0; i < 1_000_000; i++) block = encryptBlock(block);
    expect(toHex(block)).toBe('595298c7c6fd271f0402f804c33d3f66');
  });

  it('the Jilin-style input vector (protocol-research §6): key = ASCII client id', () => {
    const cipher = sm4EncryptEcb(utf8.encode('CLIENTID12345678'), utf8.encode('{"data":{"psn_no":"123"}}'));
    expect(toBase64(cipher)).toBe('pRMjEa4km8yWkdQHJ7Z4NBGMy9Ehx8pYmdDA3oPYXeY=');
    expect(utf8.decode(sm4DecryptEcb(utf8.encode('CLIENTID12345678'), fromBase64(toBase64(cipher))))).toBe('{"data":{"psn_no":"123"}}');
  });
});

describe('SM4 cross-checks against OpenSSL and sm-crypto', () => {
  it('ECB with PKCS#7: identical ciphertext for every length 0..80, and round trip', () => {
    const key = randomBytes(16);
    for (let n = 0; n <= 80; n++) {
      const plain = randomBytes(n);
      const ours = sm4EncryptEcb(key, plain);
      expect(ours).toEqual(openssl('sm4-ecb', key, null, plain));
      expect(Uint8Array.from(sm4Reference.encrypt(plain, key, { output: 'array' }) as number[])).toEqual(ours);
      expect(sm4DecryptEcb(key, ours)).toEqual(plain);
    }
  });

  it('CBC with PKCS#7: identical ciphertext for every length 0..80, and round trip', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    for (let n = 0; n <= 80; n++) {
      const plain = randomBytes(n);
      const ours = sm4EncryptCbc(key, iv, plain);
      expect(ours).toEqual(openssl('sm4-cbc', key, iv, plain));
      const reference = sm4Reference.encrypt(plain, key, { mode: 'cbc', iv, output: 'array' }) as number[];
      expect(Uint8Array.from(reference)).toEqual(ours);
      expect(sm4DecryptCbc(key, iv, ours)).toEqual(plain);
      const decipher = createDecipheriv('sm4-cbc', key, iv);
      expect(new Uint8Array(Buffer.concat([decipher.update(ours), decipher.final()]))).toEqual(plain);
    }
  });

  it('does not modify its inputs', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const plain = randomBytes(40);
    const copies = [key.slice(), iv.slice(), plain.slice()];
    const cipher = sm4EncryptCbc(key, iv, plain);
    const cipherCopy = cipher.slice();
    sm4DecryptCbc(key, iv, cipher);
    expect([key, iv, plain, cipher]).toEqual([...copies, cipherCopy]);
  });
});

describe('SM4 input errors', () => {
  const key = randomBytes(16);
  const iv = randomBytes(16);

  it.each([0, 15, 17, 32])('rejects a %i-byte key', (length) => {
    expect(() => sm4EncryptEcb(randomBytes(length), new Uint8Array(1))).toThrow(/key must be 16 bytes/);
    expect(() => sm4DecryptCbc(randomBytes(length), iv, new Uint8Array(16))).toThrow(/key must be 16 bytes/);
  });

  it('rejects a bad IV length', () => {
    expect(() => sm4EncryptCbc(key, randomBytes(8), new Uint8Array(1))).toThrow(/IV must be 16 bytes/);
  });

  it.each([0, 15, 17, 33])('rejects a %i-byte ciphertext', (length) => {
    expect(() => sm4DecryptEcb(key, randomBytes(length))).toThrow(/multiple of 16/);
  });

  it('rejects padding bytes of 0, of 17, and inconsistent padding', () => {
    // Encrypt chosen final blocks without padding (via OpenSSL) so that decryption meets exactly that padding.
    const rawEcb = (block: Uint8Array) => {
      const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
      return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
    };
    const lastByte = (value: number, fill = value) => {
      const block = new Uint8Array(16).fill(fill);
      block[15] = value;
      return block;
    };
    expect(() => sm4DecryptEcb(key, rawEcb(lastByte(0)))).toThrow(/bad PKCS#7 padding/);
    expect(() => sm4DecryptEcb(key, rawEcb(lastByte(17)))).toThrow(/bad PKCS#7 padding/);
    expect(() => sm4DecryptEcb(key, rawEcb(lastByte(4, 3)))).toThrow(/bad PKCS#7 padding/);
    expect(sm4DecryptEcb(key, rawEcb(lastByte(16)))).toEqual(new Uint8Array(0));
  });
});
