/**
 * `npm run chaos -- --service [--phones N] [--seed S] [--kills K]` — the settlement service's chaos (issue 16, 4).
 *
 * Starts the NHSA centre, HIS and the NHSA mobile-payment centre simulators (their own SQLite ledgers) with seeded
 * faults — lost answers and requests, 500s and delays past the timeout on 6201/6202/6301/6203, callbacks lost,
 * duplicated and late, HIS losing its booking's answer — and runs the service (service-child.ts: the real `npm run
 * service` core) as a child process, SIGKILLed at random moments and started again. N phones (service-phones.ts)
 * settle N discharged stays through it concurrently, one stay per patient at a time (waves); some retry with the same
 * Idempotency-Key, some settle from two phones at once, some apply for a refund (after HIS booked the discharge,
 * mostly: HIS's booking cancelled, then 6203) and settle the stay again. Then every callback is sent again
 * late, and every book is checked with zero tolerance (service-books.ts). It prints
 * `discrepancies=0 double_charges=0 unresolved=0 stuck=0 waiting_for_person=K phones=N` and the count of each
 * invariant's violations, and exits non-zero on any discrepancy, double charge, unresolved or stuck settlement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes, toHex } from '../../src/insurance/crypto';
import { POPULATION } from '../../src/simulators/nhsa';
import { prng } from './prng';
import { checkServiceBooks, stationBooks } from './service-books';
import { phones, type PhoneOutcome, type PhonePlan } from './service-phones';
import { startServiceWorld } from './service-world';
import { wholeNumberOption } from './whole-number-option';

const USAGE = `用法 / usage: npm run chaos -- --service [--phones N] [--seed S] [--kills K]
  结算服务混沌测试: N phones settle N discharged stays through the settlement service against the simulators with
  seeded faults, the service SIGKILLed K times; then every book reconciled, non-zero exit on any violation.
  --phones N   stays settled on phones (default 12)
  --seed S     the faults' and kills' seed (default 1)
  --kills K    SIGKILLs of the service (default max(3, N / 4))`;
const argv = process.argv.slice(2).filter((a) => a !== '--service');
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const num = wholeNumberOption(argv, USAGE);
const PHONES = num('--phones', 12);
const SEED = num('--seed', 1);
const KILLS = num('--kills', Math.max(3, Math.ceil(PHONES / 4)));
const TIMEOUT_MS = 1000;
const WALLET_FEN = 10_000_000;
const APP = { appId: 'chaos-phone-app', name: '混沌测试公众号', secret: toHex(randomBytes(32)), ratePerMinute: 100_000 };
const OPERATOR = { login: 'chaosnurse', password: 'Chaos@2026' };
/** A phone without a final answer after this long gives up: counted stuck. */
const PHONE_PATIENCE_MS = 90_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A mobile payment's movement, HIS's booking of it or its cancel (a refund) in flight or in doubt: what an aimed kill waits for. */
function moneyInFlight(dbPath: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    return false;
  }
  try {
    const kinds = `'mobile.6201', 'mobile.6202', 'mobile.6301-paid', 'mobile.6203', 'his.mobile-ward-settle', 'his.mobile-ward-cancel'`;
    return db.prepare(`SELECT 1 FROM intents WHERE kind IN (${kinds}) AND state IN ('prepared', 'unknown') LIMIT 1`).get() !== undefined;
  } catch {
    return false; // not migrated yet
  } finally {
    db.close();
  }
}

async function main(): Promise<number> {
  const random = prng(SEED);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yibao-service-chaos-'));
  const world = await startServiceWorld({
    dir,
    seed: SEED,
    app: APP,
    operator: OPERATOR,
    timeoutMs: TIMEOUT_MS,
    notifyScheduleMs: [50, 200, 500, 1000, 2000, 4000],
    outbox: { backoffBaseMs: 100, backoffMaxMs: 1000, queryWindowMs: 3000 },
    ebill: true,
  });
  const { centre, his, mobile, ebill, service, dbPath } = world;
  let keepDir = false;
  try {
    // Faults, seeded: what the service must survive. The centres lose answers after commit and requests before it,
    // answer 500 and answer late; the mobile centre's callbacks are lost, duplicated and late; HIS loses its booking.
    for (const infno of ['2401', '2402', '2303']) {
      centre.control.inject({ infno, fault: { kind: 'drop-response' }, probability: 0.05 });
      centre.control.inject({ infno, fault: { kind: 'http-500' }, probability: 0.03 });
    }
    const some = (share: number) => Math.max(1, Math.round(PHONES * share));
    for (const op of ['uldFeeInfo', 'pay_order', 'query_order_info', 'refund_Order']) {
      mobile.control.inject({ op, fault: { kind: 'drop-response' }, times: some(0.1) });
      mobile.control.inject({ op, fault: { kind: 'drop-request' }, times: some(0.05) });
      mobile.control.inject({ op, fault: { kind: 'http-500' }, times: some(0.05) });
      mobile.control.inject({ op, fault: { kind: 'delay', ms: TIMEOUT_MS + 500 }, times: some(0.05) });
    }
    mobile.control.inject({ op: 'notify', fault: { kind: 'duplicate-notify' }, times: some(0.3) });
    mobile.control.inject({ op: 'notify', fault: { kind: 'notify-lost' }, times: some(0.2) });
    mobile.control.inject({ op: 'notify', fault: { kind: 'delay', ms: 1500 }, times: some(0.2) });
    // The e-bill gateway loses answers, times out and answers 500 (a lost issue is looked up by busNo).
    for (const service of ['invEBillHospitalized', 'getEBillByBusNo', 'writeOffEBill', 'getEBillStatesByBillInfo'] as const)
      for (const kind of ['lose-answer', 'timeout-before-commit', 'http-500'] as const) ebill!.control.faultSometimes(service, kind, 0.03);
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'drop-response' }, times: some(0.1) });
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'http-500' }, times: some(0.05) });
    // HIS refusing a paid discharge's booking: the stay waits for a person, and its refund goes back through 6203.
    his.control.inject({ op: 'inpatient.settle', fault: { kind: 'refuse', code: '4001', msg: '病区正在盘点' }, times: some(0.15) });

    // The ward's patients: this region's insured (one stay each at a time, so the phones come in waves).
    const patients = his.control
      .patients()
      .filter(
        (p) =>
          p.psn_no &&
          p.id_no.startsWith('3502') &&
          POPULATION.some((q) => q.idNo === p.id_no && q.insurances[0]?.psnInsuStas === '1' && !q.registrationRefusal),
      );
    const kinds: PhonePlan['kind'][] = ['plain', 'retry', 'twin', 'refund'];
    const ward = his.control.ward;
    const admissions: Record<string, string> = {};
    const walletOf = new Map<string, string>(); // payAuthNo -> 住院号
    const phone = phones({
      url: world.url,
      app: APP,
      authorise: (idNo) => mobile.control.authorise(idNo, WALLET_FEN),
      random,
      patienceMs: PHONE_PATIENCE_MS,
    });

    await service.start();
    let phonesDone = false;
    let kills = 0;
    const killer = (async () => {
      while (kills < KILLS && !phonesDone) {
        // Half the kills at a random moment, half aimed at money in flight (6201/6202/6203, HIS's booking or its cancel).
        if (random() < 0.5) await sleep(300 + Math.floor(random() * 2500));
        else {
          const giveUpAt = Date.now() + 5_000;
          while (!moneyInFlight(dbPath) && Date.now() < giveUpAt && !phonesDone) await sleep(20);
          await sleep(Math.floor(random() * 80));
        }
        if (phonesDone) break;
        await service.kill();
        kills += 1;
        await service.start();
      }
    })();

    const outcomes: PhoneOutcome[] = [];
    const plans: PhonePlan[] = [];
    try {
      // A patient whose stay HIS did not settle (its booking refused: at the window now) is not admitted again.
      const free = [...patients];
      for (let first = 0; first < PHONES && free.length > 0; first = plans.length) {
        const wave: PhonePlan[] = [];
        const takers = free.slice(0, PHONES - first);
        for (const [w, p] of takers.entries()) {
          const i = first + w;
          const iptNo = ward.admit({ patientId: p.patient_id, wardCode: 'W0301' });
          ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
          ward.charge({
            iptNo,
            lines: [
              { hospCode: 'F0002', quantity: '1' },
              { hospCode: 'Y0001', quantity: String(1 + (i % 3)) },
            ],
          });
          ward.orderDischarge(iptNo);
          admissions[iptNo] = p.id_no;
          wave.push({ iptNo, idNo: p.id_no, kind: kinds[Math.floor(random() * kinds.length)]! });
        }
        world.admit(admissions);
        plans.push(...wave);
        const done = await Promise.all(wave.map((p) => phone.run(p)));
        for (const d of done) for (const a of d.payAuthNos) walletOf.set(a, d.iptNo);
        outcomes.push(...done);
        // The patient is admitted again once the stay is settled at HIS (the outbox books it after the pay; a
        // booking HIS refused waits for a person; a refund cancels it): the stays HIS never settles leave their patients out.
        const leftBy = Date.now() + PHONE_PATIENCE_MS;
        const hisState = (iptNo: string) => ward.stays().find((s) => s.ipt_no === iptNo)?.state;
        const refused = (iptNo: string) => stationBooks(dbPath).stays.get(iptNo) === 'settled';
        // Refunded and not settled again: open at HIS (discharge ordered), its patient left out too.
        const refunded = (iptNo: string) =>
          ![...(done.find((d) => d.iptNo === iptNo)?.told.values() ?? [])].includes('paid') && hisState(iptNo) === 'discharge-ordered';
        const out = () => wave.every((p) => hisState(p.iptNo) === 'settled' || refused(p.iptNo) || refunded(p.iptNo));
        while (!out() && Date.now() < leftBy) await sleep(300);
        for (const p of wave)
          if (hisState(p.iptNo) !== 'settled')
            free.splice(
              free.findIndex((q) => q.id_no === p.idNo),
              1,
            );
        if (!out()) break;
      }
    } finally {
      phonesDone = true;
      await killer;
    }

    // Late and duplicated callbacks, every order once more: each acknowledged, nothing booked twice.
    let replayed = 0;
    for (const order of mobile.control.ledger.orders())
      if (order.ord_stas !== '0' && (await mobile.control.replay(order.pay_ord_id))) replayed += 1;
    // The service settles what is left in its outbox (HIS's bookings, 6301s): bounded by the same patience.
    const quietBy = Date.now() + PHONE_PATIENCE_MS;
    mobile.control.clear();
    his.control.clear();
    centre.control.clear();
    const check = () =>
      checkServiceBooks({
        dbPath,
        mobile: mobile.control,
        his: his.control,
        plans,
        outcomes,
        walletOf,
        walletFen: WALLET_FEN,
        ebill: ebill!.control,
      });
    let books = check();
    while (books.unresolved + books.stuck > 0 && Date.now() < quietBy) {
      await sleep(500);
      books = check();
    }
    await service.stop();
    books = check();

    for (const f of books.findings.slice(0, 40)) console.log(`  ✗ ${f.invariant} ${f.stay}: ${f.detail}`);
    const callbacks = mobile.control.ledger.callbacks();
    const deliveries = callbacks.reduce((n, c) => n + c.deliveries, 0);
    const bills = ebill!.control.bills();
    console.log(
      `service chaos: seed=${SEED} phones=${PHONES} kills=${kills} paid=${books.paid} refunded=${books.refunded} ` +
        `callbacks_delivered=${deliveries} replayed=${replayed} bills_issued=${bills.length} bills_red_flushed=${bills.filter((b) => b.isScarlet).length}`,
    );
    const counts = Object.entries(books.byInvariant)
      .map(([k, n]) => `${k}=${n}`)
      .join(' ');
    console.log(
      `discrepancies=${books.discrepancies} double_charges=${books.doubleCharges} unresolved=${books.unresolved} stuck=${books.stuck} ` +
        `waiting_for_person=${books.waitingForPerson} phones=${plans.length} ${counts}`,
    );
    const failed = books.discrepancies + books.doubleCharges + books.unresolved + books.stuck > 0;
    keepDir ||= failed;
    if (keepDir) console.log(`(the books are kept in ${dir})`);
    return failed ? 1 : 0;
  } finally {
    await service.stop().catch(() => undefined);
    await world.close();
    if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
