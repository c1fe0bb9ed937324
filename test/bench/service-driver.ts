/**
 * The settlement service's benchmark driver (issue 16, `npm run bench -- service`), also run small by its test.
 *
 * The service chaos run's world (service-world.ts: the NHSA, HIS and mobile-payment centre simulators, the real
 * `npm run service` core as a child process, a nurse admitting at the centre) with no faults but two: a fixed
 * latency on every simulator call and every settlement callback delivered `notifyCopies` times. A synthetic ward
 * (seedSyntheticInpatients: insured at the centre, registered at HIS) is admitted, charged and discharge-ordered at
 * HIS and admitted at the centre (2401) before anything is timed. Then:
 *
 *   - calibration: a few phones alone, one after another, each simulator's request log read before and after its
 *     settle call and its whole flow: how many simulator calls (each costing the fixed latency) one settle and one
 *     flow make, in series — what is subtracted from every timing below;
 *   - the run: N phones at once, each as the patient's page does — the app mints a session (signed POST
 *     /v1/phone-sessions), then fees (GET /m/api/stay) → shares (POST /m/api/pre-settlement) → 一键结算 (POST
 *     /m/api/settlements) → result (GET /m/api/settlements/{id} until paid);
 *   - the books (service-books.ts, zero tolerance) once HIS booked every stay and every callback was acknowledged,
 *     and the bookings counted per stay: the mobile-pay centre's paid orders and HIS's ward settlements.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes, toHex } from '../../src/insurance/crypto';
import { REQUEST_LOG_LIMIT } from '../../src/simulators/bounded-log';
import { seedSyntheticInpatients } from '../../src/simulators/synthetic-inpatients';
import { signedClient } from '../../src/service/testing/signed-client';
import { checkServiceBooks, stationBooks, type ServiceBooks } from '../chaos/service-books';
import type { PhoneOutcome, PhonePlan } from '../chaos/service-phones';
import { prng } from '../chaos/prng';
import { startServiceWorld, type ServiceWorld } from '../chaos/service-world';

/** A patient's pauses on the page (ms, drawn evenly in [lo, hi] by a seeded PRNG): the bill read, then the shares
 *  read and the face verified in the wallet before 一键结算. */
export interface PatientPace {
  readFeesMs: readonly [number, number];
  confirmMs: readonly [number, number];
  seed: number;
}

/** One wave of phones: all start at once (or evenly over spreadMs), each at a patient's pace or with no pause at all. */
export interface BenchWave {
  name: string;
  phones: number;
  spreadMs?: number;
  pace?: PatientPace;
}

export interface ServiceBenchOptions {
  /** Run one after another, each on its own stays; the books are checked once over all of them. */
  waves: readonly BenchWave[];
  /** The fixed latency of every simulator call (ms). */
  latencyMs: number;
  /** How many times the mobile-payment centre delivers each settlement callback. */
  notifyCopies: number;
  /** Phones run alone to count the simulator calls of one settle and one flow. */
  calibrationPhones?: number;
  /** Where the data dir and the simulators' ledgers go (the system's temp dir by default; /dev/shm: no fsync cost). */
  root?: string;
  log?: (line: string) => void;
}

/** One phone's timings (ms) and what it was told. */
export interface PhoneRun {
  iptNo: string;
  settlementId: string | null;
  state: string;
  settleMs: number;
  /** When its 一键结算 was sent, ms after its wave started (the settles' arrival rate). */
  settleSentAt: number;
  flowMs: number;
  /** The patient's own pauses inside the flow (reading the bill, the shares and the face check): not the service's. */
  pausedMs: number;
  /** Fees or shares asked again after a 503 / 409 (the centre or HIS did not answer in time, an upload in doubt). */
  retries: number;
  /** Another answer than the page expects (a refusal, a 5xx): the run is wrong, not slow. */
  error?: string;
}

export interface Calibration {
  /** Simulator calls inside one settle call / one whole flow, per calibration phone. */
  settleCalls: number[];
  flowCalls: number[];
  /** The calls of the first calibration phone's settle, in order (centre infno, HIS service, mobile-pay op). */
  settleOps: string[];
  /** The same settle timed without latency (a phone before the latency is set) and with it. */
  soloSettleMsAtZero: number;
  soloSettleMs: number[];
}

export interface WaveResult {
  wave: BenchWave;
  phones: PhoneRun[];
  wallMs: number;
  /** Per stay of the wave: paid orders at the mobile-pay centre, live discharge settlements at HIS. */
  centreOrdersPerStay: number[];
  hisBookingsPerStay: number[];
  /** Simulator calls during the wave, per phone (to set beside the calibration's); null if a request log was trimmed. */
  runCallsPerPhone: number | null;
}

export interface ServiceBenchResult {
  waves: WaveResult[];
  calibration: Calibration;
  /** Calls subtracted: the fewest of the calibration phones'. */
  settleCalls: number;
  flowCalls: number;
  books: ServiceBooks;
  callbacks: { orders: number; deliveries: number; acked: number };
  /** The station's own record of each effect (paid, HIS booked...) per order: what the callbacks did not repeat. */
  stationBookings: Record<string, number>;
}

const APP = { appId: 'bench-phone-app', name: '基准测试公众号', secret: toHex(randomBytes(32)), ratePerMinute: 100_000 };
const OPERATOR = { login: 'benchnurse', password: 'Bench@2026' };
const WALLET_FEN = 10_000_000;
const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };
/** Set-up and the books' settling are waited for this long at most; the run itself is never cut short. */
const PATIENCE_MS = 300_000;
const READ_TRIES = 5;
/** After the run, HIS's bookings and the callbacks are waited for this long at most. */
const SETTLING_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, done: () => boolean, stepMs = 100): Promise<void> {
  const by = Date.now() + PATIENCE_MS;
  while (!done()) {
    if (Date.now() > by) throw new Error(`gave up waiting: ${what}`);
    await sleep(stepMs);
  }
}

/** The patient's page on one phone: the app mints its session, then the page's own calls with the token. */
async function phoneFlow(
  world: ServiceWorld,
  iptNo: string,
  payAuthNo: string,
  around?: { before(): void; after(): void },
  pauses?: { readFeesMs: number; confirmMs: number },
): Promise<PhoneRun> {
  const app = signedClient(world.url, APP);
  const t0 = performance.now();
  const run: PhoneRun = {
    iptNo,
    settlementId: null,
    state: 'none',
    settleMs: 0,
    settleSentAt: 0,
    flowMs: 0,
    pausedMs: (pauses?.readFeesMs ?? 0) + (pauses?.confirmMs ?? 0),
    retries: 0,
  };
  const fail = (step: string, a: { status: number; body: unknown }) => ({
    ...run,
    error: `${step}: ${a.status} ${JSON.stringify(a.body)}`,
  });
  const minted = await app({ method: 'POST', path: '/v1/phone-sessions', body: { iptNo }, idempotencyKey: `mint-${iptNo}` });
  if (minted.status !== 201) return fail('mint', minted);
  const token = (minted.body as { token: string }).token;
  let keys = 0;
  const page = async (method: 'GET' | 'POST', p: string, body?: unknown) => {
    const res = await fetch(world.url + p, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(method === 'POST' ? { 'idempotency-key': `page-${iptNo}-${++keys}` } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  // The page's 重试: a read the service could not answer now (503: the centre or HIS late; 409: an upload being
  // checked) is asked again after a pause, as the patient would — up to READ_TRIES times.
  const read = async (method: 'GET' | 'POST', p: string) => {
    for (let tries = 1; ; tries++) {
      const a = await page(method, p);
      if (a.status === 200 || tries >= READ_TRIES || (a.status !== 503 && a.status !== 409)) return a;
      run.retries += 1;
      await sleep(1000);
    }
  };
  const fees = await read('GET', '/m/api/stay');
  if (fees.status !== 200 || fees.body.dischargeOrdered !== true) return fail('fees', fees);
  if (pauses) await sleep(pauses.readFeesMs);
  const shares = await read('POST', '/m/api/pre-settlement');
  if (shares.status !== 200) return fail('shares', shares);
  if (pauses) await sleep(pauses.confirmMs);
  const face = { passed: true, certifyId: `FACE${iptNo}`, verifiedAt: new Date().toISOString() };
  around?.before();
  const settleStart = (run.settleSentAt = performance.now());
  const settled = await page('POST', '/m/api/settlements', { payAuthNo, security: { face, location: AT_HOSPITAL } });
  run.settleMs = performance.now() - settleStart;
  around?.after();
  if (settled.status !== 201) return fail('settle', settled);
  run.settlementId = String(settled.body.settlementId);
  // The result page asks until the settlement is final, as the page does (a settle answered "paying" or in doubt).
  for (;;) {
    const result = await page('GET', `/m/api/settlements/${run.settlementId}`);
    if (result.status !== 200) return fail('result', result);
    run.state = String(result.body.state);
    if (run.state === 'paid' || run.state === 'failed') break;
    await sleep(200);
  }
  run.flowMs = performance.now() - t0;
  return run;
}

export async function runServiceBench(o: ServiceBenchOptions): Promise<ServiceBenchResult> {
  const log = o.log ?? (() => undefined);
  const calibrationPhones = o.calibrationPhones ?? 3;
  const dir = fs.mkdtempSync(path.join(o.root ?? os.tmpdir(), 'yibao-service-bench-'));
  const world = await startServiceWorld({
    dir,
    seed: 1,
    app: APP,
    operator: OPERATOR,
    timeoutMs: 10_000,
    notifyScheduleMs: [50, 200, 500, 1000, 2000, 4000],
  });
  const { centre, his, mobile } = world;
  let keep = false;
  try {
    // The ward: one stay per synthetic patient — the zero-latency phone, the calibration phones, then the run's.
    const total = 1 + calibrationPhones + o.waves.reduce((n, w) => n + w.phones, 0);
    const patients = seedSyntheticInpatients(his.control, total);
    const admissions: Record<string, string> = {};
    const stays = patients.map(({ person, patientId }, i) => {
      // Beds past the ward's own (加床, numbered from 101): a ward of 200 patients is a synthetic one.
      const iptNo = his.control.ward.admit({ patientId, wardCode: 'W0301', bedNo: String(101 + i) });
      his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
      his.control.ward.charge({
        iptNo,
        lines: [
          { hospCode: 'F0002', quantity: '1' },
          { hospCode: 'Y0001', quantity: String(1 + (i % 3)) },
        ],
      });
      his.control.ward.orderDischarge(iptNo);
      admissions[iptNo] = person.idNo;
      return { iptNo, idNo: person.idNo };
    });
    world.admit(admissions);
    log(`service bench: ${total} synthetic inpatients seeded (NHSA, HIS), stays admitted at HIS, discharge ordered`);
    await world.service.start();
    await until(
      'the nurse admitting every stay at the centre (2401)',
      () => {
        const at = stationBooks(world.dbPath).stays;
        return stays.every((s) => at.get(s.iptNo) === 'admitted');
      },
      250,
    );
    log(`service bench: every stay admitted at the centre`);

    const walletOf = new Map<string, string>();
    const authorise = (s: { iptNo: string; idNo: string }) => {
      const a = mobile.control.authorise(s.idNo, WALLET_FEN);
      walletOf.set(a, s.iptNo);
      return a;
    };
    const bookedAtHis = (iptNo: string) => his.control.ward.stays().find((s) => s.ipt_no === iptNo)?.state === 'settled';
    const quiet = (iptNos: string[]) => iptNos.every(bookedAtHis) && mobile.control.ledger.callbacks().every((c) => c.state !== 'pending');
    // Bounded: what is still not booked or in doubt then is the books' to report, not a wait to hang on.
    const untilSettled = async (paidIptNos: string[]) => {
      const by = Date.now() + SETTLING_MS;
      const settledDown = () => {
        const b = stationBooks(world.dbPath);
        return quiet(paidIptNos) && b.unresolved === 0 && b.stuck === 0;
      };
      while (!settledDown() && Date.now() < by) await sleep(250);
      if (!settledDown()) {
        keep = true;
        log(`service bench: not settled after ${SETTLING_MS / 1000} s; the books are kept in ${dir}`);
      }
    };

    // One phone before any latency: the same settle's own cost.
    const zero = await phoneFlow(world, stays[0]!.iptNo, authorise(stays[0]!));
    if (zero.error) throw new Error(`the phone without latency: ${zero.error}`);
    await until('the first stay booked at HIS', () => quiet([stays[0]!.iptNo]));

    // The fixed latency on every call, and every callback delivered notifyCopies times (that rule first: the
    // first matching rule applies, and '*' matches the callbacks too).
    mobile.control.inject({ op: 'notify', fault: { kind: 'duplicate-notify', copies: o.notifyCopies } });
    const delay = { kind: 'delay' as const, ms: o.latencyMs };
    mobile.control.inject({ op: '*', fault: delay });
    his.control.inject({ op: '*', fault: delay });
    centre.control.inject({ infno: '*', fault: delay });
    const lengths = () => [centre.control.requests().length, his.control.requests().length, mobile.control.requests.length] as const;
    const calls = (from: readonly number[]) => lengths().reduce((n, l, i) => n + l - from[i]!, 0);
    const opsSince = (from: readonly number[]) => [
      ...centre.control
        .requests()
        .slice(from[0])
        .map((r) => r.infno),
      ...his.control
        .requests()
        .slice(from[1])
        .map((r) => r.service),
      ...mobile.control.requests.slice(from[2]).map((r) => r.op),
    ];

    const calibration: Calibration = { settleCalls: [], flowCalls: [], settleOps: [], soloSettleMsAtZero: zero.settleMs, soloSettleMs: [] };
    for (const s of stays.slice(1, 1 + calibrationPhones)) {
      const payAuthNo = authorise(s);
      const flowFrom = lengths();
      let settleFrom = flowFrom;
      const r = await phoneFlow(world, s.iptNo, payAuthNo, {
        before: () => (settleFrom = lengths()),
        after: () => {
          calibration.settleCalls.push(calls(settleFrom));
          if (calibration.settleOps.length === 0) calibration.settleOps = opsSince(settleFrom);
        },
      });
      if (r.error) throw new Error(`calibration phone: ${r.error}`);
      calibration.flowCalls.push(calls(flowFrom));
      calibration.soloSettleMs.push(r.settleMs);
      await until('the calibration stay booked at HIS', () => quiet([s.iptNo]));
    }
    // The fewest: a background call (HIS's order poll, a sweep) falling in a window only adds, never removes.
    const settleCalls = Math.min(...calibration.settleCalls);
    const flowCalls = Math.min(...calibration.flowCalls);
    log(
      `service bench: calibrated — ${settleCalls} simulator calls per settle, ${flowCalls} per flow (${calibration.settleOps.join(' ')})`,
    );

    // The waves, one after another, each on its own stays.
    const orders = () => mobile.control.ledger.orders();
    const hisBooked = () => his.control.ward.wardBooks().settlements.filter((b) => b.kind === 'discharge' && b.state === 'settled');
    const waves: WaveResult[] = [];
    let next = 1 + calibrationPhones;
    for (const wave of o.waves) {
      const waveStays = stays.slice(next, next + wave.phones);
      next += wave.phones;
      const auths = waveStays.map((s) => authorise(s));
      const random = wave.pace ? prng(wave.pace.seed) : null;
      const between = (r: readonly [number, number]) => r[0] + Math.floor(random!() * (r[1] - r[0] + 1));
      const pauses = waveStays.map(() =>
        wave.pace ? { readFeesMs: between(wave.pace.readFeesMs), confirmMs: between(wave.pace.confirmMs) } : undefined,
      );
      const runFrom = lengths();
      const t0 = performance.now();
      const startOf = (i: number) => ((wave.spreadMs ?? 0) * i) / waveStays.length;
      const phones = await Promise.all(
        waveStays.map(async (s, i) => {
          if (startOf(i) > 0) await sleep(startOf(i));
          return phoneFlow(world, s.iptNo, auths[i]!, undefined, pauses[i]);
        }),
      );
      const wallMs = performance.now() - t0;
      for (const p of phones) p.settleSentAt -= t0;
      // A log past its limit was trimmed (bounded-log.ts): its length no longer counts the calls.
      const runCallsPerPhone = lengths().some((l) => l >= REQUEST_LOG_LIMIT) ? null : calls(runFrom) / waveStays.length;
      log(`service bench: ${wave.name}: ${phones.length} phones done in ${Math.round(wallMs)} ms`);
      // HIS books each paid stay from the outbox after the pay; the next wave starts once this one's are booked.
      await untilSettled(phones.filter((p) => p.state === 'paid').map((p) => p.iptNo));
      const iptNos = waveStays.map((s) => s.iptNo);
      waves.push({
        wave,
        phones,
        wallMs,
        runCallsPerPhone,
        centreOrdersPerStay: iptNos.map(
          (iptNo) => orders().filter((r) => walletOf.get(r.pay_auth_no) === iptNo && (r.ord_stas === '4' || r.ord_stas === '8')).length,
        ),
        hisBookingsPerStay: iptNos.map((iptNo) => hisBooked().filter((b) => b.iptNo === iptNo).length),
      });
    }
    await world.service.stop();

    const plans: PhonePlan[] = stays.map((s) => ({ iptNo: s.iptNo, idNo: s.idNo, kind: 'plain' }));
    const outcomes: PhoneOutcome[] = [zero, ...waves.flatMap((w) => w.phones)].map((r) => ({
      iptNo: r.iptNo,
      told: new Map(r.settlementId ? [[r.settlementId, r.state === 'paid' ? 'paid' : 'failed']] : []),
      payAuthNos: [...walletOf].filter(([, iptNo]) => iptNo === r.iptNo).map(([a]) => a),
      // A phone refused before its settle (fees, shares) is reported as refused, not as a broken contract.
      broken: r.error && r.settlementId !== null ? [r.error] : [],
      gaveUp: false,
    }));
    const books = checkServiceBooks({
      dbPath: world.dbPath,
      mobile: mobile.control,
      his: his.control,
      plans,
      outcomes,
      walletOf,
      walletFen: WALLET_FEN,
    });
    const callbackRows = mobile.control.ledger.callbacks();
    const db = new Database(world.dbPath, { readonly: true, fileMustExist: true });
    const stationBookings = Object.fromEntries(
      (db.prepare('SELECT effect, count(*) AS n FROM mobile_pay_bookings GROUP BY effect').all() as { effect: string; n: number }[]).map(
        (r) => [r.effect, r.n],
      ),
    );
    db.close();
    return {
      waves,
      calibration,
      settleCalls,
      flowCalls,
      books,
      callbacks: {
        orders: callbackRows.length,
        deliveries: callbackRows.reduce((n, c) => n + c.deliveries, 0),
        acked: callbackRows.filter((c) => c.state === 'acked').length,
      },
      stationBookings,
    };
  } finally {
    await world.service.stop().catch(() => undefined);
    await world.close();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
