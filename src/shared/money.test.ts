import { describe, expect, it } from 'vitest';
import { fenToYuan, formatYuan, yuanToFen } from './money';

describe('money', () => {
  it('converts yuan text and JSON numbers to fen exactly', () => {
    expect(yuanToFen('12.30')).toBe(1230);
    expect(yuanToFen('12.3')).toBe(1230);
    expect(yuanToFen('12')).toBe(1200);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen(3300.1)).toBe(330010);
    expect(yuanToFen(0.29)).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(yuanToFen('-5.01')).toBe(-501);
    expect(yuanToFen('-0.00')).toBe(0);
  });

  it('refuses more than two decimals and non-amounts', () => {
    for (const bad of ['1.234', 'abc', '', '1e3', '١٢', '1,000.00', 12.345, Number.NaN, Infinity]) {
      expect(() => yuanToFen(bad as string | number)).toThrow(RangeError);
    }
  });

  it('round-trips every fen value of a range', () => {
    for (let f = -2000; f <= 200_000; f += 7) expect(yuanToFen(fenToYuan(f))).toBe(f);
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(-5)).toBe('-0.05');
    expect(fenToYuan(123456789)).toBe('1234567.89');
  });

  it('formats for the screen', () => {
    expect(formatYuan(123456)).toBe('¥1,234.56');
    expect(formatYuan(-5)).toBe('-¥0.05');
    expect(() => fenToYuan(0.5)).toThrow(RangeError);
  });
});
