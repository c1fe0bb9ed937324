/**
 * The finance lists read the window's rows and the phone's (医保移动支付) through one derived table: the day range
 * must still reach each side's index (EXPLAIN QUERY PLAN) — the window's payments and refunds by their creation time,
 * the phone's bookings by effect and time — so neither side is read whole for a page or its count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store';
import { PAYMENTS, REFUNDS } from './finance-specs';

let dir: string;
let db: Db;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finance-list-plans-'));
  db = openDatabase(path.join(dir, 'station.db'));
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const plan = (sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z') as { detail: string }[]).map(
    (r) => r.detail,
  );

describe('the finance lists by day range (EXPLAIN QUERY PLAN)', () => {
  it.each([
    [PAYMENTS, 'p USING INDEX payments_by_created', 'paid USING INDEX mobile_pay_bookings_by_effect_at'],
    [REFUNDS, 'r USING INDEX refunds_by_created', 'back USING INDEX mobile_pay_bookings_by_effect_at'],
  ])('%#: a page and its count search both sides by the day', (spec, window, phone) => {
    const where = `${spec.time} >= ? AND ${spec.time} < ?`;
    for (const sql of [
      `SELECT ${spec.id} FROM ${spec.from} WHERE ${where} ORDER BY ${spec.time} DESC, ${spec.id} DESC LIMIT 50`,
      `SELECT COUNT(*) FROM ${spec.from} WHERE ${where}`,
    ]) {
      const steps = plan(sql);
      expect(steps.filter((s) => s.startsWith('SEARCH')).map((s) => s.replace(/ \(.*$/, ''))).toEqual(
        expect.arrayContaining([`SEARCH ${window}`, `SEARCH ${phone}`]),
      );
      expect(steps.filter((s) => /^SCAN (p|r|o|m|paid|back)$/.test(s))).toEqual([]);
    }
  });
});
