/**
 * The field cipher's two sets of primitives — Node's OpenSSL SM4 / SM3 and the JS ones the Electron utility
 * process (BoringSSL: no SM4, no SM3) falls back to — write and read the same bytes: a value sealed by either
 * opens with the other, the blind index is the same digest, and a tampered value fails its check with both.
 */
import { describe, expect, it } from 'vitest';
import { hmacSm3, randomBytes, sm4DecryptCbc, sm4EncryptCbc } from '../../insurance/crypto';
import { FieldCipher } from './field-cipher';
import { NATIVE_SM } from './sm-native';

const keys = { encKey: randomBytes(16), macKey: randomBytes(32), indexKey: randomBytes(32) };
const JS = { hmacSm3, sm4EncryptCbc, sm4DecryptCbc };

describe('field cipher: native and JS SM4 / SM3 agree', () => {
  it('Node has SM4-CBC and SM3 (the export speed relies on them)', () => {
    expect(NATIVE_SM).not.toBeNull();
  });

  it('sealed by one, opened by the other; the same blind index; tampering caught by both', () => {
    const native = new FieldCipher(keys, NATIVE_SM);
    const js = new FieldCipher(keys, JS);
    // lengths around the 16-byte block, Chinese text, an empty string
    const texts = ['', 'a', '0123456789abcde', '0123456789abcdef', '0123456789abcdefg', '周𠮷安 350203199508304015', 'x'.repeat(1000)];
    for (const text of texts) {
      expect(js.open(native.seal(text))).toBe(text);
      expect(native.open(js.seal(text))).toBe(text);
      expect(native.blindIndex(text)).toBe(js.blindIndex(text));
    }
    const sealed = native.seal('林美华');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[20] = (raw[20] ?? 0) ^ 1;
    const tampered = `s1:${raw.toString('base64')}`;
    expect(() => native.open(tampered)).toThrow(/integrity/);
    expect(() => js.open(tampered)).toThrow(/integrity/);
  });
});
