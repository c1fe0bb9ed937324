/**
 * The hospital ledger on a throwaway PostgreSQL (issue 14): ingest from 3 stations at once, a 100,000-settlement day
 * read for reconciliation, and the office's payments list over 10,000,000 ledger rows.
 *
 * npm run bench -- ledger   (LEDGER_INGEST=N events per station, default 10,000; LEDGER_SETTLEMENTS=N the day's settlements,
 *                            default 100,000; LEDGER_ROWS=N list rows, default 10,000,000)
 *
 * The cluster is started as the tests start theirs (initdb + pg_ctl on a temp dir, fsync off, removed afterwards).
 * Ingest: each station's events go through its own outbox table and LedgerShipper to `yibao.append_events` under its
 * own login, the three concurrently. The list rows are bulk-loaded into the projection with generate_series (not
 * through the API), its indexes then built by `ledger init`, and the pages go through PostgresFinanceQuery with the
 * office login — a day, a month by amount, a station's month, an operator's refunded, a channel's, a deep page —
 * each 30 times. Goals (issue 14): ingest ≥ 2,000 events/s; the day's reconciliation ≤ 10 s; a page p95 ≤ 30 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startThrowawayPostgres } from '../test/harness/postgres';
import { FinanceFilter, type FinanceFilterInput, type FinanceSort } from '../src/shared/finance-lists';
import {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  LedgerEventsRepo,
  LedgerShipper,
  PostgresFinanceQuery,
  PostgresLedger,
  stationClientConfig,
  type NewLedgerEvent,
} from '../src/station/hospital-ledger';
import { openDatabase } from '../src/station/store';
import { reconcileBigDay } from './ledger-reconcile-day';

const PER_STATION = Number(process.env.LEDGER_INGEST ?? 10_000);
const ROWS = Number(process.env.LEDGER_ROWS ?? 10_000_000);
const SETTLEMENTS = Number(process.env.LEDGER_SETTLEMENTS ?? 100_000);
const STATIONS = ['W01', 'W02', 'W03'];
const ROUNDS = 30;
const ZONE = 'Asia/Shanghai';
const VIEWER = { roles: ['admin' as const] };

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => Math.round(x * 100) / 100;
const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

function paymentEvent(stationId: string, n: number): NewLedgerEvent {
  return {
    v: 1,
    stationId,
    eventId: `${stationId}-E${n}`,
    kind: 'payment',
    movement: 'pay.micropay',
    outcome: 'succeeded',
    orderId: `${stationId}-o${n}`,
    hisOrderNo: `H${stationId}${n}`,
    operatorId: `sf00${n % 3}`,
    actor: 'station',
    at: new Date(Date.parse('2026-12-04T01:00:00Z') + n * 1_000).toISOString(),
    channel: n % 2 ? 'wechat' : 'alipay',
    amounts: { cash: 100 + ((n * 7_919) % 50_000) },
    ids: { outTradeNo: `T${stationId}${n}`, transactionId: `X${stationId}${n}` },
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ledger-'));
const server = await startThrowawayPostgres();
try {
  const superuser = async <T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client(server.superuser(database));
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const keyFile = (login: string) => {
    const file = path.join(dir, `${login}.json`);
    fs.writeFileSync(file, JSON.stringify({ user: login, password: `${login}-secret-1` }), { mode: 0o600 });
    return stationClientConfig({ url: server.url('yibao'), keyFile: file });
  };
  await superuser('postgres', (c) => c.query('CREATE DATABASE yibao'));
  await superuser('yibao', async (c) => {
    await initLedgerSchema(c);
    for (const s of STATIONS) await addStationLogin(c, s, s.toLowerCase(), `${s.toLowerCase()}-secret-1`);
    await addOfficeLogin(c, 'office', 'office-secret-1');
  });

  // 1. Ingest: three stations' backlogs shipped at once, each through its own login.
  const shippers = STATIONS.map((s) => {
    const db = openDatabase(path.join(dir, `${s}.db`));
    const repo = new LedgerEventsRepo(db);
    db.transaction(() => {
      for (let n = 1; n <= PER_STATION; n++) repo.append(paymentEvent(s, n));
    })();
    const ledger = new PostgresLedger(keyFile(s.toLowerCase()));
    return { db, ledger, shipper: new LedgerShipper(repo, ledger, { now: () => new Date() }) };
  });
  const t0 = performance.now();
  const shipped = await Promise.all(shippers.map((s) => s.shipper.shipNow()));
  const ingestSeconds = seconds(t0);
  for (const s of shippers) {
    await s.ledger.close();
    s.db.close();
  }
  const ingested = shipped.reduce((a, b) => a + b, 0);
  if (ingested !== PER_STATION * STATIONS.length) throw new Error(`shipped ${ingested} of ${PER_STATION * STATIONS.length}`);
  const eventsPerSecond = Math.round(ingested / ingestSeconds);

  // 2. A day of SETTLEMENTS settlements reconciled: read through the office login, 3201 and 3202 with the centre.
  const recon = await superuser('yibao', (c) => reconcileBigDay(c, keyFile('office'), SETTLEMENTS));

  // 3. The office's list over ROWS projected payments: bulk-loaded without indexes, then `ledger init` builds them.
  const t1 = performance.now();
  await superuser('yibao', async (c) => {
    for (const ix of ['by_at', 'by_station', 'by_operator', 'by_channel', 'by_amount', 'by_trade'])
      await c.query(`DROP INDEX yibao.list_payments_${ix}`);
    // States by a modulus prime to the operators' and stations' (a refunded share tied to one operator would make the
    // planner's estimate of that filter wrong by 20×: an artefact of generated data, not of a hospital's).
    await c.query(
      `INSERT INTO yibao.list_payments (id, station_id, event_id, order_id, his_order_no, operator_id, channel, mode, amount_fen, state,
         out_trade_no, transaction_id, at, updated_at)
       SELECT 100000000 + g, 'W' || lpad((g % 30)::text, 2, '0'), 'B' || g, 'bo-' || g, 'BH' || g, 'sf' || lpad((g % 60)::text, 3, '0'),
         (ARRAY['wechat', 'alipay', 'cash', 'card'])[1 + g % 4], 'micropay', 100 + (g::bigint * 7919) % 50000,
         CASE WHEN g % 19 = 0 THEN 'refunded' WHEN g % 97 = 1 THEN 'reversed' ELSE 'paid' END,
         'BT' || g, 'BX' || g, t, t
       FROM generate_series(1, $1::int) g, LATERAL (SELECT timestamptz '2026-01-01 00:00+08' + g * interval '3 seconds' AS t) s`,
      [ROWS],
    );
    await c.query("SET maintenance_work_mem = '256MB'");
    await initLedgerSchema(c);
    // what autovacuum does to a table in service: the visibility map lets the capped counts read the indexes alone
    await c.query('VACUUM (ANALYZE) yibao.list_payments');
  });
  const loadSeconds = seconds(t1);

  // One row every 3 s from 2026-01-01: the day asked for is the middle of what was loaded, the month the 30 days to it.
  const day = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  const first = Date.parse('2025-12-31T16:00:00Z');
  const middle = first + (ROWS * 3_000) / 2;
  const d = day(middle);
  const monthFrom = day(Math.max(first, middle - 29 * 86_400_000));
  const queries: { name: string; filter: FinanceFilterInput; sort: FinanceSort; offset: number }[] = [
    { name: 'one day, newest first', filter: { from: d, to: d }, sort: 'time-desc', offset: 0 },
    { name: 'a month by amount', filter: { from: monthFrom, to: d }, sort: 'amount-desc', offset: 0 },
    { name: "a station's month", filter: { from: monthFrom, to: d, stationId: 'W07' }, sort: 'time-desc', offset: 0 },
    {
      name: "an operator's month, refunded",
      filter: { from: monthFrom, to: d, operatorId: 'sf020', states: ['refunded'] },
      sort: 'time-desc',
      offset: 0,
    },
    { name: 'a month by channel (alipay)', filter: { from: monthFrom, to: d, channel: 'alipay' }, sort: 'time-asc', offset: 0 },
    { name: 'a month, page 40', filter: { from: monthFrom, to: d }, sort: 'time-desc', offset: 40 * 50 },
  ];
  const office = new PostgresFinanceQuery(keyFile('office'), ZONE);
  const all: number[] = [];
  const rows: { query: string; rows: number; total: string; p50Ms: number; p95Ms: number }[] = [];
  try {
    for (const q of queries) {
      const times: number[] = [];
      let returned = 0;
      let total = '';
      for (let i = 0; i < ROUNDS; i++) {
        const start = performance.now();
        const page = await office.page(
          { list: 'payments', filter: FinanceFilter.parse(q.filter), sort: q.sort, limit: 50, offset: q.offset },
          VIEWER,
        );
        times.push(performance.now() - start);
        returned = page.rows.length;
        total = `${page.total}${page.totalCapped ? '+' : ''}`;
      }
      if (returned === 0) throw new Error(`${q.name}: an empty page measures nothing`);
      all.push(...times);
      rows.push({ query: q.name, rows: returned, total, p50Ms: ms(percentile(times, 50)), p95Ms: ms(percentile(times, 95)) });
    }
  } finally {
    await office.close();
  }
  const listP95 = ms(percentile(all, 95));

  console.log(`ledger: ${STATIONS.length} stations × ${PER_STATION.toLocaleString('en')} events shipped at once in ${ingestSeconds} s`);
  console.log(`ingest: ${eventsPerSecond.toLocaleString('en')} events/s (goal ≥ 2,000)`);
  console.log(
    `reconciliation: ${recon.settlements.toLocaleString('en')} settlements, read in ${recon.readSeconds} s, 3201/3202 in ${recon.reconcileSeconds} s: ${recon.seconds} s (goal ≤ 10 s; ${recon.groups} groups, ${recon.differences} differences)`,
  );
  console.log(`list: ${ROWS.toLocaleString('en')} rows bulk-loaded and indexed in ${loadSeconds} s, ${ROUNDS} rounds of each page of 50`);
  console.log('query                              rows   total   p50 ms   p95 ms');
  for (const r of rows)
    console.log(
      `${r.query.padEnd(34)} ${String(r.rows).padStart(4)} ${r.total.padStart(7)} ${String(r.p50Ms).padStart(8)} ${String(r.p95Ms).padStart(8)}`,
    );
  console.log(`all pages: p95 ${listP95} ms (goal ≤ 30 ms)`);
  console.log(
    JSON.stringify({
      bench: 'ledger',
      ingest: {
        stations: STATIONS.length,
        events: ingested,
        seconds: ingestSeconds,
        eventsPerSecond,
        goal: 2_000,
        met: eventsPerSecond >= 2_000,
      },
      reconciliation: { ...recon, goalSeconds: 10, met: recon.seconds <= 10 },
      list: { rows: ROWS, loadSeconds, p95Ms: listP95, goalMs: 30, met: listP95 <= 30, queries: rows },
    }),
  );
} finally {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
