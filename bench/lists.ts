/**
 * The office's lists on a big station database (issue 13): 1,000,000 orders, a filtered and sorted page.
 *
 * npm run bench -- lists        (LISTS_ORDERS=N to change the size; default 1,000,000)
 *
 * The orders are written straight into a real station database (sealed persons and care, as the station seals them;
 * `seedOrders`, the lists' tests' seed), one every 30 s from 2026-01-01. Then the pages a clerk asks for go through
 * the same `OrderSearch.page` the 结算流水 screen calls — a day, a month sorted by amount, an operator's month, a
 * channel's, one patient's year by ID number (the blind index), a deep page — each 30 times, and the p95 of every
 * kind and of all together is reported. Goal (issue 13): a filtered and sorted page p95 ≤ 20 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OrderSearch } from '../src/station/ledger';
import { seedOrders, seedPerson } from '../src/station/ledger/testing/seed-orders';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security';
import { openDatabase } from '../src/station/store';
import { OrderFilter, type OrderSort } from '../src/shared/ledger';

const ORDERS = Number(process.env.LISTS_ORDERS ?? 1_000_000);
const PERSONS = 20_000;
const ROUNDS = 30;
const VIEWER = { roles: ['admin' as const] };

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => Math.round(x * 100) / 100;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lists-'));
try {
  const db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const t0 = performance.now();
  seedOrders(db, cipher, { count: ORDERS, start: new Date('2025-12-31T16:00:00Z'), stepMs: 30_000, persons: PERSONS });
  const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
  db.pragma('optimize');
  const search = new OrderSearch(db, cipher, 'Asia/Shanghai');
  // One order every 30 s: 1,000,000 orders run from 2026-01-01 to mid-December. The day asked for is the middle of
  // what was seeded, the month the 30 days ending there, the year the whole of it.
  const beijingDay = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  const first = Date.parse('2025-12-31T16:00:00Z');
  const middle = first + (ORDERS * 30_000) / 2;
  const day = beijingDay(middle);
  const monthFrom = beijingDay(Math.max(first, middle - 29 * 86_400_000));
  const yearTo = beijingDay(first + ORDERS * 30_000);
  const queries: { name: string; filter: OrderFilter; sort: OrderSort; offset: number }[] = [
    { name: 'one day, newest first', filter: OrderFilter.parse({ from: day, to: day }), sort: 'time-desc', offset: 0 },
    { name: 'a month by amount', filter: OrderFilter.parse({ from: monthFrom, to: day }), sort: 'total-desc', offset: 0 },
    {
      name: "an operator's month, refunded",
      filter: OrderFilter.parse({ from: monthFrom, to: day, operatorId: 'sf002', states: ['refunded'] }),
      sort: 'time-desc',
      offset: 0,
    },
    {
      name: 'a month by channel (alipay)',
      filter: OrderFilter.parse({ from: monthFrom, to: day, channel: 'alipay' }),
      sort: 'time-asc',
      offset: 0,
    },
    {
      name: "one patient's orders (ID number)",
      filter: OrderFilter.parse({ from: '2026-01-01', to: yearTo, certNo: seedPerson(4_321).certNo }),
      sort: 'time-desc',
      offset: 0,
    },
    { name: 'a month, page 40', filter: OrderFilter.parse({ from: monthFrom, to: day }), sort: 'time-desc', offset: 40 * 50 },
  ];
  const all: number[] = [];
  const rows: { query: string; rows: number; p50Ms: number; p95Ms: number }[] = [];
  for (const q of queries) {
    const times: number[] = [];
    let returned = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      const page = search.page(q.filter, q.sort, 50, q.offset, VIEWER);
      times.push(performance.now() - start);
      returned = page.rows.length;
    }
    if (returned === 0) throw new Error(`${q.name}: an empty page measures nothing`);
    all.push(...times);
    rows.push({ query: q.name, rows: returned, p50Ms: ms(percentile(times, 50)), p95Ms: ms(percentile(times, 95)) });
  }
  const sizeMb = Math.round(fs.statSync(path.join(dir, 'station.db')).size / 1_048_576);
  db.close();

  console.log(
    `lists: ${ORDERS.toLocaleString('en')} orders (${sizeMb} MB, seeded in ${seedSeconds} s), ${ROUNDS} rounds of each page of 50`,
  );
  console.log('query                              rows   p50 ms   p95 ms');
  for (const r of rows)
    console.log(`${r.query.padEnd(34)} ${String(r.rows).padStart(4)} ${String(r.p50Ms).padStart(8)} ${String(r.p95Ms).padStart(8)}`);
  const p95 = ms(percentile(all, 95));
  console.log(`all pages: p95 ${p95} ms (goal ≤ 20 ms)`);
  console.log(
    JSON.stringify({ bench: 'lists', orders: ORDERS, dbMb: sizeMb, seedSeconds, p95Ms: p95, goalMs: 20, met: p95 <= 20, queries: rows }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
