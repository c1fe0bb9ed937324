/**
 * One contract for the finance query port, run against both implementations (issue 13 item 7): the station's own
 * SQLite (StationFinanceQuery over seeded orders and payments) and the hospital's PostgreSQL (PostgresFinanceQuery
 * through the office login, over the same payments shipped as ledger events by the station's own login). Each
 * filter, sort and page returns exactly what a plain walk of the seed says. Then what only the hospital can do: a
 * second station's payments beside the first's, the station filter, and what it refuses (other lists; a patient
 * without the hospital-wide lookup key). A patient is found on both: the station by its persons' blind indexes, the
 * hospital by the lookup tokens the events carry (the office computing the same token with the same hospital key).
 * Phone payments (医保移动支付) are in both: the station's mobile orders beside its window's, and the events the
 * ledger's own mapping makes of their 6202 and 6203 — the wallet's part a payment, a refund under its serial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import {
  elsewhereNotice,
  FinanceFilter,
  heldElsewhere,
  type FinanceFilterInput,
  type FinanceSort,
  type PaymentRow,
  type RefundRow,
  type RegistrationRow,
} from '../../src/shared/finance-lists';
import {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  LedgerEventsRepo,
  ledgerEventsOf,
  LedgerShipper,
  type PostgresFinanceQuery,
  PostgresLedger,
  stationClientConfig,
  type NewLedgerEvent,
} from '../../src/station/hospital-ledger';
import {
  FinanceSearch,
  LedgerService,
  PAYMENTS,
  REFUNDS,
  REGISTRATIONS,
  StationFinanceQuery,
  type FinanceQueryPort,
} from '../../src/station/ledger';
import { seedFinance, seedMovements } from '../../src/station/ledger/testing/seed-finance';
import { seedMobile, seedMobileMovements, seedMobileOrders } from '../../src/station/ledger/testing/seed-mobile';
import { seedOrder, seedOrders, seedPerson, type SeedOrder } from '../../src/station/ledger/testing/seed-orders';
import { MobileOrdersRepo, mobileOrderFacts } from '../../src/station/mobile-pay';
import { FieldCipher, HospitalLookup, loadOrCreateDataKeys } from '../../src/station/security';
import type { ExportProgress } from '../../src/shared/ledger';
import { EventBus } from '../../src/station/events';
import { AuditRepo, openDatabase, type Db } from '../../src/station/store';
import { openOfficeFinanceQuery } from '../../src/app/wiring/ledger';
import { missing } from '../harness/prerequisites';
import { asSuperuser, createLedgerDatabase, startThrowawayPostgres, writeKeyFile, type ThrowawayPostgres } from '../harness/postgres';

const ZONE = 'Asia/Shanghai';
const OPTS = { count: 600, start: new Date('2026-11-30T16:00:00Z'), stepMs: 10 * 60_000, persons: 20 }; // ≈ 4 days
const seed: SeedOrder[] = Array.from({ length: OPTS.count }, (_, i) => seedOrder(i, OPTS.start, OPTS.stepMs, OPTS.persons));
const admin = { roles: ['admin'] as const };
/** The phone's payments on the same days, the seed's window orders numbered before them. */
const mobile = Array.from({ length: 8 }, (_, k) => seedMobile(k, OPTS.start));
const AFTER_SEED = OPTS.count;
const MOVEMENT = { cash: ['cash.take', 'cash.refund'], card: ['pos.sale', 'pos.refund'] } as const;
/** The hospital-wide lookup key: the stations token their events' patients with it, the office its searches. */
const LOOKUP = new HospitalLookup({ id: 'HK20261201-a1', key: '5a'.repeat(32) });
const patientOf = (o: SeedOrder) => LOOKUP.tokens(seedPerson(o.person));
/** Two of the seed's patients, as the clerk types them: one by ID number (lower-case x), one by name with a space. */
const BY_CERT = seedPerson(9);
const BY_NAME = seedPerson(7);
const typedName = `${BY_NAME.name.slice(0, 2)} ${BY_NAME.name.slice(2)}`;

/** The seed's payments as the station's outbox publishes them: a payment, and for a refunded bill its money back. */
function paymentEvents(stationId: string, orders: SeedOrder[]): NewLedgerEvent[] {
  return orders.flatMap((o) => {
    if (!o.channel) return [];
    const [pay, back] = o.channel === 'cash' || o.channel === 'card' ? MOVEMENT[o.channel] : (['pay.micropay', 'pay.refund'] as const);
    const base = {
      v: 1 as const,
      stationId,
      orderId: o.id,
      hisOrderNo: `H${o.id}`,
      operatorId: o.operatorId,
      actor: 'station',
      outcome: 'succeeded' as const,
      patient: patientOf(o),
    };
    const paid: NewLedgerEvent = {
      ...base,
      eventId: `${stationId}-pay-${o.id}`,
      kind: 'payment',
      movement: pay,
      at: o.createdAt,
      channel: o.channel,
      amounts: { cash: o.cashFen },
      ids: { outTradeNo: `T${o.id}` },
    };
    if (o.state !== 'refunded') return [paid];
    const at = new Date(Date.parse(o.createdAt) + 180_000).toISOString();
    return [
      paid,
      {
        ...paid,
        eventId: `${stationId}-refund-${o.id}`,
        kind: 'refund-payment',
        movement: back,
        at,
        amounts: { cash: -o.cashFen },
        ids: { outTradeNo: `T${o.id}`, outRefundNo: `R${o.id}`, stationRefundId: `r-${o.id}` },
      },
    ];
  });
}

/** The phone payments' events as the station's recorder makes them: the ledger's mapping over the order's facts. */
function phoneEvents(stationId: string, cipher: FieldCipher): NewLedgerEvent[] {
  const facts = { orders: new MobileOrdersRepo(db, cipher), stays: { byIptNo: () => undefined }, persons: { find: () => undefined } };
  return mobile.flatMap((m) =>
    seedMobileMovements(m).flatMap((movement) =>
      ledgerEventsOf(stationId, movement, mobileOrderFacts(facts, m.id) ?? null, LOOKUP.tokens(seedPerson(m.person))),
    ),
  );
}

const REGISTRATION_KINDS: Record<string, NewLedgerEvent['kind']> = {
  'nhsa.2201': 'registration',
  'nhsa.2202': 'registration-cancel',
  'nhsa.2207': 'settlement',
};

/**
 * The seed's centre movements as the outbox publishes them (seed-finance.ts wrote the same into the station's
 * intents): 2201, 2207 and 2202 each naming the visit; an event's time is when its movement became final.
 */
function registrationEvents(stationId: string, orders: SeedOrder[]): NewLedgerEvent[] {
  return orders.flatMap((o, i) =>
    seedMovements(o, i).map((m): NewLedgerEvent => {
      const kind = REGISTRATION_KINDS[m.kind]!;
      return {
        v: 1,
        stationId,
        eventId: `${stationId}-${m.kind}-${o.id}`,
        kind,
        movement: m.kind,
        outcome: 'succeeded',
        orderId: o.id,
        hisOrderNo: `H${o.id}`,
        operatorId: o.operatorId,
        actor: 'station',
        at: new Date(Date.parse(o.createdAt) + m.afterMs + (m.kind === 'nhsa.2201' ? 0 : 1_000)).toISOString(),
        channel: 'nhsa',
        amounts: kind === 'settlement' ? { total: o.totalFen, fund: o.fundFen, account: o.accountFen, cash: o.cashFen } : {},
        ids: { msgid: `x-${m.kind}-${o.id}`, mdtrtId: `MD${o.id}` },
        patient: patientOf(o),
      };
    }),
  );
}

/**
 * The rest of each seeded 退费 as its steps publish it (seed-finance.ts wrote the refund row): 2208 when the refund
 * was made (+90 s: its first money step, which is when the ledger's list says it began), HIS's confirm at +180 s.
 * The money back is a payment event (above).
 */
function refundEvents(stationId: string, orders: SeedOrder[]): NewLedgerEvent[] {
  return orders.flatMap((o): NewLedgerEvent[] => {
    if (o.state !== 'refunded') return [];
    const at = (ms: number) => new Date(Date.parse(o.createdAt) + ms).toISOString();
    const base = {
      v: 1 as const,
      stationId,
      orderId: o.id,
      hisOrderNo: `H${o.id}`,
      operatorId: o.operatorId,
      actor: 'station',
      outcome: 'succeeded' as const,
      patient: patientOf(o),
    };
    const key = { stationRefundId: `r-${o.id}` };
    const back = { total: -o.totalFen, fund: -o.fundFen, account: -o.accountFen, cash: -o.cashFen };
    return [
      {
        ...base,
        eventId: `${stationId}-2208r-${o.id}`,
        kind: 'refund-settlement-cancel',
        movement: 'nhsa.2208-refund',
        at: at(90_000),
        channel: 'nhsa',
        amounts: back,
        ids: { ...key, refundId: `r-${o.id}` },
      },
      {
        ...base,
        eventId: `${stationId}-hisr-${o.id}`,
        kind: 'refund-his-confirm',
        movement: 'his.refund-confirm',
        at: at(180_000),
        channel: 'his',
        amounts: {},
        ids: { ...key, refundId: `r-${o.id}` },
      },
    ];
  });
}

/** What any implementation must answer for the seed: every payment with what a filter may ask of it. */
const expected = seed
  .map((o, i) => ({ o, i }))
  .filter(({ o }) => o.channel)
  .map(({ o, i }) => ({
    i,
    person: o.person,
    orderId: o.id,
    hisOrderNo: `H${o.id}`,
    operatorId: o.operatorId,
    stationId: 'W01',
    channel: o.channel as string | null,
    amountFen: o.cashFen,
    state: o.state === 'refunded' ? 'refunded' : 'paid',
    orderState: o.state as string,
    outTradeNo: `T${o.id}`,
    createdAt: o.createdAt,
  }))
  .concat(
    // each phone payment's self-pay part (none where the fund and the account paid it all): no operator
    mobile
      .map((m, k) => ({ m, i: AFTER_SEED + k }))
      .filter(({ m }) => m.ownFen > 0)
      .map(({ m, i }) => ({
        i,
        person: m.person,
        orderId: m.id,
        hisOrderNo: m.hisOrderNo,
        operatorId: '',
        stationId: 'W01',
        channel: 'mobile',
        amountFen: m.ownFen,
        state: m.refundedAt ? 'refunded' : 'paid',
        orderState: m.refundedAt ? 'refunded' : 'completed',
        outTradeNo: m.payOrdId,
        createdAt: m.paidAt,
      })),
  );
type Expected = (typeof expected)[number];
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

const QUERIES: {
  name: string;
  filter: FinanceFilterInput;
  sort: FinanceSort;
  limit: number;
  offset: number;
  keep: (e: Expected) => boolean;
}[] = [
  {
    name: 'every day, newest first',
    filter: { from: '2026-12-01', to: '2026-12-31' },
    sort: 'time-desc',
    limit: 50,
    offset: 0,
    keep: () => true,
  },
  {
    name: 'by amount, a later page',
    filter: { from: '2026-12-01', to: '2026-12-31' },
    sort: 'amount-desc',
    limit: 40,
    offset: 30,
    keep: () => true,
  },
  { name: 'cheapest first', filter: { from: '2026-12-01', to: '2026-12-31' }, sort: 'amount-asc', limit: 25, offset: 0, keep: () => true },
  {
    name: 'one day, oldest first',
    filter: { from: '2026-12-02', to: '2026-12-02' },
    sort: 'time-asc',
    limit: 200,
    offset: 0,
    keep: (e) => chinaDay(e.createdAt) === '2026-12-02',
  },
  {
    name: "an operator's",
    filter: { from: '2026-12-01', to: '2026-12-31', operatorId: 'sf002' },
    sort: 'time-desc',
    limit: 30,
    offset: 10,
    keep: (e) => e.operatorId === 'sf002',
  },
  {
    name: 'WeChat refunded',
    filter: { from: '2026-12-01', to: '2026-12-31', channel: 'wechat', states: ['refunded'] },
    sort: 'amount-desc',
    limit: 50,
    offset: 0,
    keep: (e) => e.channel === 'wechat' && e.state === 'refunded',
  },
  {
    name: 'this station named',
    filter: { from: '2026-12-01', to: '2026-12-31', stationId: 'W01', channel: 'cash' },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.channel === 'cash',
  },
  {
    name: 'a station with nothing',
    filter: { from: '2026-12-01', to: '2026-12-31', stationId: 'W09' },
    sort: 'time-desc',
    limit: 50,
    offset: 0,
    keep: () => false,
  },
  {
    name: 'a patient by ID number',
    filter: { from: '2026-12-01', to: '2026-12-31', patient: BY_CERT.certNo.toLowerCase() },
    sort: 'time-desc',
    limit: 50,
    offset: 0,
    keep: (e) => e.person === 9,
  },
  {
    name: 'paid on the phone (医保移动支付), by amount',
    filter: { from: '2026-12-01', to: '2026-12-31', channel: 'mobile' },
    sort: 'amount-desc',
    limit: 50,
    offset: 0,
    keep: (e) => e.channel === 'mobile',
  },
  {
    name: 'a patient by name, on the phone',
    filter: { from: '2026-12-01', to: '2026-12-31', patient: typedName, channel: 'mobile' },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.person === 7 && e.channel === 'mobile',
  },
  {
    name: 'a patient by name, on one channel',
    filter: { from: '2026-12-01', to: '2026-12-31', patient: typedName, channel: 'alipay' },
    sort: 'amount-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.person === 7 && e.channel === 'alipay',
  },
];

function walk(q: (typeof QUERIES)[number]): { rows: Expected[]; total: number } {
  const [key, dir] = q.sort.startsWith('time') ? (['createdAt', 1] as const) : (['amountFen', 1] as const);
  const sign = q.sort.endsWith('desc') ? -1 : 1;
  const all = expected.filter(q.keep).sort((a, b) => {
    const ka = a[key];
    const kb = b[key];
    const c = ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
    return c * sign * dir;
  });
  return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
}

/** Every registration of the seed (insured orders), as a filter may ask of it. */
const registrations = seed
  .map((o, i) => ({ o, i, moves: seedMovements(o, i) }))
  .filter(({ moves }) => moves.length > 0)
  .map(({ o, i, moves }) => {
    const undo = moves.find((m) => m.kind === 'nhsa.2202');
    const settled = moves.some((m) => m.kind === 'nhsa.2207');
    return {
      i,
      orderId: o.id,
      hisOrderNo: `H${o.id}`,
      operatorId: o.operatorId,
      stationId: 'W01',
      mdtrtId: `MD${o.id}`,
      state: 'registered',
      reversal: undo ? 'reversed' : 'none',
      settled,
      // what both know of the amount: the settled bill's total (the ledger has none for an unsettled registration)
      settledFen: settled ? o.totalFen : null,
      registeredAt: o.createdAt,
      reversedAt: undo ? new Date(Date.parse(o.createdAt) + undo.afterMs + 1_000).toISOString() : null,
      channel: o.channel,
    };
  });
type ExpectedRegistration = (typeof registrations)[number];

const REGISTRATION_QUERIES: {
  name: string;
  filter: FinanceFilterInput;
  sort: FinanceSort;
  limit: number;
  offset: number;
  keep: (e: ExpectedRegistration) => boolean;
}[] = [
  {
    name: 'every day, newest first',
    filter: { from: '2026-12-01', to: '2026-12-31' },
    sort: 'time-desc',
    limit: 60,
    offset: 0,
    keep: () => true,
  },
  {
    name: 'one day, oldest first, a later page',
    filter: { from: '2026-12-02', to: '2026-12-02' },
    sort: 'time-asc',
    limit: 30,
    offset: 20,
    keep: (e) => chinaDay(e.registeredAt) === '2026-12-02',
  },
  {
    name: "an operator's",
    filter: { from: '2026-12-01', to: '2026-12-31', operatorId: 'sf003' },
    sort: 'time-asc',
    limit: 200,
    offset: 0,
    keep: (e) => e.operatorId === 'sf003',
  },
  {
    name: 'paid by card (the order’s payment)',
    filter: { from: '2026-12-01', to: '2026-12-31', channel: 'card' },
    sort: 'time-desc',
    limit: 200,
    offset: 0,
    keep: (e) => e.channel === 'card',
  },
  {
    name: 'this station named, registered',
    filter: { from: '2026-12-01', to: '2026-12-31', stationId: 'W01', states: ['registered'] },
    sort: 'time-asc',
    limit: 50,
    offset: 100,
    keep: () => true,
  },
  {
    name: 'reversed by 2601: none in the seed',
    filter: { from: '2026-12-01', to: '2026-12-31', states: ['reversed-2601'] },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: () => false,
  },
  {
    name: 'a patient by ID number',
    filter: { from: '2026-12-01', to: '2026-12-31', patient: BY_CERT.certNo },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: (e) => seed[e.i]!.person === 9,
  },
  {
    name: 'a patient by name, one day',
    filter: { from: '2026-12-02', to: '2026-12-02', patient: typedName },
    sort: 'time-desc',
    limit: 50,
    offset: 0,
    keep: (e) => seed[e.i]!.person === 7 && chinaDay(e.registeredAt) === '2026-12-02',
  },
];

function walkRegistrations(q: (typeof REGISTRATION_QUERIES)[number]): { rows: ExpectedRegistration[]; total: number } {
  const sign = q.sort.endsWith('desc') ? -1 : 1;
  const all = registrations
    .filter(q.keep)
    .sort((a, b) => (a.registeredAt < b.registeredAt ? -1 : a.registeredAt > b.registeredAt ? 1 : a.i - b.i) * sign);
  return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
}

/** Every seeded 退费: what went back by leg, on which channel, when it began and when HIS confirmed it. */
const refunds = seed
  .map((o, i) => ({ o, i }))
  .filter(({ o }) => o.state === 'refunded')
  .map(({ o, i }) => ({
    i,
    orderId: o.id,
    orderState: 'refunded',
    hisOrderNo: `H${o.id}`,
    operatorId: o.operatorId,
    stationId: 'W01',
    state: 'refunded',
    fundFen: o.fundFen,
    accountFen: o.accountFen,
    cashFen: o.cashFen,
    amountFen: o.fundFen + o.accountFen + o.cashFen,
    channel: o.channel,
    createdAt: new Date(Date.parse(o.createdAt) + 90_000).toISOString(),
    finishedAt: new Date(Date.parse(o.createdAt) + 180_000).toISOString() as string | null,
    person: o.person,
  }))
  .concat(
    // each phone refund (6203) under its serial: the centre's shares and the wallet's part back, done with it
    mobile
      .map((m, k) => ({ m, i: AFTER_SEED + k }))
      .filter(({ m }) => m.refundedAt !== null)
      .map(({ m, i }) => ({
        i,
        orderId: m.id,
        orderState: 'refunded',
        hisOrderNo: m.hisOrderNo,
        operatorId: '',
        stationId: 'W01',
        state: 'refunded',
        fundFen: m.fundFen,
        accountFen: m.acctFen,
        cashFen: m.ownFen,
        amountFen: m.fundFen + m.acctFen + m.ownFen,
        channel: m.ownFen > 0 ? 'mobile' : null,
        createdAt: m.refundedAt!,
        finishedAt: m.refundedAt,
        person: m.person,
      })),
  );
type ExpectedRefund = (typeof refunds)[number];

const REFUND_QUERIES: {
  name: string;
  filter: FinanceFilterInput;
  sort: FinanceSort;
  limit: number;
  offset: number;
  keep: (e: ExpectedRefund) => boolean;
}[] = [
  {
    name: 'every day, newest first',
    filter: { from: '2026-12-01', to: '2026-12-31' },
    sort: 'time-desc',
    limit: 50,
    offset: 0,
    keep: () => true,
  },
  {
    name: 'by amount, a later page',
    filter: { from: '2026-12-01', to: '2026-12-31' },
    sort: 'amount-desc',
    limit: 20,
    offset: 15,
    keep: () => true,
  },
  {
    name: 'one day, oldest first',
    filter: { from: '2026-12-03', to: '2026-12-03' },
    sort: 'time-asc',
    limit: 200,
    offset: 0,
    keep: (e) => chinaDay(e.createdAt) === '2026-12-03',
  },
  {
    name: "an operator's, cheapest first",
    filter: { from: '2026-12-01', to: '2026-12-31', operatorId: 'sf002' },
    sort: 'amount-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.operatorId === 'sf002',
  },
  {
    name: 'back on Alipay, refunded',
    filter: { from: '2026-12-01', to: '2026-12-31', channel: 'alipay', states: ['refunded'] },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.channel === 'alipay',
  },
  {
    name: 'still waiting: none',
    filter: { from: '2026-12-01', to: '2026-12-31', states: ['waiting'] },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: () => false,
  },
  {
    name: 'a patient by ID number, by amount',
    filter: { from: '2026-12-01', to: '2026-12-31', patient: BY_CERT.certNo },
    sort: 'amount-desc',
    limit: 50,
    offset: 0,
    keep: (e) => e.person === 9,
  },
  {
    name: 'back on the phone',
    filter: { from: '2026-12-01', to: '2026-12-31', channel: 'mobile' },
    sort: 'amount-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.channel === 'mobile',
  },
  {
    name: 'a patient by name',
    filter: { from: '2026-12-01', to: '2026-12-31', patient: seedPerson(19).name },
    sort: 'time-asc',
    limit: 50,
    offset: 0,
    keep: (e) => e.person === 19,
  },
];

function walkRefunds(q: (typeof REFUND_QUERIES)[number]): { rows: ExpectedRefund[]; total: number } {
  const key = q.sort.startsWith('time') ? 'createdAt' : 'amountFen';
  const sign = q.sort.endsWith('desc') ? -1 : 1;
  const all = refunds.filter(q.keep).sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.i - b.i) * sign);
  return { rows: all.slice(q.offset, q.offset + q.limit), total: all.length };
}

const shownRefund = (r: RefundRow) => ({
  orderId: r.orderId,
  orderState: r.orderState,
  hisOrderNo: r.hisOrderNo,
  operatorId: r.operatorId,
  stationId: r.stationId,
  state: r.state,
  fundFen: r.fundFen,
  accountFen: r.accountFen,
  cashFen: r.cashFen,
  amountFen: r.amountFen,
  channel: r.channel,
  createdAt: r.createdAt,
  finishedAt: r.finishedAt,
});

const shownRegistration = (r: RegistrationRow) => ({
  orderId: r.orderId,
  hisOrderNo: r.hisOrderNo,
  operatorId: r.operatorId,
  stationId: r.stationId,
  mdtrtId: r.mdtrtId,
  state: r.state,
  reversal: r.reversal,
  settled: r.settled,
  settledFen: r.settled ? r.amountFen : null,
  registeredAt: r.registeredAt,
  reversedAt: r.reversedAt,
});

const shown = (r: PaymentRow) => ({
  orderId: r.orderId,
  hisOrderNo: r.hisOrderNo,
  operatorId: r.operatorId,
  stationId: r.stationId,
  channel: r.channel,
  amountFen: r.amountFen,
  state: r.state,
  orderState: r.orderState,
  outTradeNo: r.outTradeNo,
  createdAt: r.createdAt,
});

let dir: string;
let db: Db;
let server: ThrowawayPostgres;
let hospital: PostgresFinanceQuery;
const keyFile = (name: string, user: string, password: string, lookupKeys?: HospitalLookup['key'][]) =>
  writeKeyFile(dir, name, { user, password, ...(lookupKeys ? { lookupKeys } : {}) });

async function ship(stationId: string, login: string, events: NewLedgerEvent[]): Promise<void> {
  const station = openDatabase(path.join(dir, `${stationId}-events.db`));
  const repo = new LedgerEventsRepo(station);
  for (const e of events) repo.append(e);
  const ledger = new PostgresLedger(
    stationClientConfig({ url: server.url('yibao'), keyFile: keyFile(`${login}.json`, login, `${login}-secret-1`) }),
  );
  expect(await new LedgerShipper(repo, ledger, { now: () => new Date() }).shipNow()).toBe(events.length);
  await ledger.close();
  station.close();
}

const asOwner = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => asSuperuser(server, 'yibao', fn);

describe.skipIf(missing('postgresql'))('the finance query port: one contract, the station’s SQLite and the hospital’s PostgreSQL', () => {
  const ports: Record<'station' | 'hospital', () => FinanceQueryPort> = {
    station: () => {
      const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
      const lists = {
        registrations: new FinanceSearch(REGISTRATIONS, db, cipher, ZONE, 'W01'),
        payments: new FinanceSearch(PAYMENTS, db, cipher, ZONE, 'W01'),
        refunds: new FinanceSearch(REFUNDS, db, cipher, ZONE, 'W01'),
      };
      return new StationFinanceQuery(lists);
    },
    hospital: () => hospital,
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finance-contract-'));
    db = openDatabase(path.join(dir, 'station.db'));
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    seedOrders(db, cipher, OPTS);
    seedFinance(db, cipher, OPTS);
    seedMobileOrders(db, cipher, mobile);
    server = await startThrowawayPostgres();
    await createLedgerDatabase(server);
    await asOwner(async (c) => {
      await initLedgerSchema(c);
      await addStationLogin(c, 'W01', 'w01', 'w01-secret-1');
      await addStationLogin(c, 'W02', 'w02', 'w02-secret-1');
      await addOfficeLogin(c, 'office', 'office-secret-1');
    });
    await ship('W01', 'w01', [
      ...paymentEvents('W01', seed),
      ...registrationEvents('W01', seed),
      ...refundEvents('W01', seed),
      ...phoneEvents('W01', cipher),
    ]);
    // as the station's configuration opens it: the ledger's address and the office login's key file
    const chosen = { url: server.url('yibao'), officeKeyFile: keyFile('office.json', 'office', 'office-secret-1', [LOOKUP.key]) };
    expect(openOfficeFinanceQuery(dir, { url: chosen.url }, ZONE)).toBeUndefined(); // no office login: this station's SQLite
    hospital = openOfficeFinanceQuery(dir, chosen, ZONE)!;
  });
  afterAll(async () => {
    await hospital?.close();
    db?.close();
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const source of ['station', 'hospital'] as const)
    it.each(QUERIES)(`${source}: $name`, async (q) => {
      const port = ports[source]();
      expect(port.source).toBe(source);
      const want = walk(q);
      const page = await port.page(
        { list: 'payments', filter: FinanceFilter.parse(q.filter), sort: q.sort, limit: q.limit, offset: q.offset },
        admin,
      );
      expect(page.total).toBe(want.total);
      expect(page.totalCapped).toBe(false);
      expect(page.rows.map((r) => shown(r as PaymentRow))).toEqual(want.rows.map(({ i: _i, person: _p, ...rest }) => rest));
    });

  for (const source of ['station', 'hospital'] as const)
    it.each(REGISTRATION_QUERIES)(`${source}: registrations, $name`, async (q) => {
      const want = walkRegistrations(q);
      const page = await ports[source]().page(
        { list: 'registrations', filter: FinanceFilter.parse(q.filter), sort: q.sort, limit: q.limit, offset: q.offset },
        admin,
      );
      expect(page.total).toBe(want.total);
      expect(page.rows.map((r) => shownRegistration(r as RegistrationRow))).toEqual(
        want.rows.map(({ i: _i, channel: _c, ...rest }) => rest),
      );
    });

  for (const source of ['station', 'hospital'] as const)
    it.each(REFUND_QUERIES)(`${source}: refunds, $name`, async (q) => {
      const want = walkRefunds(q);
      const page = await ports[source]().page(
        { list: 'refunds', filter: FinanceFilter.parse(q.filter), sort: q.sort, limit: q.limit, offset: q.offset },
        admin,
      );
      expect(page.total).toBe(want.total);
      expect(page.rows.map((r) => shownRefund(r as RefundRow))).toEqual(want.rows.map(({ i: _i, person: _p, ...rest }) => rest));
    });

  it('hospital-wide: a second station’s payments beside the first’s; the station filter narrows to one', async () => {
    const other = seed.slice(0, 50).map((o) => ({ ...o, id: `w2-${o.id}` }));
    await ship('W02', 'w02', paymentEvents('W02', other));
    const all = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31' });
    const both = await hospital.page({ list: 'payments', filter: all, sort: 'time-asc', limit: 200, offset: 0 }, admin);
    const theirs = other.filter((o) => o.channel).length;
    expect(both.total).toBe(expected.length + theirs);
    const onlyW02 = await hospital.page(
      {
        list: 'payments',
        filter: FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', stationId: 'W02' }),
        sort: 'time-asc',
        limit: 200,
        offset: 0,
      },
      admin,
    );
    expect(onlyW02.total).toBe(theirs);
    expect(new Set(onlyW02.rows.map((r) => r.stationId))).toEqual(new Set(['W02']));
    expect(onlyW02.rows.map((r) => r.orderId)).toEqual(other.filter((o) => o.channel).map((o) => o.id));
    // one ID number finds the patient's payments at both stations, and the page says which rows it cannot find
    const byCert = await hospital.page(
      { list: 'payments', filter: FinanceFilter.parse({ ...all, patient: BY_CERT.certNo }), sort: 'time-asc', limit: 200, offset: 0 },
      admin,
    );
    const hers = [...seed, ...other]
      .filter((o) => o.channel && o.person === 9)
      .map((o) => o.id)
      .concat(mobile.filter((m) => m.ownFen > 0 && m.person === 9).map((m) => m.id));
    expect(byCert.rows.map((r) => r.orderId).sort()).toEqual(hers.sort());
    expect(new Set(byCert.rows.map((r) => r.stationId))).toEqual(new Set(['W01', 'W02']));
    expect(byCert.notice).toContain('HK20261201-a1');
    // `ledger init` again (an upgrade): the projection is backfilled only where missing, nothing doubles
    await asOwner((c) => initLedgerSchema(c));
    expect((await hospital.page({ list: 'payments', filter: all, sort: 'time-asc', limit: 1, offset: 0 }, admin)).total).toBe(both.total);
  });

  it('hospital-wide refuses what it cannot answer: a patient without the lookup key, another list’s state', async () => {
    const byPatient = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', patient: '张三' });
    const keyless = openOfficeFinanceQuery(
      dir,
      { url: server.url('yibao'), officeKeyFile: keyFile('keyless.json', 'office', 'office-secret-1') },
      ZONE,
    )!;
    try {
      for (const list of ['payments', 'registrations', 'refunds'] as const)
        await expect(keyless.page({ list, filter: byPatient, sort: 'time-desc', limit: 10, offset: 0 }, admin)).rejects.toThrow(
          '全院按患者查询需要全院查询密钥',
        );
      // without a patient it answers as the keyed one does
      const all = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', stationId: 'W01' });
      expect((await keyless.page({ list: 'payments', filter: all, sort: 'time-desc', limit: 1, offset: 0 }, admin)).total).toBe(
        expected.length,
      );
    } finally {
      await keyless.close();
    }
    const payState = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', states: ['paid'] });
    await expect(
      hospital.page({ list: 'registrations', filter: payState, sort: 'time-desc', limit: 10, offset: 0 }, admin),
    ).rejects.toThrow('挂号列表没有状态“paid”');
  });

  it('hospital-wide refunds: an older station’s steps (no stationRefundId) are grouped too; `ledger init` backfills once', async () => {
    const base = {
      v: 1 as const,
      stationId: 'W02',
      orderId: 'w2-old',
      hisOrderNo: 'Hw2-old',
      operatorId: 'sf005',
      actor: 'station',
      outcome: 'succeeded' as const,
    };
    const at = (s: number) => `2026-12-05T0${s}:00:00.000Z`;
    const older: NewLedgerEvent[] = [
      {
        ...base,
        eventId: 'old-2208',
        kind: 'refund-settlement-cancel',
        movement: 'nhsa.2208-refund',
        at: at(1),
        channel: 'nhsa',
        amounts: { total: -900, fund: -500, account: -100, cash: -300 },
        ids: { refundId: 'r-old' },
      },
      // a wallet's older money back names the platform's refund, not the station's: it goes on its order's refund
      {
        ...base,
        eventId: 'old-pay',
        kind: 'refund-payment',
        movement: 'pay.refund',
        at: at(2),
        channel: 'wechat',
        amounts: { cash: -300 },
        ids: { outTradeNo: 'Told', refundId: 'WX-REFUND-9' },
      },
      {
        ...base,
        eventId: 'old-his',
        kind: 'refund-his-confirm',
        movement: 'his.refund-confirm',
        at: at(3),
        channel: 'his',
        amounts: {},
        ids: { refundId: 'r-old' },
      },
    ];
    await ship('W02', 'w02', older);
    const filter = FinanceFilter.parse({ from: '2026-12-05', to: '2026-12-05', stationId: 'W02' });
    const page = () => hospital.page({ list: 'refunds', filter, sort: 'time-asc', limit: 10, offset: 0 }, admin);
    const listed = await page();
    expect(listed.rows.map((r) => shownRefund(r as RefundRow))).toEqual([
      {
        orderId: 'w2-old',
        orderState: 'refunded',
        hisOrderNo: 'Hw2-old',
        operatorId: 'sf005',
        stationId: 'W02',
        state: 'refunded',
        fundFen: 500,
        accountFen: 100,
        cashFen: 300,
        amountFen: 900,
        channel: 'wechat',
        createdAt: at(1),
        finishedAt: at(3),
      },
    ]);
    // events stored before v4 (the projection empty): init projects them as the trigger did; again, nothing doubles
    const all = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31' });
    const everything = () => hospital.page({ list: 'refunds', filter: all, sort: 'amount-desc', limit: 200, offset: 0 }, admin);
    const before = await everything();
    // W01's, this one, and the money back of W02's payments shipped above (refunds of their own)
    const theirs = seed.slice(0, 50).filter((o) => o.state === 'refunded' && o.channel).length;
    expect(before.total).toBe(refunds.length + 1 + theirs);
    const hers = () =>
      hospital.page(
        {
          list: 'refunds',
          filter: FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', stationId: 'W01', patient: BY_CERT.certNo }),
          sort: 'time-asc',
          limit: 50,
          offset: 0,
        },
        admin,
      );
    const hersBefore = await hers();
    expect(hersBefore.total).toBe(refunds.filter((r) => r.person === 9).length);
    await asOwner((c) => c.query('DELETE FROM yibao.list_refunds'));
    expect((await everything()).total).toBe(0);
    await asOwner((c) => initLedgerSchema(c));
    await asOwner((c) => initLedgerSchema(c));
    expect(await everything()).toEqual(before);
    // the rebuilt rows take their tokens back from their events: the patient is found as before
    expect(await hers()).toEqual(hersBefore);
    expect(await page()).toEqual(listed);
  });

  it('hospital-wide registrations: a 2601 reversal is listed as such; `ledger init` backfills once, nothing twice', async () => {
    const o = { ...seed[1]!, id: 'w2-lost' };
    const reversed: NewLedgerEvent = {
      ...registrationEvents('W02', [o])[0]!,
      eventId: 'W02-2601-w2-lost',
      kind: 'registration-reversed',
      outcome: 'compensated',
      ids: { msgid: 'x-lost' },
    };
    await ship('W02', 'w02', [reversed]);
    const filter = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', stationId: 'W02', states: ['reversed-2601'] });
    const before = await hospital.page({ list: 'registrations', filter, sort: 'time-asc', limit: 10, offset: 0 }, admin);
    expect(before.rows).toEqual([
      expect.objectContaining({
        orderId: 'w2-lost',
        stationId: 'W02',
        state: 'reversed-2601',
        reversal: 'none',
        mdtrtId: '',
        settled: false,
      }),
    ]);
    const all = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31' });
    const count = async () =>
      (await hospital.page({ list: 'registrations', filter: all, sort: 'time-asc', limit: 1, offset: 0 }, admin)).total;
    const total = await count();
    await asOwner((c) => initLedgerSchema(c));
    expect(await count()).toBe(total);
    expect(total).toBe(registrations.length + 1);
    // events stored before v3 (the projection empty): init projects them, paired and settled as the trigger did
    const page = () => hospital.page({ list: 'registrations', filter: all, sort: 'time-asc', limit: 200, offset: 100 }, admin);
    const projected = await page();
    await asOwner((c) => c.query('DELETE FROM yibao.list_registrations'));
    expect(await count()).toBe(0);
    await asOwner((c) => initLedgerSchema(c));
    expect(await page()).toEqual(projected);
  });

  it('the office screen’s service reads every list hospital-wide (全院)', async () => {
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    const service = new LedgerService({
      db,
      cipher,
      timeZone: ZONE,
      now: () => new Date('2026-12-04T02:00:00Z'),
      audit: new AuditRepo(db, 'W01', cipher),
      bus: new EventBus(),
      exportsDir: undefined,
      stationId: 'W01',
      financeQuery: hospital,
    });
    const operator = { id: 'admin', name: 'admin', role: 'admin' as const, roles: ['admin' as const], mustChangePassword: false };
    const filter = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', stationId: 'W01' });
    const payments = await service.searchFinance(operator, { list: 'payments', filter, sort: 'time-asc', limit: 10, offset: 0 });
    expect(payments).toMatchObject({ list: 'payments', source: 'hospital', total: expected.length });
    const regs = await service.searchFinance(operator, { list: 'registrations', filter, sort: 'time-asc', limit: 10, offset: 0 });
    expect(regs.source).toBe('hospital');
    expect(regs.rows[0]).toMatchObject({ list: 'registrations', stationId: 'W01' });
    const back = await service.searchFinance(operator, { list: 'refunds', filter, sort: 'time-asc', limit: 10, offset: 0 });
    expect(back).toMatchObject({ source: 'hospital', total: refunds.length });
    // every station's rows: this station acts on its own (Del, F9); another's says where it is (不在本站)
    const everyStation = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31' });
    const mixed = await service.searchFinance(operator, {
      list: 'payments',
      filter: everyStation,
      sort: 'time-asc',
      limit: 200,
      offset: 0,
    });
    expect(mixed.here).toBe('W01');
    const theirs = mixed.rows.find((r) => r.stationId === 'W02')!;
    const ours = mixed.rows.find((r) => r.stationId === 'W01')!;
    expect([heldElsewhere(theirs, mixed), heldElsewhere(ours, mixed)]).toEqual(['W02', null]);
    expect(elsewhereNotice('W02')).toContain('不在本站');
  });

  it('a 全院 list exports what it shows: every station’s rows through the same port, audited with its source', async () => {
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    const bus = new EventBus();
    const audit = new AuditRepo(db, 'W01', cipher);
    const service = new LedgerService({
      db,
      cipher,
      timeZone: ZONE,
      now: () => new Date('2026-12-24T02:00:00Z'),
      audit,
      bus,
      exportsDir: path.join(dir, 'exports'),
      stationId: 'W01',
      financeQuery: hospital,
    });
    const cashier = { id: 'sf001', name: 'sf001', role: 'cashier' as const, roles: ['cashier' as const], mustChangePassword: false };
    const finished = new Promise<ExportProgress>((resolve) => {
      const sub = bus.listen((event, payload) => {
        const p = payload as ExportProgress;
        if (event !== 'exportProgress' || p.state === 'running') return;
        sub.dispose();
        resolve(p);
      });
    });
    const filter = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31' });
    const shown = await hospital.page({ list: 'refunds', filter, sort: 'time-asc', limit: 200, offset: 0 }, cashier);
    expect(new Set(shown.rows.map((r) => r.stationId))).toEqual(new Set(['W01', 'W02']));
    const started = await service.exportFinance(cashier, { list: 'refunds', filter, sort: 'time-asc', format: 'csv' });
    expect(started).toMatchObject({ source: 'hospital', total: shown.total });
    const end = await finished;
    expect(end.state).toBe('finished');
    const lines = fs
      .readFileSync(end.file!, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toBe(REFUNDS.headers.join(','));
    // HIS单号 and 工作站 of each row, in the list's order
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',')[4]])).toEqual(shown.rows.map((r) => [r.hisOrderNo, r.stationId]));
    const trail = audit.list(5).filter((e) => e.action === 'ledger.export');
    expect(trail[0]).toMatchObject({ operatorId: 'sf001', outcome: 'ok' });
    expect(trail[0]!.detail).toContain(`${shown.total} rows`);
    expect(trail[0]!.detail).toContain('list refunds; source hospital');
  });

  it('the pager counts up to its cap hospital-wide, and says so', async () => {
    // 10,001 payments on one day straight into the projection as its owner (the cap, not the ingest, is tested here)
    await asOwner((c) =>
      c.query(`INSERT INTO yibao.list_payments (id, station_id, event_id, order_id, operator_id, channel, mode, amount_fen, state, at, updated_at)
        SELECT 1000000 + g, 'W03', 'cap-' || g, 'cap-o-' || g, 'sf009', 'alipay', 'micropay', 100, 'paid', '2026-12-10T02:00:00Z', '2026-12-10T02:00:00Z'
        FROM generate_series(1, 10001) g`),
    );
    const day = FinanceFilter.parse({ from: '2026-12-10', to: '2026-12-10', stationId: 'W03' });
    const page = await hospital.page({ list: 'payments', filter: day, sort: 'time-desc', limit: 50, offset: 0 }, admin);
    expect(page).toMatchObject({ total: 10_000, totalCapped: true });
    expect(page.rows).toHaveLength(50);
  });
});
