/**
 * The admin's list over 3,000 orders written straight into a real station database: each filter, both sorts,
 * paging and the keyset batches return exactly the orders a plain walk of the seed says they must, the patient is
 * found through the blind index, names and ID numbers are masked for a role that may not see them, and the
 * date-range queries go through an index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderFilter, type OrderSort } from '../../shared/ledger';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { openDatabase, type Db } from '../store';
import { OrderSearch, PAGER_COUNT_CAP, type After } from './order-search';
import { seedOrder, seedOrders, seedPerson, type SeedOrder } from './testing/seed-orders';

const COUNT = 3_000;
const PERSONS = 40;
// 2026-12-01 00:00 in China; an order every 5 minutes, ≈ 10 days
const START = new Date('2026-11-30T16:00:00Z');
const STEP = 5 * 60_000;
const admin = { roles: ['admin'] as const };
const cashier = { roles: ['cashier'] as const };

let dir: string;
let db: Db;
let search: OrderSearch;
const seed: SeedOrder[] = Array.from({ length: COUNT }, (_, i) => seedOrder(i, START, STEP, PERSONS));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-search-'));
  db = openDatabase(path.join(dir, 'station.db'));
  const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  seedOrders(db, cipher, { count: COUNT, start: START, stepMs: STEP, persons: PERSONS });
  search = new OrderSearch(db, cipher, 'Asia/Shanghai');
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** China's calendar day of a stored instant, worked out by hand (UTC+8, no DST). */
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

function expected(filter: OrderFilter, sort: OrderSort): string[] {
  const rows = seed.filter(
    (o) =>
      chinaDay(o.createdAt) >= filter.from &&
      chinaDay(o.createdAt) <= filter.to &&
      (filter.operatorId === undefined || o.operatorId === filter.operatorId) &&
      (filter.states === undefined || filter.states.includes(o.state)) &&
      (filter.channel === undefined || o.channel === filter.channel) &&
      (filter.certNo === undefined || seedPerson(o.person).certNo === filter.certNo),
  );
  const key = (o: SeedOrder) => (sort.startsWith('time') ? o.createdAt : o.totalFen);
  const dir = sort.endsWith('asc') ? 1 : -1;
  rows.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : a.id < b.id ? -dir : dir));
  return rows.map((o) => o.id);
}

function allPages(filter: OrderFilter, sort: OrderSort, limit: number): string[] {
  const ids: string[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = search.page(filter, sort, limit, offset, admin);
    ids.push(...page.rows.map((r) => r.id));
    if (page.rows.length < limit) return ids;
  }
}

const filters: [string, OrderFilter][] = [
  ['two days', OrderFilter.parse({ from: '2026-12-02', to: '2026-12-03' })],
  [
    'one operator, completed, Alipay',
    OrderFilter.parse({ from: '2026-12-01', to: '2026-12-10', operatorId: 'sf002', states: ['completed'], channel: 'alipay' }),
  ],
  ['paid in cash at the window', OrderFilter.parse({ from: '2026-12-01', to: '2026-12-10', channel: 'cash' })],
  ['refunded or open', OrderFilter.parse({ from: '2026-12-04', to: '2026-12-06', states: ['refunded', 'open'] })],
  ['one patient by ID number', OrderFilter.parse({ from: '2026-12-01', to: '2026-12-31', certNo: seedPerson(7).certNo })],
];

describe('searchOrders', () => {
  it.each(filters)('%s: every page in time order is exactly the orders the seed says', (_, filter) => {
    const want = expected(filter, 'time-desc');
    expect(want.length).toBeGreaterThan(10);
    expect(allPages(filter, 'time-desc', 50)).toEqual(want);
    expect(search.count(filter)).toBe(want.length);
  });

  it('sorts by total both ways, ties broken by id, across pages', () => {
    const filter = filters[0]![1];
    expect(allPages(filter, 'total-desc', 37)).toEqual(expected(filter, 'total-desc'));
    expect(allPages(filter, 'total-asc', 200)).toEqual(expected(filter, 'total-asc'));
  });

  it('the day is China time: an order at 23:59 in Beijing (15:59 UTC) belongs to that day', () => {
    // order 287 is at 2026-12-01 23:55 Beijing, 288 at 12-02 00:00
    const dec1 = search.page(OrderFilter.parse({ from: '2026-12-01', to: '2026-12-01' }), 'time-desc', 1, 0, admin);
    expect(dec1.rows[0]?.id).toBe('o-0000287');
    expect(dec1.total).toBe(288);
  });

  it('keyset batches walk the same order as the pages, in both sorts', () => {
    for (const sort of ['time-asc', 'total-desc'] as const) {
      const filter = filters[2]![1];
      const ids: string[] = [];
      let after: After | null = null;
      do {
        const b = search.batch(filter, sort, after, 64, admin);
        ids.push(...b.rows.map((r) => r.id));
        after = b.next;
      } while (after);
      expect(ids).toEqual(expected(filter, sort));
    }
  });

  it('returns the amounts, doctor and channel of each row; the patient in full for the admin, masked for a cashier', () => {
    const filter = OrderFilter.parse({ from: '2026-12-01', to: '2026-12-01' });
    const full = search.page(filter, 'time-asc', 20, 0, admin).rows;
    const masked = search.page(filter, 'time-asc', 20, 0, cashier).rows;
    for (const [i, row] of full.entries()) {
      const o = seed[i]!;
      const p = seedPerson(o.person);
      expect(row).toMatchObject({
        id: o.id,
        patientName: p.name,
        certNo: p.certNo,
        doctorName: o.doctor,
        deptName: '内科',
        operatorId: o.operatorId,
        state: o.state,
        channel: o.channel,
        totalFen: o.totalFen,
        fundFen: o.fundFen,
        accountFen: o.accountFen,
        selfPayFen: o.cashFen,
      });
      expect(row.fundFen + row.accountFen + row.selfPayFen).toBe(o.state === 'open' ? 0 : o.totalFen);
      const m = masked[i]!;
      expect(m.patientName).toBe(`${[...p.name][0]}${'*'.repeat([...p.name].length - 1)}`);
      expect(m.certNo).toBe(`${p.certNo.slice(0, 6)}********${p.certNo.slice(-4)}`);
      expect(m.totalFen).toBe(row.totalFen);
    }
  });

  it("an order's fee lines (HX-42), opened from their sealed item; an unknown order has none", () => {
    expect(search.feeLines('o-0000005')).toEqual([
      {
        seq: 1,
        name: '阿莫西林胶囊',
        spec: '0.25g*24',
        unit: '盒',
        quantity: '1',
        unitPriceFen: seed[5]!.totalFen,
        amountFen: seed[5]!.totalFen,
        chargeLevel: '甲类',
      },
    ]);
    expect(search.feeLines('o-nope')).toBeUndefined();
  });

  it('filters by date, operator and patient through an index, never a scan of the orders', () => {
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (sql.includes('FROM outpatient_orders o')) {
        const args = sql.split('?').length - 1;
        const rows = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: args }, () => '')) as { detail: string }[];
        plans.push(rows.map((r) => r.detail).join(' | '));
      }
      return prepare(sql);
    }) as Db['prepare'];
    try {
      for (const [, filter] of filters) search.page(filter, 'total-desc', 10, 0, admin);
    } finally {
      db.prepare = prepare;
    }
    expect(plans.length).toBeGreaterThanOrEqual(filters.length);
    for (const plan of plans) {
      expect(plan).toMatch(/SEARCH o USING (COVERING )?INDEX/);
      // The one scan allowed: a big range by amount walks the amounts' covering index from the top, stopping at the page.
      expect(plan).not.toMatch(/SCAN o\b(?! USING COVERING INDEX outpatient_orders_by_total_created)/);
    }
  });
});

describe('the pager’s count on a big filter', () => {
  it('counts at most PAGER_COUNT_CAP rows and says more match; a narrower filter is counted exactly', () => {
    const bigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-search-cap-'));
    const bigDb = openDatabase(path.join(bigDir, 'station.db'));
    try {
      const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(bigDir, 'keys')));
      // PAGER_COUNT_CAP + 20 orders in one day (one every 8 s from China's midnight)
      seedOrders(bigDb, cipher, { count: PAGER_COUNT_CAP + 20, start: START, stepMs: 8_000, persons: PERSONS });
      const big = new OrderSearch(bigDb, cipher, 'Asia/Shanghai');
      const day = OrderFilter.parse({ from: '2026-12-01', to: '2026-12-01' });
      const page = big.page(day, 'time-asc', 50, 0, admin);
      expect(page).toMatchObject({ total: PAGER_COUNT_CAP, totalCapped: true });
      expect(page.rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => seedOrder(i, START, 8_000, PERSONS).id));
      expect(big.count(day)).toBe(PAGER_COUNT_CAP + 20); // the export's count is exact
      // By amount, a range this big walks the amounts' index: the same rows, in the same order, as sorting them would.
      const all = Array.from({ length: PAGER_COUNT_CAP + 20 }, (_, i) => seedOrder(i, START, 8_000, PERSONS));
      const top = (dir: 1 | -1) =>
        [...all].sort((a, b) => dir * (a.totalFen - b.totalFen) || dir * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((o) => o.id);
      expect(big.page(day, 'total-desc', 30, 0, admin).rows.map((r) => r.id)).toEqual(top(-1).slice(0, 30));
      expect(big.page(day, 'total-asc', 30, 60, admin).rows.map((r) => r.id)).toEqual(top(1).slice(60, 90));
      const one = OrderFilter.parse({ from: '2026-12-01', to: '2026-12-01', operatorId: 'sf001', states: ['refunded'] });
      const exact = big.page(one, 'time-desc', 50, 0, admin);
      expect(exact).toMatchObject({ totalCapped: false, total: big.count(one) });
    } finally {
      bigDb.close();
      fs.rmSync(bigDir, { recursive: true, force: true });
    }
  });
});
