import { describe, expect, it } from 'vitest';
import { appendBounded, REQUEST_LOG_LIMIT } from './bounded-log';
import { HisLedger } from './his/ledger';

describe('what the simulators keep in memory is bounded (issue 17)', () => {
  it('a request log keeps its newest entries, in order, and never much more than its limit', () => {
    const log: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      appendBounded(log, i, 100);
      expect(log.length).toBeLessThanOrEqual(110);
    }
    expect(log.at(-1)).toBe(999);
    expect(log.length).toBeGreaterThanOrEqual(100);
    expect(log).toEqual(Array.from({ length: log.length }, (_, k) => 1_000 - log.length + k));
  });

  it('the default limit is far above what a test reads back', () => {
    const log: string[] = [];
    for (let i = 0; i < REQUEST_LOG_LIMIT * 3; i++) appendBounded(log, `r${i}`);
    expect(log.length).toBeLessThanOrEqual(REQUEST_LOG_LIMIT * 1.1);
    expect(log.at(-1)).toBe(`r${REQUEST_LOG_LIMIT * 3 - 1}`);
  });

  it('a ledger prepares each statement once', () => {
    const ledger = new HisLedger(':memory:');
    const db = (ledger as unknown as { db: { prepare(sql: string): unknown } }).db;
    expect(db.prepare('SELECT 1')).toBe(db.prepare('SELECT 1'));
    ledger.close();
  });
});
