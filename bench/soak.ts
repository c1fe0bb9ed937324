/**
 * npm run bench -- soak        (SOAK_SETTLEMENTS=N to change the count; default 5,000)
 *
 * A long day at a busy window, compressed: one station process (the core, the training rig's simulators in the
 * same process, the real SQLite file) settles order after order back to back, driven through the core's own
 * dispatcher as a cashier's screen drives it (no Chromium: these are the core's figures). Each settlement:
 * HIS prescribes an order, the cashier identifies the patient by ID number and lists the orders, pre-settles
 * (2201 + 2204 + 2206) and settles (2207, timed: settleOrder inside StationCore.dispatch), then collects the
 * self-pay share when there is one. The mix, by turns:
 *   - insured, nothing to pay (2207 + HIS confirm inside settleOrder);
 *   - a self-pay share paid by payment code (micropay), or by the QR on the screen (the patient pays it on the
 *     platform; the outbox polls it);
 *   - a refused code (a wallet of 1 fen): the payment fails, the station undoes the insurance part (2208 → 2205
 *     → 2202) and the order is open again; the patient comes back later with a good code;
 *   - the occasional lost answer: a dropped micropay answer (the outbox asks the platform and completes the
 *     order) and a dropped 2207 answer (the outbox reverses it by 2601; the patient is settled again later).
 * Per 1,000 settlements after a warm-up: p50 / p95 of settleOrder's time and the process's resident memory.
 * At the end the outbox drains and every order must be completed, open, expired or reversed ("stuck" counts
 * the rest).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStationFromConfig } from '../src/app/compose';
import { TRAINING_SCANNER_ID } from '../src/app/training-rig';
import type { OrderView, PatientView } from '../src/shared/domain';
import type { Result } from '../src/shared/result';
import { TRAINING_PASSWORD } from '../src/station/auth/training-operators';
import { POPULATION } from '../src/simulators/nhsa';

const SETTLEMENTS = Number(process.env.SOAK_SETTLEMENTS ?? 5_000);
const WARMUP = 100;
const BLOCK = Math.min(1_000, Math.max(1, Math.floor(SETTLEMENTS / 5)));
const SETTLED_STATES = new Set(['completed', 'open', 'expired', 'reversed']);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The process's memory at a block's end, after a full collection when the runner allows one (`npm run bench`
 * starts benchmarks with --expose-gc): garbage not yet collected is not a leak; what survives is.
 */
function memoryAt(at: number): { at: number; mb: number; heapMb: number; externalMb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { at, mb: Math.round(m.rss / 1e6), heapMb: Math.round(m.heapUsed / 1e6), externalMb: Math.round(m.external / 1e6) };
}

type PayBy = 'code' | 'qr' | 'refused';
const PAY_TURNS: readonly PayBy[] = ['code', 'qr', 'code', 'refused', 'code', 'code', 'qr', 'code'];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-soak-'));
  const station = await createStationFromConfig({
    dataDir: dir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 2_000,
    qr: { ttlMs: 5 * 60_000, pollEveryMs: 250 },
  });
  const rig = station.training!;
  const session = station.core.openSession('ws');
  const call = async <T>(op: string, input: unknown): Promise<T> => {
    const r = (await station.core.dispatch(session, op, input)) as Result<T>;
    if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const attempt = async <T>(op: string, input: unknown) => (await station.core.dispatch(session, op, input)) as Result<T>;
  await call('login', { login: 'sf001', password: TRAINING_PASSWORD });

  const patients = rig.his.control
    .patients()
    .filter(
      (p) => p.psn_no && POPULATION.some((q) => q.idNo === p.id_no && q.insurances[0]?.psnInsuStas === '1' && !q.registrationRefusal),
    );
  if (patients.length === 0) throw new Error('no insured patients in the HIS simulator');
  const goodWallet = (i: number) => rig.payChannel.control.wallet({ channel: i % 2 ? 'WECHAT' : 'ALIPAY', balanceFen: 10_000_000 });
  const poorWallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1 });

  const times: number[] = [];
  const byOutcome = new Map<string, number>();
  const rss: ReturnType<typeof memoryAt>[] = [];
  const faults = { micropayDropped: 0, settlementDropped: 0, refused: 0, qr: 0 };
  /** Orders the patient comes back for (refused code, 2207 reversed): order id → what it needs. */
  const comeBack = new Map<string, { identificationId: string; i: number }>();
  const ours: string[] = [];

  /** Settle (timed) and collect the share; returns the state the settlement left. */
  let shares = 0;
  const settleAndPay = async (orderId: string, i: number, comingBack: boolean, identificationId: string): Promise<void> => {
    const t0 = performance.now();
    const r = await attempt<OrderView>('settleOrder', { orderId });
    times.push(performance.now() - t0);
    const n = times.length - WARMUP;
    if (n >= 0 && n % BLOCK === 0) rss.push(memoryAt(n));
    const state = r.ok ? r.value.state : `error ${r.error.code}`;
    byOutcome.set(state, (byOutcome.get(state) ?? 0) + 1);
    if (!r.ok || state !== 'awaiting-payment') {
      if (state !== 'completed') comeBack.set(orderId, { identificationId, i });
      return;
    }
    // The self-pay shares, by turns: payment code, QR, refused code; now and then the payment code's answer is lost.
    const turn = comingBack ? -1 : shares++;
    const payBy: PayBy = turn < 0 ? 'code' : PAY_TURNS[turn % PAY_TURNS.length]!;
    if (turn % 20 === 4 && payBy === 'code') {
      rig.payChannel.control.inject({ op: 'micropay', fault: { kind: 'drop-response' }, times: 1 });
      faults.micropayDropped += 1;
    }
    if (payBy === 'qr') {
      faults.qr += 1;
      const shown = await call<OrderView>('payOrderByQr', { orderId });
      const qr = shown.payments.find((p) => p.mode === 'precreate' && p.state === 'pending');
      if (!qr?.qrCode) throw new Error('no QR on the screen');
      const paid = rig.payChannel.control.payQr(qr.qrCode, goodWallet(i).authCode);
      if (!paid.paid) throw new Error(`QR not paid: ${paid.reason}`);
      return; // the outbox polls it and books the order at HIS
    }
    const refused = payBy === 'refused';
    if (refused) faults.refused += 1;
    const scan = station.injectScan(TRAINING_SCANNER_ID, (refused ? poorWallet : goodWallet(i)).authCode);
    const paid = await attempt<OrderView>('payOrderByCode', { orderId, scanId: scan.scanId });
    if (refused || !paid.ok || paid.value.state !== 'completed') comeBack.set(orderId, { identificationId, i });
  };

  /** The patients who come back: settle again what the station undid, once nothing of the order is in doubt. */
  const serveComeBacks = async () => {
    for (const [orderId, { identificationId, i }] of [...comeBack]) {
      if (times.length >= SETTLEMENTS + WARMUP) return;
      const order = (await call<OrderView[]>('listOrders', { identificationId })).find((o) => o.id === orderId);
      if (!order || (SETTLED_STATES.has(order.state) && order.state !== 'open')) {
        comeBack.delete(orderId);
        continue;
      }
      if (order.state === 'open') {
        const pre = await attempt<OrderView>('preSettleOrder', { orderId });
        if (!pre.ok) continue;
      } else if (order.state !== 'previewed') continue; // still being undone or resolved
      comeBack.delete(orderId);
      await settleAndPay(orderId, i, true, identificationId);
    }
  };

  const started = performance.now();
  for (let i = 0; times.length < SETTLEMENTS + WARMUP; i++) {
    if (i % 25 === 24) await serveComeBacks();
    const p = patients[i % patients.length]!;
    const hisOrderNo = rig.his.control.prescribe({
      patientId: p.patient_id,
      deptCode: ['0301', '0401', '0701', '1001'][i % 4],
      prescriptions: [
        { lines: [{ hospCode: 'F0001', quantity: '1' }] },
        {
          lines: [
            { hospCode: i % 2 ? 'Y0001' : 'Y0002', quantity: String(1 + (i % 3)) },
            { hospCode: 'Y0003', quantity: '1' },
          ],
        },
      ],
    });
    const patient = await call<PatientView>('identifyPatient', { method: 'idcard', certNo: p.id_no });
    const order = (await call<OrderView[]>('listOrders', { identificationId: patient.identificationId })).find(
      (o) => o.hisOrderNo === hisOrderNo,
    );
    if (!order) throw new Error(`HIS order ${hisOrderNo} not listed`);
    ours.push(order.id);
    await call('preSettleOrder', { orderId: order.id });
    // The occasional lost answer: the next 2207's answer, or the next payment code's, never arrives.
    if (i % 97 === 50) {
      rig.centre.control.inject({ infno: '2207', fault: { kind: 'drop-response' }, times: 1 });
      faults.settlementDropped += 1;
    }
    await settleAndPay(order.id, i, false, patient.identificationId);
  }
  const elapsedS = (performance.now() - started) / 1000;

  // The day ends: the patients still to come back are served, the outbox drains (≤ 2 min).
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const [orderId, { identificationId, i }] of [...comeBack]) {
      const order = (await call<OrderView[]>('listOrders', { identificationId })).find((o) => o.id === orderId);
      if (!order || (SETTLED_STATES.has(order.state) && order.state !== 'open') || order.state === 'open') {
        comeBack.delete(orderId); // an open order after an undo is not stuck: the patient may come back tomorrow
        continue;
      }
      if (order.state === 'previewed') {
        comeBack.delete(orderId);
        await settleAndPay(orderId, i, true, identificationId);
      }
    }
    if (comeBack.size === 0 && !station.outbox.isBusy()) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await station.close();

  const db = new Database(path.join(dir, 'station.db'), { readonly: true });
  const states = db.prepare('SELECT state, count(*) AS n FROM outpatient_orders GROUP BY state').all() as { state: string; n: number }[];
  const openIntents = (
    db.prepare(`SELECT count(*) AS n FROM intents WHERE state IN ('prepared','unknown','compensating','escalated')`).get() as { n: number }
  ).n;
  const stuck = ours.length
    ? (
        db
          .prepare(
            `SELECT count(*) AS n FROM outpatient_orders WHERE id IN (SELECT value FROM json_each(?)) AND state NOT IN ('completed','open','expired','reversed')`,
          )
          .get(JSON.stringify(ours)) as { n: number }
      ).n
    : 0;
  const completed = (
    db
      .prepare(`SELECT count(*) AS n FROM outpatient_orders WHERE id IN (SELECT value FROM json_each(?)) AND state = 'completed'`)
      .get(JSON.stringify(ours)) as { n: number }
  ).n;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });

  // Per block of 1,000 (after the warm-up).
  const measured = times.slice(WARMUP, WARMUP + SETTLEMENTS);
  const blocks: { from: number; to: number; n: number; p50: number; p95: number; rssMb: number | undefined; heapMb: number | undefined }[] =
    [];
  for (let from = 0; from < measured.length; from += BLOCK) {
    const s = measured.slice(from, from + BLOCK).sort((a, b) => a - b);
    blocks.push({
      from,
      to: from + s.length,
      n: s.length,
      p50: r2(percentile(s, 50)),
      p95: r2(percentile(s, 95)),
      rssMb: rss.find((x) => x.at === from + s.length)?.mb,
      heapMb: rss.find((x) => x.at === from + s.length)?.heapMb,
    });
  }
  const all = [...measured].sort((a, b) => a - b);
  console.log(
    `${'settlements'.padEnd(14)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'RSS MB at end'.padStart(14)} ${'JS heap MB'.padStart(11)}`,
  );
  console.log(
    `${'(start)'.padEnd(14)} ${''.padStart(5)} ${''.padStart(8)} ${''.padStart(8)} ${String(rss[0]?.mb ?? '—').padStart(14)} ${String(rss[0]?.heapMb ?? '—').padStart(11)}`,
  );
  for (const b of blocks) {
    console.log(
      `${`${b.from + 1}–${b.to}`.padEnd(14)} ${String(b.n).padStart(5)} ${b.p50.toFixed(2).padStart(8)} ${b.p95.toFixed(2).padStart(8)} ${String(b.rssMb ?? '—').padStart(14)} ${String(b.heapMb ?? '—').padStart(11)}`,
    );
  }
  console.log(
    `${'all'.padEnd(14)} ${String(all.length).padStart(5)} ${r2(percentile(all, 50)).toFixed(2).padStart(8)} ${r2(percentile(all, 95)).toFixed(2).padStart(8)}`,
  );
  const second = blocks[1] ?? blocks[0]!;
  const last = blocks.at(-1)!;
  const rssFirst = blocks[0]?.rssMb ?? NaN;
  const rssLast = last.rssMb ?? NaN;
  const p95Met = last.p95 <= second.p95 * 1.1;
  const rssMet = rssLast <= rssFirst * 1.1;
  const stuckMet = stuck === 0;
  console.log(
    `${measured.length} settlements (+${WARMUP} warm-up) over ${patients.length} insured patients in ${elapsedS.toFixed(0)} s; ` +
      `settleOrder left: ${[...byOutcome].map(([s, n]) => `${s} ${n}`).join(', ')}; ` +
      `QR ${faults.qr}, refused codes ${faults.refused}, dropped micropay answers ${faults.micropayDropped}, dropped 2207 answers ${faults.settlementDropped}`,
  );
  console.log(
    `orders at the end: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}; ours completed ${completed} of ${ours.length}; open intents ${openIntents}; stuck ${stuck}`,
  );
  console.log(
    `goal: last thousand's p95 within 10% of the second's: ${p95Met ? 'met' : 'MISSED'} (${last.p95.toFixed(2)} vs ${second.p95.toFixed(2)} ms)`,
  );
  console.log(
    `goal: RSS after ${last.to} within 10% of after ${blocks[0]?.to}: ${rssMet ? 'met' : 'MISSED'} (${rssLast} vs ${rssFirst} MB)`,
  );
  console.log(`goal: zero stuck orders: ${stuckMet ? 'met' : 'MISSED'} (${stuck})`);
  console.log(
    JSON.stringify({
      bench: 'soak',
      n: measured.length,
      warmup: WARMUP,
      block: BLOCK,
      p50_ms: blocks.map((b) => b.p50),
      p95_ms: blocks.map((b) => b.p95),
      rss_mb: Object.fromEntries(rss.map((x) => [x.at, x.mb])),
      heap_mb: Object.fromEntries(rss.map((x) => [x.at, x.heapMb])),
      gc_before_samples: typeof (globalThis as { gc?: unknown }).gc === 'function',
      outcomes: Object.fromEntries(byOutcome),
      faults,
      stuck,
      open_intents: openIntents,
      elapsed_s: Math.round(elapsedS),
      goal_p95_met: p95Met,
      goal_rss_met: rssMet,
      goal_stuck_met: stuckMet,
    }),
  );
}

await main();
process.exit(0);
