import { describe, expect, it } from 'vitest';
import { countdownPhase, formatCountdown, remainingMs } from './format';

describe('formatCountdown', () => {
  it('shows minutes and seconds, rounding a started second up', () => {
    expect(formatCountdown(30 * 60_000)).toBe('30:00');
    expect(formatCountdown(119_001)).toBe('02:00');
    expect(formatCountdown(5_000)).toBe('00:05');
    expect(formatCountdown(1)).toBe('00:01');
  });

  it('never goes below zero', () => {
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-12_000)).toBe('00:00');
  });

  it('adds hours past an hour', () => {
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
  });
});

describe('countdownPhase', () => {
  it('is urgent in the last 30 seconds and over at zero', () => {
    expect(countdownPhase(31_000)).toBe('running');
    expect(countdownPhase(30_000)).toBe('urgent');
    expect(countdownPhase(1)).toBe('urgent');
    expect(countdownPhase(0)).toBe('over');
    expect(countdownPhase(-1)).toBe('over');
  });
});

describe('remainingMs', () => {
  it('measures from now to an ISO time, null when there is none', () => {
    const now = Date.parse('2025-01-02T08:00:00.000Z');
    expect(remainingMs('2025-01-02T08:01:30.000Z', now)).toBe(90_000);
    expect(remainingMs('2025-01-02T07:59:59.000Z', now)).toBe(-1_000);
    expect(remainingMs(null, now)).toBeNull();
    expect(remainingMs('not a time', now)).toBeNull();
  });
});
