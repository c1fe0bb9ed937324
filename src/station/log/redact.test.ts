import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { REDACTED, redactText, redactValue } from './redact';

describe('log redaction', () => {
  it.each([
    ['a resident ID number', '11010519491231002X'],
    ['a resident ID number with a digit check', '350203198807150011'],
    ['a mobile number', '13812345678'],
    ['a mobile number with +86', '+8613912345678'],
    ['a WeChat payment code', '134567890123456789'],
    ['an Alipay payment code (16 digits)', '2812345678901234'],
    ['an Alipay payment code (24 digits)', '301234567890123456789012'],
    ['an e-voucher code', 'YBSIMQR01K7ZPQ3W9M2XD8RT5VJ6HN4CB0FGLAES1UY'],
  ])('removes %s from a message', (_what, secret) => {
    const out = redactText(`identify failed for ${secret}: refused`);
    expect(out).not.toContain(secret);
    expect(out).toBe(`identify failed for ${REDACTED}: refused`);
  });

  it.each([
    ['a token written as key=value', 'ecToken=abc.DEF-123', 'abc.DEF-123'],
    ['a secret in JSON text', '{"appSecret":"s3cr3t-value"}', 's3cr3t-value'],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOi.x-y', 'eyJhbGciOi.x-y'],
    ['a password', 'password: hunter22', 'hunter22'],
    ['a key written as key=value', 'pay failed, key=d229f554ff9a47dc10c6e8a9f9be3c55', 'd229f554ff9a47dc10c6e8a9f9be3c55'],
  ])('removes %s', (_what, text, secret) => {
    expect(redactText(text)).not.toContain(secret);
  });

  it('replaces personal fields by name, at any depth, whatever their value looks like', () => {
    const out = redactValue({
      psnName: '张三',
      nested: { name: '李四', certno: 'X', phone: '010-1234', authCode: 'abc', ecToken: 't', list: [{ patient_name: '王五' }] },
      stationPrivateKeyHex: 'deadbeef',
      key: 'k',
    });
    expect(JSON.stringify(out)).not.toMatch(/张三|李四|王五|010-1234|deadbeef|"abc"|"t"|"k"|"X"/);
  });

  it('leaves our own ids and ordinary numbers alone', () => {
    const intentId = randomUUID();
    const orderId = randomUUID();
    const fields = {
      intentId,
      orderId,
      msgid: 'H35020300001202612041210450001',
      outTradeNo: 'MZ20261204000123P12345678a1b2',
      compId: 'REV1764849045123a1b2c3',
      hisOrderNo: 'MZ20261204000123',
      totalFen: 123456,
      infno: '2207',
      code: 'SQLITE_FULL',
      at: '2026-12-04T12:10:45.123Z',
    };
    expect(redactValue(fields)).toEqual(fields);
    const text = `intent ${intentId} of order ${orderId} msgid H35020300001202612041210450001 unknown after 30000 ms`;
    expect(redactText(text)).toBe(text);
  });
});
