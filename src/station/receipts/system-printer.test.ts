import { describe, expect, it } from 'vitest';
import { parseLpstatDefault, parseLpstatDestinations } from './system-printer';

describe("CUPS's answers (C locale)", () => {
  it('lpstat -e: one destination a line, blank lines dropped', () => {
    expect(parseLpstatDestinations('XP-80C\nslip-printer\n\n')).toEqual(['XP-80C', 'slip-printer']);
    expect(parseLpstatDestinations('')).toEqual([]);
  });

  it('lpstat -d: the default destination, or none', () => {
    expect(parseLpstatDefault('system default destination: XP-80C\n')).toBe('XP-80C');
    expect(parseLpstatDefault('no system default destination\n')).toBeNull();
    expect(parseLpstatDefault('')).toBeNull();
  });
});
