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
  type FinanceListName,
  type FinanceRow,
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

/** What every event of a seeded order says: its station, its order, who acted, that it succeeded, its patient. */
const eventBase = (stationId: string, o: SeedOrder) => ({
  v: 1 as const,
  stationId,
  orderId: o.id,
  hisOrderNo: `H${o.id}`,
  operatorId: o.operatorId,
  actor: 'station',
  outcome: 'succeeded' as const,
  patient: patientOf(o),
});

/** The seed's payments as the station's outbox publishes them: a payment, and for a refunded bill its money back. */
function paymentEvents(stationId: string, orders: SeedOrder[]): NewLedgerEvent[] {
  return orders.flatMap((o) => {
    if (!o.channel) return [];
    const [pay, back] = o.channel === 'cash' || o.channel === 'card' ? MOVEMENT[o.channel] : (['pay.micropay', 'pay.refund'] as const);
    const base = eventBase(stationId, o);
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
        ...eventBase(stationId, o),
        eventId: `${stationId}-${m.kind}-${o.id}`,
        kind,
        movement: m.kind,
        at: new Date(Date.parse(o.createdAt) + m.afterMs + (m.kind === 'nhsa.2201' ? 0 : 1_000)).toISOString(),
        channel: 'nhsa',
        amounts: kind === 'settlement' ? { total: o.totalFen, fund: o.fundFen, account: o.accountFen, cash: o.cashFen } : {},
        ids: { msgid: `x-${m.kind}-${o.id}`, mdtrtId: `MD${o.id}` },
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
    const base = eventBase(stationId, o);
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

/** One query of a list and which of its expected rows it keeps: both sources must page exactly those. */
interface ListCase<E> {
  name: string;
  filter: FinanceFilterInput;
  sort: FinanceSort;
  keep: (e: E) => boolean;
  limit: number;
  offset: number;
}

/** A case in one line: the first page of 50 unless `page` says `[limit, offset]`. */
const listCase = <E>(
  name: string,
  filter: FinanceFilterInput,
  sort: FinanceSort,
  keep: (e: E) => boolean,
  page = [50, 0],
): ListCase<E> => ({
  name,
  filter,
  sort,
  keep,
  limit: page[0]!,
  offset: page[1]!,
});

const DECEMBER = { from: '2026-12-01', to: '2026-12-31' };
const oneDay = (day: string) => ({ from: day, to: day });
const every = () => true;
const none = () => false;
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
/** The phone's orders (医保移动支付), numbered after the seed's window orders. */
const phoneSeed = mobile.map((m, k) => ({ m, i: AFTER_SEED + k }));

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
    phoneSeed
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

const QUERIES: ListCase<Expected>[] = [
  listCase('every day, newest first', DECEMBER, 'time-desc', every),
  listCase('by amount, a later page', DECEMBER, 'amount-desc', every, [40, 30]),
  listCase('cheapest first', DECEMBER, 'amount-asc', every, [25, 0]),
  listCase('one day, oldest first', oneDay('2026-12-02'), 'time-asc', (e) => chinaDay(e.createdAt) === '2026-12-02', [200, 0]),
  listCase("an operator's", { ...DECEMBER, operatorId: 'sf002' }, 'time-desc', (e) => e.operatorId === 'sf002', [30, 10]),
  listCase(
    'WeChat refunded',
    { ...DECEMBER, channel: 'wechat', states: ['refunded'] },
    'amount-desc',
    (e) => e.channel === 'wechat' && e.state === 'refunded',
  ),
  listCase('this station named', { ...DECEMBER, stationId: 'W01', channel: 'cash' }, 'time-asc', (e) => e.channel === 'cash'),
  listCase('a station with nothing', { ...DECEMBER, stationId: 'W09' }, 'time-desc', none),
  listCase('a patient by ID number', { ...DECEMBER, patient: BY_CERT.certNo.toLowerCase() }, 'time-desc', (e) => e.person === 9),
  listCase('paid on the phone (医保移动支付), by amount', { ...DECEMBER, channel: 'mobile' }, 'amount-desc', (e) => e.channel === 'mobile'),
  listCase(
    'a patient by name, on the phone',
    { ...DECEMBER, patient: typedName, channel: 'mobile' },
    'time-asc',
    (e) => e.person === 7 && e.channel === 'mobile',
  ),
  listCase(
    'a patient by name, on one channel',
    { ...DECEMBER, patient: typedName, channel: 'alipay' },
    'amount-asc',
    (e) => e.person === 7 && e.channel === 'alipay',
  ),
];

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

const REGISTRATION_QUERIES: ListCase<ExpectedRegistration>[] = [
  listCase('every day, newest first', DECEMBER, 'time-desc', every, [60, 0]),
  listCase(
    'one day, oldest first, a later page',
    oneDay('2026-12-02'),
    'time-asc',
    (e) => chinaDay(e.registeredAt) === '2026-12-02',
    [30, 20],
  ),
  listCase("an operator's", { ...DECEMBER, operatorId: 'sf003' }, 'time-asc', (e) => e.operatorId === 'sf003', [200, 0]),
  listCase('paid by card (the order’s payment)', { ...DECEMBER, channel: 'card' }, 'time-desc', (e) => e.channel === 'card', [200, 0]),
  listCase('this station named, registered', { ...DECEMBER, stationId: 'W01', states: ['registered'] }, 'time-asc', every, [50, 100]),
  listCase('reversed by 2601: none in the seed', { ...DECEMBER, states: ['reversed-2601'] }, 'time-asc', none),
  listCase('a patient by ID number', { ...DECEMBER, patient: BY_CERT.certNo }, 'time-asc', (e) => seed[e.i]!.person === 9),
  listCase(
    'a patient by name, one day',
    { ...oneDay('2026-12-02'), patient: typedName },
    'time-desc',
    (e) => seed[e.i]!.person === 7 && chinaDay(e.registeredAt) === '2026-12-02',
  ),
];

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
    phoneSeed
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

const REFUND_QUERIES: ListCase<ExpectedRefund>[] = [
  listCase('every day, newest first', DECEMBER, 'time-desc', every),
  listCase('by amount, a later page', DECEMBER, 'amount-desc', every, [20, 15]),
  listCase('one day, oldest first', oneDay('2026-12-03'), 'time-asc', (e) => chinaDay(e.createdAt) === '2026-12-03', [200, 0]),
  listCase("an operator's, cheapest first", { ...DECEMBER, operatorId: 'sf002' }, 'amount-asc', (e) => e.operatorId === 'sf002'),
  listCase('back on Alipay, refunded', { ...DECEMBER, channel: 'alipay', states: ['refunded'] }, 'time-asc', (e) => e.channel === 'alipay'),
  listCase('still waiting: none', { ...DECEMBER, states: ['waiting'] }, 'time-asc', none),
  listCase('a patient by ID number, by amount', { ...DECEMBER, patient: BY_CERT.certNo }, 'amount-desc', (e) => e.person === 9),
  listCase('back on the phone', { ...DECEMBER, channel: 'mobile' }, 'amount-asc', (e) => e.channel === 'mobile'),
  listCase('a patient by name', { ...DECEMBER, patient: seedPerson(19).name }, 'time-asc', (e) => e.person === 19),
];

/** One list's contract: its cases, the rows a plain walk of the seed expects, and a row as both sides compare it. */
interface ListContract<E extends { i: number }> {
  list: FinanceListName;
  cases: ListCase<E>[];
  rows: E[];
  time: (e: E) => string;
  /** The amount `amount-*` sorts by; null where no case sorts so. */
  amount: ((e: E) => number) | null;
  shown: (r: FinanceRow) => object;
  /** The expected row without what only the walk needs. */
  want: (e: E) => object;
}

/** What a plain walk of the expected rows says a case's page is: kept, sorted (ties in seed order), sliced. */
function walk<E extends { i: number }>(c: ListContract<E>, q: ListCase<E>): { rows: object[]; total: number } {
  const key = q.sort.startsWith('time') ? c.time : c.amount;
  if (!key) throw new Error(`${c.list}: no case sorts by amount here`);
  const sign = q.sort.endsWith('desc') ? -1 : 1;
  const all = c.rows.filter(q.keep).sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return (ka < kb ? -1 : ka > kb ? 1 : a.i - b.i) * sign;
  });
  return { rows: all.slice(q.offset, q.offset + q.limit).map(c.want), total: all.length };
}

/** A row of list `R` as both sources must agree on it: the fields `keys` name. */
const fieldsOf =
  <R extends FinanceRow>(keys: readonly (keyof R)[]) =>
  (r: FinanceRow): object =>
    Object.fromEntries(keys.map((k) => [k, (r as R)[k]]));

const PAYMENTS_CONTRACT: ListContract<Expected> = {
  list: 'payments',
  cases: QUERIES,
  rows: expected,
  time: (e) => e.createdAt,
  amount: (e) => e.amountFen,
  shown: fieldsOf<PaymentRow>([
    'orderId',
    'hisOrderNo',
    'operatorId',
    'stationId',
    'channel',
    'amountFen',
    'state',
    'orderState',
    'outTradeNo',
    'createdAt',
  ]),
  want: ({ i: _i, person: _p, ...rest }) => rest,
};

const registrationFields = fieldsOf<RegistrationRow>([
  'orderId',
  'hisOrderNo',
  'operatorId',
  'stationId',
  'mdtrtId',
  'state',
  'reversal',
  'settled',
  'registeredAt',
  'reversedAt',
]);

const REGISTRATIONS_CONTRACT: ListContract<ExpectedRegistration> = {
  list: 'registrations',
  cases: REGISTRATION_QUERIES,
  rows: registrations,
  time: (e) => e.registeredAt,
  amount: null,
  // the amount only where settled: the ledger has none for an unsettled registration
  shown: (r) => {
    const g = r as RegistrationRow;
    return { ...registrationFields(g), settledFen: g.settled ? g.amountFen : null };
  },
  want: ({ i: _i, channel: _c, ...rest }) => rest,
};

const shownRefund = fieldsOf<RefundRow>([
  'orderId',
  'orderState',
  'hisOrderNo',
  'operatorId',
  'stationId',
  'state',
  'fundFen',
  'accountFen',
  'cashFen',
  'amountFen',
  'channel',
  'createdAt',
  'finishedAt',
]);

const REFUNDS_CONTRACT: ListContract<ExpectedRefund> = {
  list: 'refunds',
  cases: REFUND_QUERIES,
  rows: refunds,
  time: (e) => e.createdAt,
  amount: (e) => e.amountFen,
  shown: shownRefund,
  want: ({ i: _i, person: _p, ...rest }) => rest,
};

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

  /** Each case of a list, asked of both sources: the page a plain walk of the seed says, no more and no less. */
  function contract<E extends { i: number }>(c: ListContract<E>): void {
    for (const source of ['station', 'hospital'] as const)
      it.each(c.cases)(`${source}: ${c.list}, $name`, async (q) => {
        const port = ports[source]();
        expect(port.source).toBe(source);
        const want = walk(c, q);
        const page = await port.page(
          { list: c.list, filter: FinanceFilter.parse(q.filter), sort: q.sort, limit: q.limit, offset: q.offset },
          admin,
        );
        expect(page.total).toBe(want.total);
        expect(page.totalCapped).toBe(false);
        expect(page.rows.map(c.shown)).toEqual(want.rows);
      });
  }
  contract(PAYMENTS_CONTRACT);
  contract(REGISTRATIONS_CONTRACT);
  contract(REFUNDS_CONTRACT);

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
    expect(listed.rows.map(shownRefund)).toEqual([
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
