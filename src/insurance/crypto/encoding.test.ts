import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding';
import { randomBytes } from './random';

describe('encoding', () => {
  it('round-trips hex and Base64 for every length up to 70 bytes, matching Buffer', () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = randomBytes(n);
      expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromHex(toHex(bytes))).toEqual(bytes);
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
  });

  it('encodes large payloads to Base64 without overflowing the call stack', () => {
    const big = randomBytes(300_000);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('accepts upper-case hex', () => {
    expect(fromHex('0AfF')).toEqual(new Uint8Array([0x0a, 0xff]));
  });

  it.each(['0', 'zz', '0g', ' 00', '00 '])('rejects malformed hex %j', (hex) => {
    expect(() => fromHex(hex)).toThrow(/hex/);
  });

  it.each(['A', 'AA', 'AA=', 'AAA', 'AA==\n', 'A A=', '****', 'AB-_'])('rejects non-canonical Base64 %j', (b64) => {
    expect(() => fromBase64(b64)).toThrow(/Base64/);
  });

  it('encodes characters outside the BMP as 4-byte UTF-8 (rare characters in Chinese names)', () => {
    expect(toHex(utf8.encode('𠮷'))).toBe('f0a0aeb7');
    expect(utf8.decode(fromHex('f0a0aeb7'))).toBe('𠮷');
  });

  it('refuses invalid UTF-8 instead of inventing replacement characters', () => {
    expect(() => utf8.decode(new Uint8Array([0xc3, 0x28]))).toThrow();
  });

  it('randomBytes fills buffers larger than one getRandomValues call and rejects bad lengths', () => {
    const big = randomBytes(200_000);
    expect(big.length).toBe(200_000);
    // The last 64 KiB chunk is filled too: 16 zero bytes there would mean it was skipped.
    expect(big.subarray(199_984).some((b) => b !== 0)).toBe(true);
    expect(() => randomBytes(-1)).toThrow(RangeError);
    expect(() => randomBytes(1.5)).toThrow(RangeError);
  });
});
