/**
 * The settlement service under 200 phones paying at once (issue 16): p95 of a settle beyond the simulated latency.
 *
 * npm run bench -- service     (SERVICE_PHONES=N, default 200; SERVICE_LATENCY_MS, default 50; SERVICE_SPREAD_S=S: the
 *                               phones arrive over S seconds; SERVICE_ROOT=/dev/shm: databases in memory, no fsync;
 *                               SERVICE_CPU_PROFILE=FILE: the service's CPU profile)
 *
 * The driver (test/bench/service-driver.ts) seeds a synthetic ward of insured inpatients into the NHSA and HIS
 * simulators, starts the service as `npm run service` starts it (the service chaos run's child), sets a fixed latency
 * on every simulator call and has the mobile-payment centre deliver every settlement callback 3 times. N phones then
 * each mint a session and settle their stay: fees → shares → 一键结算 → result. Reported: p50/p95/max of the settle
 * call and of the whole flow, each also less the simulated latency it includes — the simulator calls of one settle
 * and one flow, counted from the simulators' request logs around phones run alone before the run, times the latency
 * (fewest over the calibration phones: the calls are awaited one after another, none in parallel) — the
 * throughput, one FULL commit's cost on the disk before and after, and the bookings: exactly one paid order at the
 * mobile-pay centre and one discharge booking at HIS per stay. Goal (issue 16): settle p95 ≤ 300 ms beyond the
 * simulated latency.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runServiceBench, type PhoneRun } from '../test/bench/service-driver';

const PHONES = Number(process.env.SERVICE_PHONES ?? 200);
const LATENCY_MS = Number(process.env.SERVICE_LATENCY_MS ?? 50);
const COPIES = 3;
/** SERVICE_ROOT=/dev/shm: the same run with the databases in memory, to tell the disk's fsyncs from the rest. */
const ROOT = process.env.SERVICE_ROOT;
/** SERVICE_SPREAD_S=S: the phones arrive evenly over S seconds instead of all at once (a rate the service can take). */
const SPREAD_S = Number(process.env.SERVICE_SPREAD_S ?? 0);
const GOAL_MS = 300;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const ms = (x: number) => Math.round(x);
const spread = (xs: number[]) => ({ p50Ms: ms(percentile(xs, 50)), p95Ms: ms(percentile(xs, 95)), maxMs: ms(Math.max(...xs)) });

/** One durable commit where the data dir goes (WAL, synchronous=FULL as the station): the disk's fsync, now. */
function commitMs(): number {
  const dir = fs.mkdtempSync(path.join(ROOT ?? os.tmpdir(), 'bench-commit-'));
  try {
    const db = new Database(path.join(dir, 'probe.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (n INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) insert.run(i);
    const each = (performance.now() - t0) / 200;
    db.close();
    return Math.round(each * 100) / 100;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const commitBefore = commitMs();
const r = await runServiceBench({
  phones: PHONES,
  latencyMs: LATENCY_MS,
  notifyCopies: COPIES,
  spreadMs: SPREAD_S * 1000,
  ...(ROOT ? { root: ROOT } : {}),
  log: (l) => console.log(l),
});
const commitAfter = commitMs();
const wrong = r.phones.filter((p: PhoneRun) => p.error !== undefined || p.state !== 'paid');
const settleLatency = r.settleCalls * LATENCY_MS;
const flowLatency = r.flowCalls * LATENCY_MS;
const settle = spread(r.phones.map((p) => p.settleMs));
const settleBeyond = spread(r.phones.map((p) => p.settleMs - settleLatency));
const flow = spread(r.phones.map((p) => p.flowMs));
const flowBeyond = spread(r.phones.map((p) => p.flowMs - flowLatency));
const throughput = Math.round((PHONES / (r.wallMs / 1000)) * 10) / 10;
// Exactly one paid order at the centre and one booking at HIS per stay paid, none for a stay refused before paying.
const bookedOnce = r.phones.every((p, i) => {
  const want = p.state === 'paid' ? 1 : 0;
  return r.centreOrdersPerStay[i] === want && r.hisBookingsPerStay[i] === want;
});
const refused = new Set(r.phones.filter((p) => p.error !== undefined && p.settlementId === null).map((p) => p.iptNo));
// A stay not paid is counted as such (notPaid); the books' findings are what is wrong beyond it — a phone told
// something the centre contradicts, a wallet off, a double charge, a booking without a payment.
const unpaid = new Set(wrong.map((p) => p.iptNo));
const findings = r.books.findings.filter((f) => !(f.invariant === 'stay_unpaid' && unpaid.has(f.stay)));
const retries = r.phones.reduce((n, p) => n + p.retries, 0);
const met = settleBeyond.p95Ms <= GOAL_MS && wrong.length === 0 && bookedOnce && findings.length === 0;

console.log(
  `service: ${PHONES} phones ${SPREAD_S > 0 ? `arriving over ${SPREAD_S} s` : 'at once'}, ${LATENCY_MS} ms per simulator call, each callback delivered ${COPIES}×; ` +
    `${r.settleCalls} simulator calls per settle (${r.calibration.settleOps.join(' ')}), ${r.flowCalls} per flow`,
);
console.log(
  `  alone: settle ${ms(r.calibration.soloSettleMsAtZero)} ms without latency, ${r.calibration.soloSettleMs.map(ms).join(' / ')} ms with it; ` +
    `the run made ${r.runCallsPerPhone === null ? '(logs trimmed)' : Math.round(r.runCallsPerPhone * 10) / 10} simulator calls per phone`,
);
console.log('measure                          p50 ms   p95 ms   max ms');
const row = (name: string, s: { p50Ms: number; p95Ms: number; maxMs: number }) =>
  console.log(`${name.padEnd(32)} ${String(s.p50Ms).padStart(6)} ${String(s.p95Ms).padStart(8)} ${String(s.maxMs).padStart(8)}`);
row('settle (一键结算)', settle);
row(`settle less ${settleLatency} ms simulated`, settleBeyond);
row('flow (session → result)', flow);
row(`flow less ${flowLatency} ms simulated`, flowBeyond);
console.log(`one FULL commit on this disk: ${commitBefore} ms before the run, ${commitAfter} ms after (the service's writes wait for it)`);
console.log(`throughput: ${throughput} settlements/s (${PHONES} in ${ms(r.wallMs)} ms)`);
console.log(
  `bookings: ${bookedOnce ? 'exactly one' : 'NOT one'} paid order at the mobile-pay centre and one discharge booking at HIS per stay paid; ` +
    `callbacks ${r.callbacks.deliveries} delivered for ${r.callbacks.orders} orders, station bookings ${JSON.stringify(r.stationBookings)}; ` +
    `books: ${findings.length} findings; ${wrong.length} phones not paid (${refused.size} refused before paying), ${retries} reads asked again`,
);
for (const f of findings.slice(0, 10)) console.log(`  ✗ ${f.invariant} ${f.stay}: ${f.detail}`);
for (const p of wrong.slice(0, 10)) console.log(`  ✗ ${p.iptNo}: ${p.error ?? p.state}`);
console.log(`settle p95 beyond the simulated latency: ${settleBeyond.p95Ms} ms (goal ≤ ${GOAL_MS} ms)`);
console.log(
  JSON.stringify({
    bench: 'service',
    phones: PHONES,
    latencyMs: LATENCY_MS,
    spreadSeconds: SPREAD_S,
    root: ROOT ?? 'tmpdir',
    callbackCopies: COPIES,
    simulatorCallsPerSettle: r.settleCalls,
    simulatorCallsPerFlow: r.flowCalls,
    settle,
    settleBeyondLatency: settleBeyond,
    flow,
    flowBeyondLatency: flowBeyond,
    throughputPerSecond: throughput,
    commitMs: [commitBefore, commitAfter],
    callbacksDelivered: r.callbacks.deliveries,
    centreOrdersPerStayMax: Math.max(...r.centreOrdersPerStay),
    hisBookingsPerStayMax: Math.max(...r.hisBookingsPerStay),
    bookedOnce,
    findings: findings.length,
    notPaid: wrong.length,
    refusedBeforePaying: refused.size,
    readRetries: retries,
    goalMs: GOAL_MS,
    met,
  }),
);
if (!bookedOnce || findings.length > 0) process.exitCode = 1;
