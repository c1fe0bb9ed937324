// The platform's time forms: Beijing wall-clock time both ways, whatever the machine's zone.
import { describe, expect, it } from 'vitest';
import { busDateTime, platformTimeToIso } from './wire';

describe('platform times', () => {
  it('writes an instant as yyyyMMddHHmmssSSS in Beijing', () => {
    expect(busDateTime('2026-11-22T15:59:59.999Z')).toBe('20261122235959999');
    expect(busDateTime('2026-11-22T16:00:00.000Z')).toBe('20261123000000000');
    expect(() => busDateTime('yesterday')).toThrow(RangeError);
  });

  it('reads the platform forms back to the instant', () => {
    expect(platformTimeToIso('20261123000000000')).toBe('2026-11-22T16:00:00.000Z');
    expect(platformTimeToIso('20261122101530')).toBe('2026-11-22T02:15:30.000Z');
    expect(platformTimeToIso('2026-11-22 10:15:30')).toBe('2026-11-22T02:15:30.000Z');
  });

  it('refuses impossible dates and other forms', () => {
    expect(platformTimeToIso('20261131101530')).toBeUndefined();
    expect(platformTimeToIso('20261122246000')).toBeUndefined();
    expect(platformTimeToIso('2026-11-22T10:15:30')).toBeUndefined();
    expect(platformTimeToIso('2026112210153')).toBeUndefined();
  });
});
