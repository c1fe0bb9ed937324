import { describe, expect, it } from 'vitest';
import { classifyCode } from './classify';

describe('classifyCode', () => {
  it.each([
    ['134567890123456789', 'wechat-pay'],
    ['104567890123456789', 'wechat-pay'],
    ['164567890123456789', 'unknown'], // 18 digits but prefix 16
    ['13456789012345678', 'unknown'], // 17 digits
    ['1345678901234567890', 'unknown'], // 19 digits: UnionPay-like, not WeChat
  ])('WeChat Pay: %s → %s', (code, kind) => expect(classifyCode(code)).toBe(kind));

  it.each([
    ['2812345678901234', 'alipay-pay'], // 16 digits
    ['287654321098765432', 'alipay-pay'], // 18 digits starting 28
    ['301234567890123456789012', 'alipay-pay'], // 24 digits starting 30
    ['251234567890123', 'unknown'], // 15 digits
    ['3112345678901234', 'unknown'], // prefix 31
    ['24123456789012345678', 'nhsa-ec'], // 20 printable chars, prefix 24: not Alipay, so an e-voucher candidate
  ])('Alipay: %s → %s', (code, kind) => expect(classifyCode(code)).toBe(kind));

  it('recognises the default hospital-card shape and nothing near it', () => {
    expect(classifyCode('HC12345678')).toBe('hospital-card');
    expect(classifyCode('HC123456789012')).toBe('hospital-card');
    expect(classifyCode('HC1234567')).toBe('unknown');
    expect(classifyCode('hc12345678')).toBe('unknown');
  });

  it('takes the hospital-card pattern from configuration, always matched against the whole code', () => {
    const rules = { hospitalCard: /JZK\d{6}/ };
    expect(classifyCode('JZK000123', rules)).toBe('hospital-card');
    expect(classifyCode('XJZK000123', rules)).toBe('unknown');
    expect(classifyCode('HC12345678', rules)).toBe('unknown');
  });

  it('is not fooled by a configured /g pattern keeping lastIndex between scans', () => {
    const rules = { hospitalCard: /HC\d{8}/g };
    expect([1, 2, 3].map(() => classifyCode('HC12345678', rules))).toEqual(['hospital-card', 'hospital-card', 'hospital-card']);
  });

  it('payment codes win over a hospital-card pattern that would also match them', () => {
    expect(classifyCode('134567890123456789', { hospitalCard: /\d+/ })).toBe('wechat-pay');
  });

  it('treats printable ASCII of 20–512 chars as an NHSA e-voucher candidate', () => {
    expect(classifyCode('A'.repeat(20))).toBe('nhsa-ec');
    expect(classifyCode('A'.repeat(512))).toBe('nhsa-ec');
    expect(classifyCode('A'.repeat(19))).toBe('unknown');
    expect(classifyCode('A'.repeat(513))).toBe('unknown');
    expect(classifyCode('https://ec.example.cn/qr?c=0123456789ABCDEF')).toBe('nhsa-ec');
    expect(classifyCode(`${'A'.repeat(30)}医保`)).toBe('unknown'); // not ASCII
    expect(classifyCode(`${'A'.repeat(30)}\t`)).toBe('unknown'); // control character
    expect(classifyCode('A'.repeat(15), { nhsaEcLength: { min: 10, max: 16 } })).toBe('nhsa-ec');
  });

  it('calls anything else unknown', () => {
    expect(classifyCode('')).toBe('unknown');
    expect(classifyCode('hello')).toBe('unknown');
  });
});
