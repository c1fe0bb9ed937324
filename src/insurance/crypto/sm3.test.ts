import { createHash, createHmac } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './encoding';
import { randomBytes } from './random';
import { hmacSm3, sm3, sm3Hex } from './sm3';

const { sm3: sm3Reference } = smCrypto;

describe('SM3 — GB/T 32905-2016 Appendix A', () => {
  it.each([
    ['abc', '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
    ['abcd'.repeat(16), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'],
    ['', '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b'],
  ])('SM3(%j)', (input, digest) => {
    expect(sm3Hex(input)).toBe(digest);
    expect(toHex(sm3(new TextEncoder().encode(input)))).toBe(digest);
    expect(sm3(input)).toEqual(fromHex(digest));
  });
});

describe('SM3 cross-checks', () => {
  it('matches OpenSSL and sm-crypto byte for byte on random inputs of 0..300 bytes', () => {
    for (let n = 0; n <= 300; n += 7) {
      const data = randomBytes(n);
      const expected = createHash('sm3').update(data).digest('hex');
      expect(sm3Hex(data)).toBe(expected);
      expect(sm3Reference(data)).toBe(expected);
    }
  });

  it('hashes strings as UTF-8, including characters outside the BMP', () => {
    const text = '张三 𠮷 医保 {"psn_name":"李四"}';
    expect(sm3Hex(text)).toBe(createHash('sm3').update(text, 'utf8').digest('hex'));
  });

  it('HMAC-SM3 matches OpenSSL for short and long (> block) keys', () => {
    for (const keyLength of [1, 16, 64, 65, 100]) {
      const key = randomBytes(keyLength);
      const data = randomBytes(123);
      expect(toHex(hmacSm3(key, data))).toBe(createHmac('sm3', key).update(data).digest('hex'));
    }
    expect(toHex(hmacSm3(new Uint8Array([1]), '医保'))).toBe(
      createHmac('sm3', Buffer.from([1]))
        .update('医保')
        .digest('hex'),
    );
  });

  it('HMAC-SM3 refuses an empty key', () => {
    expect(() => hmacSm3(new Uint8Array(0), 'x')).toThrow(/empty key/);
  });
});
