import { describe, expect, it } from 'vitest';
import { cssPxToMicrons, pageSizeFor, ROLL_FALLBACK_HEIGHT_MICRONS } from './receipt-paper';

describe('pageSizeFor', () => {
  it('gives A5 its own size in microns, whatever the slip measured', () => {
    expect(pageSizeFor('A5', null)).toEqual({ width: 148_000, height: 210_000 });
    expect(pageSizeFor('A5', 5000)).toEqual({ width: 148_000, height: 210_000 });
  });

  it('makes a roll page as long as the slip plus 12 mm of feed', () => {
    // 960 CSS px = 10 in = 254 mm
    expect(pageSizeFor('80mm', 960)).toEqual({ width: 80_000, height: 254_000 + 12_000 });
    expect(pageSizeFor('58mm', 96)).toEqual({ width: 58_000, height: 25_400 + 12_000 });
  });

  it('falls back to an A4 length when the slip could not be measured, and caps a runaway layout', () => {
    for (const bad of [null, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(pageSizeFor('80mm', bad)).toEqual({ width: 80_000, height: ROLL_FALLBACK_HEIGHT_MICRONS });
    }
    expect(pageSizeFor('80mm', 1_000_000).height).toBe(3_000_000);
  });

  it('rounds px up to whole microns so nothing is cut off', () => {
    expect(cssPxToMicrons(1)).toBe(265); // 264.58…
    expect(cssPxToMicrons(96)).toBe(25_400);
  });
});
