import { describe, expect, it } from 'vitest';
import { isCi, missing, missingReason } from './prerequisites';

describe('the tools the suite drives for real', () => {
  it('a missing tool skips its tests on a developer machine, naming the package', () => {
    expect(missing('socat', {}, () => false)).toBe(true);
    expect(missingReason('socat')).toBe('socat is not available (pty device tests need it): apt-get install socat');
  });

  it('under CI=true a missing tool fails the file with the package to install', () => {
    expect(() => missing('chromium', { CI: 'true' }, () => false)).toThrow(
      'CI=true: chromium is not available (e2e and slip PDF tests need it): apt-get install chromium',
    );
    expect(() => missing('openssl', { CI: '1' }, () => false)).toThrow(/apt-get install openssl/);
    expect(() => missing('postgresql', { CI: 'true' }, () => false)).toThrow(
      'CI=true: postgresql is not available (the hospital ledger tests on a throwaway PostgreSQL cluster (test/harness/postgres.ts) need it): apt-get install postgresql',
    );
  });

  it('a present tool runs its tests, under CI or not', () => {
    expect(missing('python3', { CI: 'true' }, () => true)).toBe(false);
    expect(missing('python3', {}, () => true)).toBe(false);
    expect([isCi({ CI: 'true' }), isCi({ CI: 'false' }), isCi({})]).toEqual([true, false, false]);
  });
});
