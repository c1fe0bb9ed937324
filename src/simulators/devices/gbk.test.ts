import { describe, expect, it } from 'vitest';
import { encodeGbk, gbkCodeOf } from './gbk';

describe('GBK encoder of the emulators', () => {
  it('encodes ASCII as itself and 汉字 as two bytes that Node decodes back', () => {
    expect([...encodeGbk('A1|')]).toEqual([0x41, 0x31, 0x7c]);
    expect(gbkCodeOf('张')).toBe(0xd5c5);
    expect(gbkCodeOf('·')).toBe(0xa1a4);
    const text = '陈建国|买买提·艾力|龘';
    expect(new TextDecoder('gbk').decode(encodeGbk(text))).toBe(text);
  });

  it('refuses characters GBK cannot hold', () => {
    expect(() => encodeGbk('😀')).toThrow(RangeError);
  });
});
