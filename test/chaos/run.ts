/**
 * `npm run chaos -- --sessions N --seed S [--kills K]` — the outbox's proof (issue 5).
 *
 * Starts the NHSA centre, HIS and payment-platform simulators (their own SQLite ledgers) with seeded faults —
 * lost answers after commit, lost requests, delays past the timeout, 5xx, and HIS refusing a booking — and runs
 * the station core as a child process that settles N outpatient orders and refunds about a tenth of them once
 * completed (退费). The child is SIGKILLed at random moments (between intent and send, mid-flight, during the
 * answer's commit), and a few times more while an order is being refunded (`--refund-kills`, 3 by default), and
 * restarted until everything is settled and nothing is in doubt. Then every book is checked on its own against the station's orders (test/harness/books.ts),
 * each read from the simulator's own ledger:
 *   - payment platform: per order, successful trades less refunds = the cash share of a completed order, 0 otherwise
 *   - HIS: exactly one live booking per completed order, none for any other, amounts equal to the split
 *   - NHSA: one live settlement per completed insured order; no open visit, fee batch or settlement for any other
 *   - double charges: a second trade that kept money, a second live HIS booking, counted from those books
 *   - HIS's refund applications: exactly one done per refunded order, none left approved (a refunded order must
 *     also have nothing kept at the platform, no live booking and nothing open at the centre, like any other)
 *   - NHSA 3201 totals per insured region and insurance type must balance (refunds included: reversed nets to 0)
 *   - NHSA 3202 per insured region: each settlement the station keeps agrees with the centre's, line by line
 * An order HIS would not book although the money was taken waits for a person: counted as waiting_for_person, and
 * its books must say so (money kept, centre settled, nothing at HIS).
 * A fifth of the sessions pay the self-pay part in cash at the window (the drawer's books, `cash_drawer`), and half the
 * refunds take back one line of two (部分退费: the rest settled again at the centre and booked again at HIS).
 * A fifth pay by bank card on the window's POS terminal: a real pty with the terminal emulator in this process (seeded
 * declines, late and damaged answers; kills aimed at card sales and 退货), its ledger one more book (`card_terminal`:
 * per order, what the terminal keeps charged is what the station recorded; a second sale still charged is a double
 * charge). A third of the sessions are inpatient stays (test/chaos/ward.ts: admitted, charged, deposits taken and
 * discharge ordered by this process's ward; 2401, 2301 batches, 2402, 2303, 2304, HIS's booking and the surplus back to
 * the deposits' wallets by the station, with kills aimed at them), checked per stay: `stay_centre`, `stay_fees`,
 * `stay_his`, `stay_deposits`.
 * Whatever the random mix, every run holds a floor of outpatient cases (outpatient-floor.ts: settled orders undone after
 * a failed payment code or QR, cancelled by the cashier, refunded whole and by line), reported as `floor=reached/planned`
 * beside `undone` (settled orders undone by 2208).
 * It prints `discrepancies=0 double_charges=0 unresolved=0 stuck=0 escalated=K sessions=N` followed by the count of
 * each invariant's violations, and exits non-zero on any discrepancy, double charge, unresolved or stuck session.
 *
 * `--stations S` (S > 1, issue 14): S station processes, each its own data dir, station id, operator and msgid block,
 * share the simulators (one institution) and ship their ledger events to a throwaway PostgreSQL hospital ledger
 * (init, one login per station, an office login) whose server is restarted once mid-run; each station is killed on
 * its own. The books are checked over all stations' orders (each as the station that took it holds it), and two
 * more counts follow: `ledger_events` (a station's event missing on the server, held twice, or the server holding
 * one no station has — by station id and event id) and `ledger_reconcile` (`reconcileDay` over the events the office
 * login reads: a 3201 group not balanced, or a 3202 difference).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { sm2GenerateKeyPair, randomBytes, toHex } from '../../src/insurance/crypto';
import { NhsaClient, reconcileDetailsWithFile, reconcileTotals, signIn } from '../../src/insurance/nhsa';
import { DETAIL_RESULT, POPULATION, startNhsaCentre } from '../../src/simulators/nhsa';
import { startHis } from '../../src/simulators/his';
import { startPayChannel } from '../../src/simulators/pay-channel';
import { startEBillSimulator } from '../../src/simulators/ebill';
import { keptFen, PosTerminalEmulator, type PosFault } from '../../src/simulators/devices/pos-terminal-emulator';
import { createPtyPair, type PtyPair } from '../../src/simulators/devices/pty-pair';
import { openDatabase } from '../../src/station/store/database';
import { NhsaRepo } from '../../src/station/store/nhsa-repo';
import { OperatorsRepo } from '../../src/station/store/operators-repo';
import { FieldCipher, loadOrCreateDataKeys } from '../../src/station/security';
import { hashPassword } from '../../src/station/security/passwords';
import { PersistentMsgIdAllocator } from '../../src/station/insurance/persistent-msgids';
import { localDay } from '../../src/station/clock';
import { PLAN_FILE, type ChaosPlan, type ChaosSession } from './plan';
import { floorReached, floorSession, floorSlots, type FloorCase } from './outpatient-floor';
import { prng } from './prng';
import { startWard, stayViolations } from './ward';
import { fen } from '../../src/shared/money';
import { checkBooks, type Invariant } from '../harness/books';
import { stationOrders as stationOrdersOf } from '../harness/station-orders';
import type { ThrowawayPostgres } from '../harness/postgres';
import { centrePortOf, ledgerEventsOnServer, reconcileLedgerDay, startChaosLedger, type ChaosLedger } from './hospital-ledger';
import { wholeNumberOption } from './whole-number-option';

const USAGE = `用法 / usage: npm run chaos -- [--sessions N] [--seed S] [--kills K]
  混沌测试 the outbox's proof: N outpatient settlements against the simulators with seeded faults, the station
  SIGKILLed K times, then every book reconciled; exits non-zero on any discrepancy, double charge or stuck order.
  --sessions N   settlements (default 50; npm test runs 200)
  --seed S       the faults' and kills' seed (default 1)
  --kills K      SIGKILLs of each station (default max(3, N / stations / 10))
  --refund-kills, --card-kills, --stay-kills K
                 SIGKILLs aimed at refunds, card sales / 退货 and stays' movements (default 3 each)
  --stations S   station processes sharing the simulators and a throwaway PostgreSQL hospital ledger (default 1:
                 no ledger server); the N sessions are dealt out among them
  --help         this text`;
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const num = wholeNumberOption(argv, USAGE);
const SESSIONS = num('--sessions', 50);
const SEED = num('--seed', 1);
/** Station processes (each its own data dir and station id) against the same simulators; more than one: a hospital ledger. */
const STATIONS = num('--stations', 1);
if (STATIONS < 1 || STATIONS > 9) {
  console.error(`--stations 1–9 (each station takes its own thousand of the msgid sequence)\n${USAGE}`);
  process.exit(2);
}
const KILLS = num('--kills', Math.max(3, Math.ceil(SESSIONS / STATIONS / 10)));
const INSTITUTION = { code: 'H35020300001', name: '厦门弘爱医院（混沌测试）', admdvs: '350200' };
const TIMEOUT_MS = 1000;
/** The share of sessions that are inpatient stays (issue 15): admitted, charged, discharged, settled, surplus refunded. */
const STAY_SHARE = 0.3;
/** The patients the ward takes (one stay at a time each; nobody else's outpatient orders meanwhile). */
const WARD_PATIENTS = 4;
/** The share of sessions whose bill is refunded once completed (退费). */
const REFUND_SHARE = 0.1;
/** The share of sessions whose self-pay part is paid in cash at the window (the drawer, no platform). */
const CASH_SHARE = 0.2;
/** The share of sessions whose self-pay part is paid by bank card on the window's POS terminal (its own ledger). */
const CARD_SHARE = 0.2;
/** Kills aimed at card sales and card refunds: the station is SIGKILLed while one is in flight, this many times at most. */
const CARD_KILLS = num('--card-kills', 3);
/** Kills aimed at stays: while a 2401, a 2301 batch, 2402, 2304, HIS's booking or a deposit's refund is in flight. */
const STAY_KILLS = num('--stay-kills', 3);
/** A stay's movements in flight, for the kills aimed at stays. */
const STAY_MOVEMENTS = [
  'nhsa.2401',
  'nhsa.2301',
  'nhsa.2302',
  'nhsa.2402',
  'nhsa.2304',
  'his.ward-settle',
  'pay.deposit-refund',
  'his.deposit-refund',
];
/** The share of refunds that take back some lines only (部分退费, refundOrder with lines). */
const PARTIAL_REFUND_SHARE = 0.5;
/** Kills aimed at refunds: the station is SIGKILLed while an order is being refunded, this many times at most. */
const REFUND_KILLS = num('--refund-kills', 3);
/** The station's last run is stopped after this long without any intent transition or order changing state. */
const STALL_MS = 90_000;

/** What changes while the station gets anywhere: intent transitions, orders per state. */
function progressOf(dbPath: string): string {
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch (error) {
    return `unreadable ${Date.now()}: ${String(error)}`; // counts as progress: never stop a station on our own error
  }
  try {
    const t = db.prepare('SELECT count(*) AS n FROM intent_transitions').get() as { n: number };
    const o = db.prepare('SELECT group_concat(state) AS s FROM (SELECT state FROM outpatient_orders ORDER BY id)').get() as {
      s: string | null;
    };
    const w = db
      .prepare(`SELECT group_concat(state || uploaded_upto_line) AS s FROM (SELECT * FROM inpatient_stays ORDER BY id)`)
      .get() as {
      s: string | null;
    };
    return `${t.n}|${o.s ?? ''}|${w.s ?? ''}`;
  } finally {
    db.close();
  }
}

/**
 * What an aimed kill waits for, if it is happening now: an order being refunded, or a card sale or card refund (退货)
 * in flight at the window's terminal, or a stay's movement in flight (one read of the station's database for all).
 */
function aimedAt(dbPath: string, want: { refund: boolean; card: boolean; stay: boolean }): 'refund' | 'card' | 'stay' | null {
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    if (want.refund && db.prepare(`SELECT 1 FROM outpatient_orders WHERE state = 'refunding' LIMIT 1`).get() !== undefined) return 'refund';
    const card = `SELECT 1 FROM intents WHERE kind IN ('pos.sale', 'pos.refund') AND state IN ('prepared', 'unknown') LIMIT 1`;
    if (want.card && db.prepare(card).get() !== undefined) return 'card';
    const stay = `SELECT 1 FROM intents WHERE kind IN (${STAY_MOVEMENTS.map((k) => `'${k}'`).join(', ')}) AND state IN ('prepared', 'unknown') LIMIT 1`;
    if (want.stay && db.prepare(stay).get() !== undefined) return 'stay';
    return null;
  } catch {
    return null; // not migrated yet
  } finally {
    db.close();
  }
}

/** The planned sessions a stopped station left unfinished: their order not completed, reversed or open again. */
function unfinishedSessions(dbPath: string, sessions: ChaosPlan['sessions']): string[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT his_order_no AS no, state FROM outpatient_orders').all() as { no: string; state: string }[];
    const state = new Map(rows.map((r) => [r.no, r.state]));
    return sessions
      .map((s) => s.hisOrderNo)
      .filter((no) => !['completed', 'reversed', 'expired', 'open', 'refunded', undefined].includes(state.get(no)));
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  const random = prng(SEED);
  // The clearing days the run spans (China time): a run across midnight settles on one day and may refund on the next.
  const firstDay = localDay(new Date(), 'Asia/Shanghai');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yibao-chaos-'));
  let keepDir = false;
  // One institution, several windows: each station its own data dir, station id, operator and msgid block.
  const stations = Array.from({ length: STATIONS }, (_, s) => ({
    stationId: `chaos-0${s + 1}`,
    login: `chaos0${s + 1}`,
    dataDir: path.join(dir, s === 0 ? 'station' : `station-${s + 1}`),
    sessions: [] as ChaosPlan['sessions'],
    stays: [] as ChaosPlan['stays'],
    /** The window's bank-card terminal: a pty cable and the emulator on its far end, living across the station's kills. */
    pos: null as { cable: PtyPair; terminal: PosTerminalEmulator } | null,
  }));
  for (const st of stations) fs.mkdirSync(path.join(st.dataDir, 'keys'), { recursive: true });
  const station = sm2GenerateKeyPair();
  const centreKeys = sm2GenerateKeyPair();
  const clientId = toHex(randomBytes(8)).toUpperCase();
  const hisSecret = toHex(randomBytes(16));
  const payKey = toHex(randomBytes(16));
  const ebillKey = toHex(randomBytes(16));

  const centre = await startNhsaCentre({
    dbPath: path.join(dir, 'centre.db'),
    keys: { clientId, centrePrivateKeyHex: centreKeys.privateKeyHex, stationPublicKeyHex: station.publicKeyHex },
    region: INSTITUTION.admdvs,
    seed: SEED,
  });
  const his = await startHis({
    dbPath: path.join(dir, 'his.db'),
    apps: [{ appId: 'CHAOS01', secret: hisSecret }],
    seedOrders: false,
  });
  const pay = await startPayChannel({
    dbPath: path.join(dir, 'pay.db'),
    merchants: [{ mchId: '1900000109', key: payKey }],
    seed: SEED,
    rules: { minReverseAgeMs: 0 },
  });

  // The fiscal e-bill gateway (AQ-15): its own books; its faults come from their own seeded sequence (below), so the
  // other faults' sequence is the same with or without it.
  const gateway = await startEBillSimulator({ apps: [{ appId: 'CHAOSEBILL', appKey: ebillKey }], seed: SEED });
  // Each call meets one of the faults with 3 % each (its own seeded sequence in the simulator): an answer lost after the
  // commit, a timeout before it, HTTP 500, a bad sign — on the issue, its lookup, the red-flush and the status.
  for (const service of [
    'invoiceEBillOutpatient',
    'invEBillHospitalized',
    'getEBillByBusNo',
    'writeOffEBill',
    'getEBillStatesByBillInfo',
  ] as const)
    for (const kind of ['lose-answer', 'timeout-before-commit', 'http-500', 'bad-sign'] as const)
      gateway.control.faultSometimes(service, kind, 0.03);

  let ledger: ChaosLedger | null = null;
  /** The floor's sessions (outpatient-floor.ts), with the station that takes each. */
  const floorPlan: { hisOrderNo: string; floorCase: FloorCase; station: number }[] = [];
  try {
    if (STATIONS > 1) ledger = await startChaosLedger(stations.map((st) => st.stationId));
    // Each window's POS terminal, with seeded faults: a declined card (the insurance part undone), an answer late but
    // within the terminal's timeout, a corrupted frame (NAKed and sent again). Answers lost for good are the kills'
    // part (the sale charged, the station killed before it recorded the answer): the terminal's own timeout is 90 s.
    for (const st of stations) {
      const cable = await createPtyPair();
      const faultFor = (kind: 'sale' | 'void' | 'refund' | 'query'): PosFault | undefined => {
        const r = random();
        if (kind === 'sale' && r < 0.08) return { kind: 'declined', code: '51', message: '余额不足' };
        if (r > 0.95) return { kind: 'late', afterMs: 200 + Math.floor(random() * 800) };
        if (r > 0.9) return { kind: 'corrupt-lrc' };
        return undefined;
      };
      st.pos = { cable, terminal: new PosTerminalEmulator(cable.devicePath, { saleDelayMs: 40, faultFor }) };
    }
    // Faults, seeded: what the station must survive.
    for (const infno of ['2201', '2204', '2207', '2208', '2601', '2401', '2301', '2402', '2303', '2304', '2404']) {
      centre.control.inject({ infno, fault: { kind: 'drop-response' }, probability: 0.06 });
      centre.control.inject({ infno, fault: { kind: 'drop-request' }, probability: 0.03 });
      centre.control.inject({ infno, fault: { kind: 'delay', ms: TIMEOUT_MS + 500 }, probability: 0.03 });
      centre.control.inject({ infno, fault: { kind: 'http-500' }, probability: 0.02 });
    }
    // The payment and HIS simulators take counted faults: the next `times` matching requests.
    const some = (share: number) => Math.max(1, Math.round(SESSIONS * share));
    for (const op of ['micropay', 'query', 'reverse']) {
      pay.control.inject({ op, fault: { kind: 'drop-response' }, times: some(0.06) });
      pay.control.inject({ op, fault: { kind: 'http-500' }, times: some(0.03) });
    }
    // Refunds: the platform's refund and refundquery, HIS's application, its withdrawal and its confirmation lose
    // answers and requests and fail with 500s like everything else (the centre's 2208 already does, above).
    for (const op of ['refund', 'refundquery']) {
      pay.control.inject({ op, fault: { kind: 'drop-response' }, times: some(0.02) });
      pay.control.inject({ op, fault: { kind: 'http-500' }, times: some(0.01) });
    }
    for (const op of ['refund.apply', 'refund.cancel', 'settle.cancel']) {
      his.control.inject({ op, fault: { kind: 'drop-response' }, times: some(0.02) });
      his.control.inject({ op, fault: { kind: 'drop-request' }, times: some(0.01) });
      his.control.inject({ op, fault: { kind: 'http-500' }, times: some(0.01) });
    }
    // The ward's side at HIS: its booking of a discharge settlement and its record of a deposit's refund.
    for (const op of ['inpatient.settle', 'deposit.refund']) {
      his.control.inject({ op, fault: { kind: 'drop-response' }, times: some(0.03) });
      his.control.inject({ op, fault: { kind: 'drop-request' }, times: some(0.02) });
      his.control.inject({ op, fault: { kind: 'http-500' }, times: some(0.01) });
    }
    // HIS's bookings: a lost answer (booked), a lost request and a 500 (not booked), and a refusal (a definite "no":
    // the order waits for a person with the money taken — counted as waiting_for_person, its books still checked).
    for (const op of ['settle.confirm', 'settle.selfpay']) {
      const share = op === 'settle.confirm' ? 1 : 0.25;
      his.control.inject({ op, fault: { kind: 'drop-response' }, times: some(0.06 * share) });
      his.control.inject({ op, fault: { kind: 'drop-request' }, times: some(0.03 * share) });
      his.control.inject({ op, fault: { kind: 'http-500' }, times: some(0.02 * share) });
      his.control.inject({
        op,
        fault: { kind: 'refuse', code: 'ORDER_LOCKED', msg: '订单正在窗口处理，请稍后' },
        times: some(0.01 * share),
      });
    }

    // The plan: N orders for insured patients of this region and others, each with a payment code.
    const insured = his.control
      .patients()
      .filter(
        (p) => p.psn_no && POPULATION.some((q) => q.idNo === p.id_no && q.insurances[0]?.psnInsuStas === '1' && !q.registrationRefusal),
      );
    // The floor's patient (outpatient-floor.ts) has an empty personal account: every bill of theirs leaves a cash
    // share, so a poor wallet or the cashier's cancel undoes a settled order. The window keeps them.
    const floorPatients = insured.filter((p) => POPULATION.find((q) => q.idNo === p.id_no)?.insurances[0]?.balc === '0.00').slice(0, 1);
    if (floorPatients.length === 0) throw new Error('the floor needs an insured patient with an empty personal account');
    // The ward's patients are this region's (Xiamen) insured: the last few; the window sees the others.
    const wardPatients = insured.filter((p) => p.id_no.startsWith('3502') && !floorPatients.includes(p)).slice(-WARD_PATIENTS);
    const patients = insured.filter((p) => !wardPatients.includes(p));
    const stayCount = Math.ceil(SESSIONS * STAY_SHARE);
    for (let i = 0; i < stayCount; i++) {
      const p = wardPatients[i % wardPatients.length]!;
      // Every third stay's discharge settlement is undone once and settled again: HIS's cancel, 2305, the bill red-flushed.
      const stay = { key: `stay-${i + 1}`, idNo: p.id_no, patientId: p.patient_id, wardCode: 'W0301', undo: i % 3 === 1 };
      stations[i % STATIONS]!.stays.push(stay);
    }
    // The floor (outpatient-floor.ts): undone, cancelled and refunded settled orders in every run, at seeded places.
    const floor = floorSlots(SESSIONS - stayCount, random);
    const sessions: ChaosPlan['sessions'] = [];
    for (let i = 0; i < SESSIONS - stayCount; i++) {
      const floorCase = floor.get(i);
      const p = floorCase ? floorPatients[Math.floor(random() * floorPatients.length)]! : patients[i % patients.length]!;
      const planned = floorCase ? floorSession(floorCase) : null;
      const poor = planned ? planned.poorWallet : random() < 0.1;
      const wallet = pay.control.wallet({ channel: i % 2 ? 'WECHAT' : 'ALIPAY', balanceFen: poor ? 1 : 10_000_000 });
      const by = random();
      const payBy =
        planned?.pay ??
        (by < CASH_SHARE ? 'cash' : by < CASH_SHARE + CARD_SHARE ? 'card' : by < CASH_SHARE + CARD_SHARE + 0.25 ? 'qr' : 'code');
      // Many insured bills leave nothing to pay (the personal account covers the rest): half the card sessions are
      // self-pay, so the terminal sees sales (and their refunds) in numbers.
      const selfPay = planned ? planned.selfPay : random() < (payBy === 'card' ? 0.5 : 0.15);
      const refund = planned ? planned.refund : random() < REFUND_SHARE;
      // A refund by line needs a second line to keep: half the refunds take back only the first of two.
      const refundLines = planned ? planned.refundLines : refund && random() < PARTIAL_REFUND_SHARE;
      const line = { hospCode: i % 2 ? 'Y0001' : 'Y0002', quantity: String(1 + (i % 3)) };
      const hisOrderNo = his.control.prescribe({
        patientId: p.patient_id,
        prescriptions: [{ lines: refundLines ? [line, { hospCode: 'Y0003', quantity: '1' }] : [line] }],
      });
      const session: ChaosSession = { idNo: p.id_no, hisOrderNo, authCode: wallet.authCode, pay: payBy, selfPay, refund, refundLines };
      if (planned?.cancel) session.cancel = true;
      if (floorCase) floorPlan.push({ hisOrderNo, floorCase, station: i % STATIONS });
      sessions.push(session);
      stations[i % STATIONS]!.sessions.push(session);
    }
    for (const [s, st] of stations.entries()) {
      const plan: ChaosPlan = {
        operator: { login: st.login, password: 'Chaos@2026' },
        payControlUrl: `${pay.url}/__control`,
        sessions: st.sessions,
        stays: st.stays,
      };
      fs.writeFileSync(path.join(st.dataDir, PLAN_FILE), JSON.stringify(plan));
      fs.writeFileSync(
        path.join(st.dataDir, 'keys', 'nhsa.json'),
        JSON.stringify({
          clientId,
          stationPrivateKeyHex: station.privateKeyHex,
          centrePublicKeyHex: centreKeys.publicKeyHex,
          hisAppSecret: hisSecret,
          payChannelKey: payKey,
          ebillAppKey: ebillKey,
        }),
      );
      fs.writeFileSync(
        path.join(st.dataDir, 'station.config.json'),
        JSON.stringify({
          stationId: st.stationId,
          ...(ledger ? { ledger: ledger.joinStation(st.stationId, st.dataDir) } : {}),
          institution: INSTITUTION,
          nhsa: {
            baseUrl: centre.url,
            centreRegion: INSTITUTION.admdvs,
            recerSysCode: 'CHAOS',
            timeoutMs: TIMEOUT_MS,
            keyFile: 'keys/nhsa.json',
            ...(STATIONS > 1 ? { msgidBlock: s } : {}),
          },
          voucher: { baseUrl: centre.voucherUrl, timeoutMs: TIMEOUT_MS },
          his: { baseUrl: his.url, appId: 'CHAOS01', timeoutMs: TIMEOUT_MS },
          payChannel: { baseUrl: pay.url, mchId: '1900000109', timeoutMs: TIMEOUT_MS, qrPollMs: 300 },
          ebill: { baseUrl: gateway.url, appId: 'CHAOSEBILL', placeCode: st.stationId, timeoutMs: TIMEOUT_MS },
          devices: [{ id: 'pos-1', role: 'pos-terminal', model: 'pos-unionpay-9600', path: st.pos!.cable.stationPath }],
          security: { kdf: { N: 2 ** 14, r: 8, p: 1 } },
          outbox: { backoffBaseMs: 100, backoffMaxMs: 1000, queryWindowMs: 3000 },
          // Small batches sent often: a stay's lines go up in several 2301s, and kills land between them.
          inpatient: { batchSize: 3, uploadEveryMinutes: 0.02 },
        }),
      );
      {
        const db = openDatabase(path.join(st.dataDir, 'station.db'));
        new OperatorsRepo(db).insert(
          {
            id: plan.operator.login,
            name: '混沌测试',
            roles: ['cashier', 'nurse'],
            passwordHash: await hashPassword(plan.operator.password, { N: 2 ** 14, r: 8, p: 1 }),
          },
          new Date(),
        );
        db.close();
      }
    }

    // Run the station, killing it at random moments, until it finishes on its own — or, once the kills are spent, until
    // it makes no progress for STALL_MS (no intent transition, no order changing state): then it is stopped and the
    // books are checked all the same, so the summary always prints (a build whose intents never settle fails there).
    // Several stations run side by side, each killed on its own.
    const runStation = async (st: (typeof stations)[number]) => {
      const dataDir = st.dataDir;
      let kills = 0;
      let refundKills = 0;
      let cardKills = 0;
      let stayKills = 0;
      let runs = 0;
      let stalled = false;
      let finished: { stuck: string[]; gaveUp?: string[]; stuckStays?: string[] } | null = null;
      while (!finished) {
        runs += 1;
        // A killed station's end of the cable closing may take socat with it: the cable is plugged in again.
        if (!st.pos!.cable.plugged) await st.pos!.cable.replug();
        if (runs > KILLS + REFUND_KILLS + CARD_KILLS + STAY_KILLS + 20) throw new Error('the station never finished');
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'station-child.ts'), dataDir], {
          stdio: ['ignore', 'pipe', process.env.CHAOS_DEBUG ? 'inherit' : 'pipe'],
        });
        let out = '';
        let errText = '';
        child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr?.on('data', (d: Buffer) => (errText = (errText + d.toString()).slice(-5000)));
        const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          child.once('exit', (code, signal) => resolve({ code, signal })),
        );
        let timer: NodeJS.Timeout | undefined;
        let watchdog: NodeJS.Timeout | undefined;
        // Kills aimed at a refund (as soon as an order is being refunded, somewhere between its HIS application and
        // HIS's confirmation) and at the card terminal (a sale or 退货 in flight: before the frame, with the card
        // charged but the answer not yet recorded, or after) — the random kills below land mostly on settlements.
        let refundWatch: NodeJS.Timeout | undefined;
        let killedIn: 'refund' | 'card' | 'stay' | null = null;
        const want = { refund: refundKills < REFUND_KILLS, card: cardKills < CARD_KILLS, stay: stayKills < STAY_KILLS };
        if (want.refund || want.card || want.stay) {
          const delay = { refund: Math.floor(random() * 300), card: Math.floor(random() * 80), stay: Math.floor(random() * 150) };
          refundWatch = setInterval(() => {
            const at = aimedAt(path.join(dataDir, 'station.db'), want);
            if (!at) return;
            clearInterval(refundWatch);
            setTimeout(() => {
              killedIn = at;
              child.kill('SIGKILL');
            }, delay[at]);
          }, 25);
        }
        if (kills < KILLS) {
          timer = setTimeout(() => child.kill('SIGKILL'), 300 + Math.floor(random() * 2500));
        } else {
          let last = '';
          let since = Date.now();
          watchdog = setInterval(() => {
            const now = progressOf(path.join(dataDir, 'station.db'));
            if (now !== last) [last, since] = [now, Date.now()];
            else if (Date.now() - since > STALL_MS) {
              stalled = true;
              child.kill('SIGKILL');
            }
          }, 5000);
        }
        const { code, signal } = await exit;
        clearTimeout(timer);
        clearInterval(watchdog);
        clearInterval(refundWatch);
        if (stalled) {
          console.log(`the station made no progress for ${STALL_MS / 1000} s: stopped, the books checked as they are`);
          // (its stays are counted stuck as one: a stalled station fails the run whatever the books say)
          finished = { stuck: unfinishedSessions(path.join(dataDir, 'station.db'), st.sessions), stuckStays: ['(stalled)'] };
          break;
        }
        if (signal === 'SIGKILL') {
          // (a narrowing TypeScript cannot see: the callback above sets it)
          const aimed = killedIn as 'refund' | 'card' | 'stay' | null;
          if (aimed === 'refund') refundKills += 1;
          else if (aimed === 'card') cardKills += 1;
          else if (aimed === 'stay') stayKills += 1;
          else kills += 1;
          continue;
        }
        if (code !== 0) throw new Error(`station ${st.stationId} child failed (exit ${code}):\n${errText.slice(-3000)}`);
        finished = JSON.parse(out.trim().split('\n').at(-1)!) as { stuck: string[]; gaveUp?: string[]; stuckStays?: string[] };
      }
      return { finished, runs, kills, refundKills, cardKills, stayKills };
    };
    // The hospital ledger's server goes away under the stations once, mid-run (pg_ctl stop -m fast), and comes back:
    // what they shipped meanwhile waits in their outboxes and goes in order once it is back.
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const serverRestart = ledger
      ? (async (server: ThrowawayPostgres, after: number) => {
          await sleep(after);
          server.stop();
          await sleep(3000);
          server.start();
        })(ledger.server, 5000 + Math.floor(random() * 10_000))
      : Promise.resolve();
    const ward = startWard({ his, pay, payKey, mchId: '1900000109', random, stations });
    const ran = await Promise.all(stations.map(runStation)).finally(() => ward.stop());
    await serverRestart;
    const runs = ran.reduce((n, r) => n + r.runs, 0);
    const kills = ran.reduce((n, r) => n + r.kills, 0);
    const refundKills = ran.reduce((n, r) => n + r.refundKills, 0);
    const cardKills = ran.reduce((n, r) => n + r.cardKills, 0);
    const stayKills = ran.reduce((n, r) => n + r.stayKills, 0);
    const finished = {
      stuck: ran.flatMap((r) => r.finished.stuck),
      gaveUp: ran.flatMap((r) => r.finished.gaveUp ?? []),
      stuckStays: ran.flatMap((r) => r.finished.stuckStays ?? []),
    };
    centre.control.clear();
    pay.control.clear();
    his.control.clear();

    // ---- reconciliation ----
    // Every station's own database; the centre's, HIS's and the platform's books hold all of them together.
    const dbs = stations.map((st) => openDatabase(path.join(st.dataDir, 'station.db')));
    const db = dbs[0]!;
    const problems: string[] = [];
    let unresolved = 0;
    let escalated = 0;
    for (const [s, one] of dbs.entries()) {
      const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(stations[s]!.dataDir, 'keys')));
      const intents = one.prepare('SELECT state, count(*) AS n FROM intents GROUP BY state').all() as { state: string; n: number }[];
      const count = (state: string) => intents.find((r) => r.state === state)?.n ?? 0;
      unresolved += count('prepared') + count('unknown') + count('compensating');
      escalated += count('escalated');
      for (const r of one.prepare(`SELECT kind, order_id AS orderId, detail FROM intents WHERE state = 'escalated'`).all() as {
        kind: string;
        orderId: string;
        detail: string;
      }[]) {
        console.log(`  escalated (waits for a person): ${r.kind} order ${r.orderId}: ${cipher.openText(r.detail)}`);
      }
    }
    const ordersOf = (one: Database.Database) =>
      one
        .prepare(
          `SELECT id, his_order_no AS orderNo, state, insuplc_admdvs AS region, insutype, total_fen AS total, fund_fen AS fund,
                account_fen AS acct, cash_fen AS cash, settle_mode AS mode, detail, reason_code AS reason, mdtrt_id AS mdtrtId,
                setl_id AS setlId, psn_no AS psnNo FROM outpatient_orders`,
        )
        .all() as {
        id: string;
        orderNo: string;
        state: string;
        region: string;
        insutype: string;
        total: number;
        fund: number | null;
        acct: number | null;
        cash: number | null;
        mode: 'insurance' | 'self-pay';
        detail: string;
        reason: string | null;
        mdtrtId: string | null;
        setlId: string | null;
        psnNo: string;
      }[];
    // A station also lists the orders other windows are taking for the same patient (they end expired there, paid
    // elsewhere): each order is checked as the station that took it holds it.
    const own = stations.map((st) => new Set(st.sessions.map((x) => x.hisOrderNo)));
    const orders = dbs.flatMap((one, s) => ordersOf(one).filter((o) => own[s]!.has(o.orderNo)));
    const byNo = new Map(orders.map((o) => [o.orderNo, o]));
    /** An order's movements in order (from the station that holds it), for a finding's report. */
    const movementsOf = (orderId: string) =>
      dbs
        .flatMap(
          (one) =>
            one.prepare('SELECT kind, state FROM intents WHERE order_id = ? ORDER BY rowid').all(orderId) as {
              kind: string;
              state: string;
            }[],
        )
        .map((i) => `${i.kind}:${i.state}`)
        .join(' → ');

    // Every book on its own (test/harness/books.ts): the centre's, HIS's and the platform's, against the stations' orders.
    const stationOrders = dbs.flatMap((one, s) => stationOrdersOf(one).filter((o) => own[s]!.has(o.orderNo)));
    const centreBooks = centre.control.books();
    // The outpatient invariants see the window's books only: the ward's visits (and their settlements and fees) and
    // the deposits' trades are the stays' (stayViolations below).
    const wardVisits = new Set(centreBooks.visits.filter((v) => v.kind === 'inpatient').map((v) => v.mdtrt_id));
    const windowCentre = {
      ...centreBooks,
      visits: centreBooks.visits.filter((v) => !wardVisits.has(v.mdtrt_id)),
      feeBatches: centreBooks.feeBatches.filter((b) => !wardVisits.has(b.mdtrt_id)),
      settlements: centreBooks.settlements.filter((x) => !wardVisits.has(x.mdtrt_id)),
    };
    const depositTrades = new Set(ward.stays.flatMap((w) => [...w.deposits.values()]));
    const payBooks = pay.control.books();
    const windowPay = {
      trades: payBooks.trades.filter((t) => !depositTrades.has(t.out_trade_no)),
      refunds: payBooks.refunds.filter((r) => !depositTrades.has(r.out_trade_no)),
    };
    // The terminals' own ledgers (the acquirer's view): what each sale keeps charged, by the REF the station sent.
    const terminal = stations.flatMap((st) =>
      [...st.pos!.terminal.ledger.values()].filter((e) => e.kind === 'sale').map((e) => ({ ref: e.ref, keptFen: keptFen(e) })),
    );
    const ebills = gateway.control.bills().map((b) => ({ busNo: b.busNo, totalFen: b.totalFen, isScarlet: b.isScarlet }));
    // The stays' discharges at HIS's ward, live or cancelled: each one's bill is held to the same as an order's.
    const stayIptNos = new Set(ward.stays.map((w) => w.iptNo));
    const wardBookings = his.control.ward
      .wardBooks()
      .settlements.filter((x) => x.kind === 'discharge' && stayIptNos.has(x.iptNo))
      .map((x) => ({ busNo: x.hisSettleNo, iptNo: x.iptNo, medfeeFen: x.medfeeFen, state: x.state }));
    const books = { centre: windowCentre, his: his.control.books(), pay: windowPay, terminal, ebills, wardBookings };
    const violations = checkBooks(stationOrders, books);
    const byInvariant = (name: Invariant) => violations.filter((v) => v.invariant === name).length;
    const doubleCharges = byInvariant('double-charge');
    const findings: string[] = [];
    for (const v of violations) {
      const o = byNo.get(v.orderNo);
      const line = `[${v.invariant}] ${v.orderNo}: ${v.detail}${o ? `; ${movementsOf(o.id)}` : ''}`;
      if (v.invariant === 'double-charge') findings.push(line);
      else problems.push(line);
    }
    // The stays on every book (test/chaos/ward.ts): the centre's visits, settlements and fee lines, HIS's ward, deposits.
    const stayBooks = stayViolations(ward.stays, { centre: centreBooks, centreDb: path.join(dir, 'centre.db'), his, pay });
    for (const f of stayBooks.findings) problems.push(`[${f.invariant}] ${f.stay}: ${f.detail}`);
    const byStayInvariant = (name: string) => stayBooks.findings.filter((f) => f.invariant === name).length;
    const booksProblems = problems.length;

    // NHSA: 3201 per (insured region, insurance type); completed and awaiting orders are the station's settlements.
    const repo = new NhsaRepo(db);
    const msgids = new PersistentMsgIdAllocator(repo, INSTITUTION.code, 'Asia/Shanghai');
    const client = new NhsaClient(
      {
        baseUrl: centre.url,
        urlStyle: 'per-infno',
        profile: 'sm',
        institution: INSTITUTION,
        centreRegion: INSTITUTION.admdvs,
        recerSysCode: 'CHAOS',
        timeoutMs: 5000,
        clientId,
        stationPrivateKeyHex: station.privateKeyHex,
        centrePublicKeyHex: centreKeys.publicKeyHex,
      },
      { msgids },
    );
    const operator = { opter: 'chaos01', opterName: '混沌测试', opterType: '1' as const };
    const si = await signIn(client, { operator }, { opterNo: 'chaos01', mac: '000000000000', ip: '127.0.0.1' });
    if (si.kind !== 'ok') throw new Error('reconciliation sign-in failed');
    const day = localDay(new Date(), 'Asia/Shanghai');
    const groups = new Map<string, { region: string; insutype: string; total: number; fund: number; acct: number; n: number }>();
    for (const o of orders) {
      if (o.mode !== 'insurance') continue; // self-pay orders never reach the centre
      const key = `${o.region}|${o.insutype}`;
      const g = groups.get(key) ?? { region: o.region, insutype: o.insutype, total: 0, fund: 0, acct: 0, n: 0 };
      if (o.state === 'completed' || o.state === 'awaiting-payment' || o.state === 'insurance-settled') {
        g.total += o.total;
        g.fund += o.fund ?? 0;
        g.acct += o.acct ?? 0;
        g.n += 1;
      }
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const r = await reconcileTotals(
        client,
        { operator, signNo: si.output.signNo },
        {
          setl_optins: g.region,
          stmt_begndate: firstDay,
          stmt_enddate: day,
          clr_type: '11',
          insutype: g.insutype,
          medfee_sumamt: fen(g.total),
          fund_pay_sumamt: fen(g.fund),
          acct_pay: fen(g.acct),
          fixmedins_setl_cnt: g.n,
        },
      );
      if (r.kind !== 'ok') problems.push(`3201 for ${g.region}/${g.insutype} did not answer: ${JSON.stringify(r)}`);
      else if (!r.output.balanced) problems.push(`3201 not balanced for ${g.region}/${g.insutype}: ${r.output.stmt_rslt_dscr}`);
    }
    const reconcile3201 = problems.length - booksProblems;

    // NHSA 3202, settlement by settlement per insured region: every settlement the station keeps must agree with the
    // centre's; a settlement only the centre has must be one its books show cancelled or reversed.
    const centreSettlement = new Map(centreBooks.settlements.map((x) => [x.setl_id, x]));
    const regions = new Set(orders.filter((o) => o.mode === 'insurance').map((o) => o.region));
    for (const region of regions) {
      const kept = orders.filter(
        (o) =>
          o.mode === 'insurance' &&
          o.region === region &&
          o.setlId &&
          o.mdtrtId &&
          ['completed', 'awaiting-payment', 'insurance-settled'].includes(o.state),
      );
      if (kept.length === 0) continue;
      const r = await reconcileDetailsWithFile(
        client,
        { operator, signNo: si.output.signNo },
        {
          setl_optins: region,
          stmt_begndate: firstDay,
          stmt_enddate: day,
          clr_type: '11',
          refd_setl_flag: '0',
          medfee_sumamt: fen(kept.reduce((sum, o) => sum + o.total, 0)),
          fund_pay_sumamt: fen(kept.reduce((sum, o) => sum + (o.fund ?? 0), 0)),
          cash_payamt: fen(kept.reduce((sum, o) => sum + (o.cash ?? 0), 0)),
          fixmedins_setl_cnt: kept.length,
          lines: kept.map((o) => ({
            setl_id: o.setlId!,
            mdtrt_id: o.mdtrtId!,
            psn_no: o.psnNo,
            medfee_sumamt: fen(o.total),
            fund_pay_sumamt: fen(o.fund ?? 0),
            acct_pay: fen(o.acct ?? 0),
            refd_setl_flag: '0' as const,
          })),
          fileName: `chaos-3202-${region}`,
        },
        dir,
      );
      if (r.kind !== 'ok') {
        problems.push(`3202 for ${region} did not answer: ${JSON.stringify(r)}`);
        continue;
      }
      for (const row of r.output.rows) {
        if (row.stmt_rslt === DETAIL_RESULT.agree) continue;
        const other = row.setl_id ? centreSettlement.get(row.setl_id) : undefined;
        if (row.stmt_rslt === DETAIL_RESULT.centreOnly && other && other.state !== 'settled') continue;
        problems.push(`3202 ${region}: settlement ${row.setl_id} (${row.mdtrt_id}): ${row.memo}`);
      }
    }
    const reconcile3202 = problems.length - booksProblems - reconcile3201;

    // The hospital ledger (several stations): every station's events on the server exactly once, and the day's
    // reconciliation over the events the office reads balanced — the centre's totals are the institution's, all
    // stations together.
    let ledgerLine = '';
    if (ledger) {
      const held = await ledgerEventsOnServer(
        ledger,
        stations.map((st) => ({ stationId: st.stationId, dbPath: path.join(st.dataDir, 'station.db') })),
      );
      const recon = await reconcileLedgerDay(ledger, centrePortOf(client, { operator, signNo: si.output.signNo }), day, 'Asia/Shanghai');
      problems.push(...held.problems, ...recon.problems);
      console.log(
        `hospital ledger (its server restarted once mid-run): ${held.local} events at the stations, ${held.server} on the server; ${recon.events} read by the office today, ${recon.groups} 3201 group(s)`,
      );
      ledgerLine = ` stations=${STATIONS} ledger_events=${held.problems.length} ledger_reconcile=${recon.problems.length}`;
    }

    // What the window did besides the platform: cash taken at the window (kept, or paid back by a refund) and
    // refunds by line finished (the rest of the bill stands, booked again at HIS and settled again at the centre).
    const countIn = (sql: string) => dbs.reduce((n, one) => n + (one.prepare(sql).get() as { n: number }).n, 0);
    const cashTaken = countIn(`SELECT count(DISTINCT order_id) AS n FROM payments WHERE mode = 'cash' AND state = 'paid'`);
    const cardPaid = countIn(`SELECT count(DISTINCT order_id) AS n FROM payments WHERE mode = 'card' AND state = 'paid'`);
    const cardRefunds = countIn(`SELECT count(*) AS n FROM refund_payments WHERE channel = 'card' AND state = 'refunded'`);
    const cardVoided = countIn(`SELECT count(*) AS n FROM payments WHERE mode = 'card' AND state = 'reversed'`);
    const partialRefunds = countIn(`SELECT count(*) AS n FROM refunds WHERE partial = 1 AND state = 'refunded'`);
    // Settled orders undone by the centre's 2208 (a failed cash share or the cashier's cancel; refunds are 2208-refund).
    const undone = countIn(
      `SELECT count(DISTINCT order_id) AS n FROM intents WHERE kind = 'nhsa.2208' AND state = 'succeeded' AND order_id IN (SELECT id FROM outpatient_orders)`,
    );
    const floorMissed = floorPlan.filter((f) => !floorReached(dbs[f.station]!, f.hisOrderNo, f.floorCase));
    for (const f of floorMissed) {
      const o = byNo.get(f.hisOrderNo);
      console.log(
        `  floor case not reached (${f.floorCase}): ${f.hisOrderNo} ${o ? `${o.state} ${o.reason ?? ''}; ${movementsOf(o.id)}` : '(no order)'}`,
      );
    }
    const states = new Map<string, number>();
    for (const o of orders) states.set(o.state, (states.get(o.state) ?? 0) + 1);
    console.log(
      `station runs ${runs}, kills ${kills} (+${refundKills} during refunds, +${cardKills} during card sales or 退货, +${stayKills} during stays); refunds planned ${sessions.filter((s) => s.refund).length} (${sessions.filter((s) => s.refundLines).length} by line); by card ${sessions.filter((s) => s.pay === 'card').length};` +
        ` orders by state: ${[...states].map(([s, n]) => `${s}=${n}`).join(' ')}`,
    );
    if (finished.stuck.length) console.log(`sessions left unfinished: ${finished.stuck.join(', ')}`);
    if (finished.stuckStays.length) console.log(`stays left unfinished: ${finished.stuckStays.join(', ')}`);
    // A session left unfinished is a finding unless it waits for a person: a movement of it escalated, or HIS did
    // not book it although the money was taken (counted as waiting; its books are checked like any other order's).
    let stuck = finished.stuckStays.length;
    let waiting = 0;
    for (const no of finished.stuck) {
      const o = orders.find((x) => x.orderNo === no);
      if (!o) continue;
      const movements = movementsOf(o.id);
      // "gave up": the cashier's key presses were refused more than the child's cap allows (not a wait).
      const why = finished.gaveUp?.includes(no) ? ' [gave up after repeated refusals]' : '';
      console.log(`  ${no}: ${o.mode} ${o.state} — ${o.detail || o.reason || ''}; ${movements}${why}`);
      if (stationOrders.find((x) => x.orderNo === no)?.waitingForPerson) waiting += 1;
      else if (!movements.includes(':escalated')) stuck += 1;
    }
    for (const one of dbs) one.close();
    for (const p of [...problems, ...findings].slice(0, 30)) console.log(`  ! ${p}`);
    console.log(
      `discrepancies=${problems.length} double_charges=${doubleCharges} unresolved=${unresolved} stuck=${stuck} escalated=${escalated} sessions=${SESSIONS}` +
        ` platform_money=${byInvariant('platform-money')} his_bookings=${byInvariant('his-booking')}` +
        ` centre_settlements=${byInvariant('centre-settlement')} his_refunds=${byInvariant('his-refund')} reconcile_3201=${reconcile3201} reconcile_3202=${reconcile3202} waiting_for_person=${waiting}` +
        ` floor=${floorPlan.length - floorMissed.length}/${floorPlan.length} undone=${undone}` +
        ` cash_drawer=${byInvariant('cash-drawer')} paid_in_cash=${cashTaken} refunded_by_line=${partialRefunds}` +
        ` card_terminal=${byInvariant('card-terminal')} paid_by_card=${cardPaid} card_voided=${cardVoided} refunded_to_card=${cardRefunds}` +
        ` stays=${ward.stays.length} stays_settled=${stayBooks.settled} deposits_refunded=${stayBooks.depositRefunds} stay_centre=${byStayInvariant('stay-centre')}` +
        ` stay_fees=${byStayInvariant('stay-fees')} stay_his=${byStayInvariant('stay-his')} stay_deposits=${byStayInvariant('stay-deposits')}` +
        ` ebills=${byInvariant('ebill')} bills_issued=${ebills.length} bills_red_flushed=${ebills.filter((b) => b.isScarlet).length}` +
        ` stay_bookings=${wardBookings.length} stays_undone=${wardBookings.filter((b) => b.state === 'cancelled').length}${ledgerLine}`,
    );
    const passed = problems.length === 0 && doubleCharges === 0 && unresolved === 0 && stuck === 0;
    if ((!passed && process.env.CHAOS_KEEP) || process.env.CHAOS_KEEP === 'always') keepDir = true;
    return passed ? 0 : 1;
  } finally {
    for (const st of stations) {
      await st.pos?.terminal.close();
      await st.pos?.cable.close();
    }
    await gateway.close();
    await pay.close();
    await his.close();
    await centre.close();
    ledger?.close();
    if (keepDir) console.log(`kept for inspection: ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
