import { describe, expect, it } from 'vitest';
import { classifyPaymentCode, maskPaymentCode } from './payment-code';
import { compactBeijingToIso } from './time';

describe('payment codes', () => {
  it.each([
    ['100000000000000000', 'wechat'],
    ['134567890123456789', 'wechat'],
    ['159999999999999999', 'wechat'],
    ['2500000000000000', 'alipay'], // 16 digits
    ['281234567890123456', 'alipay'],
    ['300000000000000000000000', 'alipay'], // 24 digits
  ])('%s is %s', (code, wallet) => {
    expect(classifyPaymentCode(code)).toBe(wallet);
  });

  it.each([
    ['160000000000000000', 'WeChat range ends at 15'],
    ['13456789012345678', 'WeChat codes are 18 digits'],
    ['250000000000000', 'Alipay codes have at least 16 digits'],
    ['3000000000000000000000000', 'and at most 24'],
    ['310000000000000000', 'Alipay range ends at 30'],
    ['24000000000000000', 'Alipay range starts at 25'],
    ['13456789012345678X', 'digits only'],
    [' 134567890123456789', 'no padding'],
    ['YBSIMQR01K7ZPQ3W9M2XD8RT5VJ6HN4CB0FGLAES1UY', 'an e-voucher QR is no payment code'],
  ])('%s is not a payment code (%s)', (code) => {
    expect(classifyPaymentCode(code)).toBeUndefined();
  });

  it('masks all but the ends', () => {
    expect(maskPaymentCode('134567890123456789')).toBe('1345**********6789');
  });
});

describe('Beijing times', () => {
  it('read as the instant they name, whatever the machine zone', () => {
    expect(compactBeijingToIso('20261122101530')).toBe('2026-11-22T02:15:30.000Z');
    expect(compactBeijingToIso('20270101000000')).toBe('2026-12-31T16:00:00.000Z');
  });
  it('refuse impossible dates', () => {
    expect(compactBeijingToIso('20261131101530')).toBeUndefined();
    expect(compactBeijingToIso('20261122246000')).toBeUndefined();
    expect(compactBeijingToIso('2026112210153')).toBeUndefined();
  });
});
