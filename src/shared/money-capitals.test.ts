import { describe, expect, it } from 'vitest';
import { fenToCapitals } from './money-capitals';

// No maintained npm implementation (nzh, rmb-x, …) is installed, so the converter is checked three ways: the
// regulation's and the brief's published examples, an independent reference built the classic way (every digit
// with its unit, then the zeros collapsed by rewriting), and reading each result back to its amount.

const D = '零壹贰叁肆伍陆柒捌玖';
const INT_UNITS = ['', '拾', '佰', '仟', '万', '拾', '佰', '仟', '亿', '拾', '佰', '仟', '万', '拾', '佰', '仟'];

function referenceYuan(yuan: number): string {
  const s = String(yuan);
  let out = '';
  for (let i = 0; i < s.length; i++) out += D[Number(s[i])]! + INT_UNITS[s.length - 1 - i]!;
  return out
    .replace(/零[拾佰仟]/g, '零')
    .replace(/零+/g, '零')
    .replace(/万零亿/g, '万亿零')
    .replace(/零+/g, '零')
    .replace(/零([万亿])/g, '$1')
    .replace(/亿万/g, '亿零')
    .replace(/零+/g, '零')
    .replace(/零+$/, '');
}

function reference(amount: number): string {
  if (amount === 0) return '零元整';
  const yuan = Math.floor(amount / 100);
  const j = Math.floor(amount / 10) % 10;
  const f = amount % 10;
  let s = `${D[j]}角${D[f]}分`
    .replace(/零角零分$/, '整')
    .replace(/零分$/, '整')
    .replace(/^零角/, '零');
  if (yuan === 0) return s.replace(/^零/, '');
  if (yuan % 10 === 0 && j !== 0) s = `零${s}`;
  return `${referenceYuan(yuan)}元${s}`;
}

/** Reads capitals back into fen. */
function parse(text: string): number {
  if (text.startsWith('负')) return -parse(text.slice(1));
  let big = 0;
  let wan = 0;
  let sec = 0;
  let num = 0;
  let fen = 0;
  const units: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };
  for (const ch of text) {
    const d = D.indexOf(ch);
    if (d >= 0) num = d;
    else if (ch in units) {
      sec += num * units[ch]!;
      num = 0;
    } else if (ch === '万') {
      wan = sec + num;
      sec = 0;
      num = 0;
    } else if (ch === '亿') {
      big = (wan * 10_000 + sec + num) * 100_000_000;
      wan = 0;
      sec = 0;
      num = 0;
    } else if (ch === '元') {
      fen = (big + wan * 10_000 + sec + num) * 100;
      num = 0;
    } else if (ch === '角') {
      fen += num * 10;
      num = 0;
    } else if (ch === '分') {
      fen += num;
      num = 0;
    } else if (ch !== '整') throw new Error(`unexpected ${ch} in ${text}`);
  }
  return fen;
}

/** The characters and ending every result has (0 aside), and what the rules forbid: 零零, 零 before a unit, a bare 拾, 分整. */
const WELL_FORMED = /^负?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+(整|分)$/;
const BROKEN = /零零|零[万亿元角分]|^负?[拾佰仟万亿]|[^零壹贰叁肆伍陆柒捌玖][拾佰仟]|分整/;

function expectWellFormed(text: string): void {
  expect(text).toMatch(WELL_FORMED);
  expect(text).not.toMatch(BROKEN);
}

describe('fenToCapitals', () => {
  it.each([
    // 《正确填写票据和结算凭证的基本规定》 examples (整 also after 角, which the rule allows)
    [140950, '壹仟肆佰零玖元伍角整'],
    [600714, '陆仟零柒元壹角肆分'],
    [168032, '壹仟陆佰捌拾元零叁角贰分'],
    [10700053, '壹拾万柒仟元零伍角叁分'],
    [1640902, '壹万陆仟肆佰零玖元零贰分'],
    [32504, '叁佰贰拾伍元零肆分'],
    [1500, '壹拾伍元整'],
    // the brief's slip
    [120460, '壹仟贰佰零肆元陆角整'],
    // edges
    [0, '零元整'],
    [1, '壹分'],
    [10, '壹角整'],
    [11, '壹角壹分'],
    [100, '壹元整'],
    [101, '壹元零壹分'],
    [1000, '壹拾元整'],
    [100000, '壹仟元整'],
    [1000100, '壹万零壹元整'],
    [100001000, '壹佰万零壹拾元整'],
    [1000000000, '壹仟万元整'],
    [10000000000, '壹亿元整'],
    [10001000000, '壹亿零壹万元整'],
    [10000000001, '壹亿元零壹分'],
    [10000100000, '壹亿零壹仟元整'],
    [19080700000, '壹亿玖仟零捌拾万柒仟元整'],
    [101010101000, '壹拾亿壹仟零壹拾万壹仟零壹拾元整'],
    [100000000000000, '壹万亿元整'],
    [100010000000000, '壹万零壹亿元整'],
    [123456789012345, '壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分'],
    [Number.MAX_SAFE_INTEGER, '玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分'],
    [-120460, '负壹仟贰佰零肆元陆角整'],
  ])('%i fen → %s', (amount, capitals) => {
    expect(fenToCapitals(amount)).toBe(capitals);
  });

  it('agrees with the reference and reads back to its amount for every amount up to ¥10,000.00', () => {
    const wrong: string[] = [];
    for (let amount = 0; amount <= 1_000_000; amount++) {
      const text = fenToCapitals(amount);
      if (text !== reference(amount) || parse(text) !== amount) wrong.push(`${amount}: ${text}`);
    }
    expect(wrong).toEqual([]);
  });

  it('agrees with the reference, reads back and breaks no rule for 100,000 seeded amounts up to the largest safe integer', () => {
    let seed = 12_046;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
    for (let i = 0; i < 100_000; i++) {
      const digits = 1 + (next() % 16);
      // Mostly zeros in the middle: that is where the rules are.
      let s = '';
      for (let k = 0; k < digits; k++) s += next() % 3 === 0 ? String(next() % 10) : '0';
      const amount = Math.min(Number(`1${s}`.slice(0, 16)), Number.MAX_SAFE_INTEGER);
      const text = fenToCapitals(amount);
      expect(text, String(amount)).toBe(reference(amount));
      expect(parse(text), text).toBe(amount);
      expectWellFormed(text);
    }
  });

  it('breaks no rule of the form for every amount from ¥0.01 to ¥2,000.00', () => {
    const broken: string[] = [];
    for (let amount = 1; amount <= 200_000; amount++) {
      const text = fenToCapitals(amount);
      if (!WELL_FORMED.test(text) || BROKEN.test(text)) broken.push(`${amount}: ${text}`);
    }
    expect(broken).toEqual([]);
  });

  it('refuses what is not a safe integer of fen', () => {
    expect(() => fenToCapitals(1.5)).toThrow(RangeError);
    expect(() => fenToCapitals(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });
});
