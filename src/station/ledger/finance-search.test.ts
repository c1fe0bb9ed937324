/**
 * The finance lists (registrations, payments, refunds) over 1,200 seeded orders in a real station database: each
 * filter — days, operator, station, state, channel, the patient by whole name or ID number through the blind
 * indexes — and each sort returns exactly what a plain walk of the seed says; the batches an export takes walk the
 * same rows; names are masked for a cashier and in full for an admin; persons stored before migration 017 get their
 * name digest at start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FinanceFilter, type FinanceFilterInput, type FinanceRow, type FinanceSort } from '../../shared/finance-lists';
import { maskName } from '../../devices/masking';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { indexPersonNames, openDatabase, type Db } from '../store';
import { FinanceSearch, type ListSpec } from './finance-search';
import { PAYMENTS, REFUNDS, REGISTRATIONS } from './finance-specs';
import type { After } from './order-search';
import { REFUND_REASON, seedFinance, seedMovements } from './testing/seed-finance';
import { seedOrder, seedOrders, seedPerson, type SeedOrder } from './testing/seed-orders';

const COUNT = 1_200;
const PERSONS = 30;
const START = new Date('2026-11-30T16:00:00Z'); // 2026-12-01 00:00 in China
const STEP = 10 * 60_000; // ≈ 8 days
const STATION = 'W01';
const admin = { roles: ['admin'] as const };
const cashier = { roles: ['cashier'] as const };
const seed: SeedOrder[] = Array.from({ length: COUNT }, (_, i) => seedOrder(i, START, STEP, PERSONS));

let dir: string;
let db: Db;
let cipher: FieldCipher;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finance-search-'));
  db = openDatabase(path.join(dir, 'station.db'));
  cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  const opts = { count: COUNT, start: START, stepMs: STEP, persons: PERSONS };
  seedOrders(db, cipher, opts);
  seedFinance(db, cipher, opts);
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const list = <R extends FinanceRow>(spec: ListSpec<R>) => new FinanceSearch(spec, db, cipher, 'Asia/Shanghai', STATION);
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const f = (input: FinanceFilterInput) => FinanceFilter.parse(input);

/** The seed's own rows of a list: id, time, amount, and what a filter may ask of it. */
interface Expected {
  id: string;
  at: string;
  amount: number;
  order: SeedOrder;
  state: string;
  channel: string | null;
  operatorId: string;
}
function expectedRows(name: 'registrations' | 'payments' | 'refunds'): Expected[] {
  const out: Expected[] = [];
  seed.forEach((o, i) => {
    if (name === 'payments' && o.channel)
      out.push({
        id: `pay-${o.id}`,
        at: o.createdAt,
        amount: o.cashFen,
        order: o,
        state: o.state === 'refunded' ? 'refunded' : 'paid',
        channel: o.channel,
        operatorId: o.operatorId,
      });
    if (name === 'refunds' && o.state === 'refunded')
      out.push({
        id: `r-${o.id}`,
        at: plus(o.createdAt, 90_000),
        amount: o.fundFen + o.accountFen + o.cashFen,
        order: o,
        state: 'refunded',
        channel: o.channel,
        operatorId: o.operatorId,
      });
    if (name === 'registrations' && seedMovements(o, i).some((m) => m.kind === 'nhsa.2201'))
      out.push({
        id: `nhsa.2201-${o.id}`,
        at: o.createdAt,
        amount: o.totalFen,
        order: o,
        state: 'registered',
        channel: o.channel,
        operatorId: o.operatorId,
      });
  });
  return out;
}
function expected(name: 'registrations' | 'payments' | 'refunds', filter: FinanceFilter, sort: FinanceSort, station = STATION): string[] {
  const rows = expectedRows(name).filter(
    (r) =>
      chinaDay(r.at) >= filter.from &&
      chinaDay(r.at) <= filter.to &&
      (filter.stationId === undefined || filter.stationId === station) &&
      (filter.operatorId === undefined || r.operatorId === filter.operatorId) &&
      (filter.states === undefined || filter.states.includes(r.state)) &&
      (filter.channel === undefined || r.channel === filter.channel) &&
      (filter.patient === undefined ||
        ('certNo' in filter.patient
          ? seedPerson(r.order.person).certNo === filter.patient.certNo
          : seedPerson(r.order.person).name === filter.patient.name)),
  );
  const key = (r: Expected) => (sort.startsWith('time') ? r.at : r.amount);
  const d = sort.endsWith('asc') ? 1 : -1;
  rows.sort((a, b) => (key(a) < key(b) ? -d : key(a) > key(b) ? d : a.id < b.id ? -d : d));
  return rows.map((r) => r.id);
}

const lists = { registrations: REGISTRATIONS, payments: PAYMENTS, refunds: REFUNDS } as const;
const filters: [string, FinanceFilterInput][] = [
  ['a day', { from: '2026-12-02', to: '2026-12-02' }],
  ['all days', { from: '2026-12-01', to: '2026-12-31' }],
  ['an operator', { from: '2026-12-01', to: '2026-12-05', operatorId: 'sf002' }],
  ['this station', { from: '2026-12-01', to: '2026-12-31', stationId: STATION }],
  ['another station', { from: '2026-12-01', to: '2026-12-31', stationId: 'W02' }],
  ['a channel', { from: '2026-12-01', to: '2026-12-31', channel: 'alipay' }],
  ['a patient by name', { from: '2026-12-01', to: '2026-12-31', patient: seedPerson(9).name }],
  ['a patient by ID number', { from: '2026-12-01', to: '2026-12-31', patient: seedPerson(19).certNo }],
  ['a name nobody has', { from: '2026-12-01', to: '2026-12-31', patient: '无此人' }],
  [
    'operator + channel + name',
    { from: '2026-12-01', to: '2026-12-31', operatorId: 'sf001', channel: 'wechat', patient: seedPerson(9).name },
  ],
];

describe('finance lists over a real SQLite file', () => {
  for (const name of ['registrations', 'payments', 'refunds'] as const) {
    it.each(filters)(`${name}: %s, every sort, matches the seed`, (_label, input) => {
      const search = list<FinanceRow>(lists[name]);
      const filter = f(input);
      for (const sort of ['time-desc', 'time-asc', 'amount-desc', 'amount-asc'] as const) {
        const want = expected(name, filter, sort);
        const got = search.page(filter, sort, 200, 0, admin);
        expect(got.total).toBe(want.length);
        expect(got.rows.map((r) => r.id)).toEqual(want.slice(0, 200));
      }
    });
  }

  it('the filters that should find rows do (the seed is not empty where it matters)', () => {
    for (const name of ['registrations', 'payments', 'refunds'] as const) {
      for (const [label, input] of filters) {
        const found = expected(name, f(input), 'time-desc').length > 0;
        expect(found, `${name} ${label}`).toBe(label !== 'another station' && label !== 'a name nobody has');
      }
    }
  });

  it('states: registrations registered then undone (2202), payments by state, a state a list does not have refused', () => {
    const regs = list(REGISTRATIONS);
    const all = f({ from: '2026-12-01', to: '2026-12-31' });
    const rows = [];
    for (let offset = 0; ; offset += 200) {
      const page = regs.page(all, 'time-asc', 200, offset, admin).rows;
      rows.push(...page);
      if (page.length < 200) break;
    }
    expect(rows).toHaveLength(expectedRows('registrations').length);
    const undone = rows.filter((r) => r.reversal === 'reversed');
    expect(undone.map((r) => r.orderId)).toEqual(
      seed.filter((o, i) => seedMovements(o, i).some((m) => m.kind === 'nhsa.2202')).map((o) => o.id),
    );
    // an open order's registration was undone before any settlement; a refunded bill's after one
    for (const r of undone) {
      const o = seed.find((s) => s.id === r.orderId)!;
      expect(r.settled).toBe(o.state === 'refunded');
      expect(r.reversedAt).toBe(plus(o.createdAt, o.state === 'refunded' ? 121_000 : 61_000));
      expect(r.mdtrtId).toBe(`MD${o.id}`); // from 2201's own answer: the order no longer holds it
    }
    const live = rows.find((r) => r.reversal === 'none')!;
    expect(live.settled).toBe(true);
    expect(live.mdtrtId).toBe(`MD${live.orderId}`);

    const pays = list(PAYMENTS).page(f({ from: '2026-12-01', to: '2026-12-31', states: ['refunded'] }), 'time-asc', 200, 0, admin);
    expect(pays.total).toBe(expected('payments', f({ from: '2026-12-01', to: '2026-12-31', states: ['refunded'] }), 'time-asc').length);
    expect(pays.rows.every((r) => r.state === 'refunded')).toBe(true);
    expect(() =>
      list(PAYMENTS).page(f({ from: '2026-12-01', to: '2026-12-31', states: ['registered'] }), 'time-asc', 10, 0, admin),
    ).toThrow(/没有状态/);
  });

  it('refunds: the amount by leg, the channel it went back on, the reason given', () => {
    const page = list(REFUNDS).page(f({ from: '2026-12-01', to: '2026-12-31' }), 'time-asc', 5, 0, admin);
    const first = seed.find((o) => o.state === 'refunded')!;
    const row = page.rows[0]!;
    expect(row).toMatchObject({
      orderId: first.id,
      hisOrderNo: `H${first.id}`,
      fundFen: first.fundFen,
      accountFen: first.accountFen,
      cashFen: first.cashFen,
      amountFen: first.fundFen + first.accountFen + first.cashFen,
      channel: first.channel,
      reason: REFUND_REASON,
      stationId: STATION,
      finishedAt: plus(first.createdAt, 180_000),
    });
  });

  it('a patient found by name: in full for an admin, masked for a cashier', () => {
    const p = seedPerson(7);
    const filter = f({ from: '2026-12-01', to: '2026-12-31', patient: p.name });
    const full = list(PAYMENTS).page(filter, 'time-asc', 5, 0, admin).rows[0]!;
    expect([full.patientName, full.certNo]).toEqual([p.name, p.certNo]);
    const masked = list(PAYMENTS).page(filter, 'time-asc', 5, 0, cashier).rows[0]!;
    expect(masked.patientName).toBe(maskName(p.name));
    expect(masked.certNo).not.toContain(p.certNo.slice(6, 14));
    // the name is nowhere in the database in clear
    const hits = db
      .prepare(`SELECT COUNT(*) AS n FROM persons WHERE sealed LIKE ? OR name_index LIKE ?`)
      .get(`%${p.name}%`, `%${p.name}%`) as { n: number };
    expect(hits.n).toBe(0);
  });

  it('an ID number with a wrong check digit, or a part of one, is refused at the boundary', () => {
    expect(FinanceFilter.safeParse({ from: '2026-12-01', to: '2026-12-01', patient: '350203199001010011' }).success).toBe(false);
    expect(FinanceFilter.safeParse({ from: '2026-12-01', to: '2026-12-01', patient: '35020319900' }).success).toBe(false);
    expect(FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-01', patient: ' 陈建国 ' }).patient).toEqual({ name: '陈建国' });
  });

  it('the batches an export takes walk the same rows as the pages, for each list and sort', () => {
    for (const name of ['registrations', 'payments', 'refunds'] as const) {
      for (const sort of ['time-asc', 'amount-desc'] as const) {
        const filter = f({ from: '2026-12-01', to: '2026-12-31' });
        const search = list<FinanceRow>(lists[name]);
        const walked: string[] = [];
        let after: After | null = null;
        do {
          const batch = search.batch(filter, sort, after, 37, admin);
          walked.push(...batch.rows.map((r) => r.id));
          after = batch.next;
        } while (after);
        expect(walked).toEqual(expected(name, filter, sort));
      }
    }
  });

  it('persons stored before migration 017 get their name digest at start, then are found by name', () => {
    db.prepare('UPDATE persons SET name_index = NULL').run();
    const filter = f({ from: '2026-12-01', to: '2026-12-31', patient: seedPerson(7).name });
    expect(list(PAYMENTS).count(filter)).toBe(0);
    expect(indexPersonNames(db, cipher)).toBe(PERSONS);
    expect(list(PAYMENTS).count(filter)).toBe(expected('payments', filter, 'time-asc').length);
    expect(indexPersonNames(db, cipher)).toBe(0);
  });
});
