/**
 * The station under chaos: the real core (live configuration pointing at the parent's simulators) driving every
 * planned outpatient session to its end as a cashier would — identify, fetch the order, pre-settle and settle (or
 * take it as self-pay), collect by the payment code or a QR the "patient" scans, close the QR when it cannot be paid,
 * and refund the completed bills the plan says (退费) — and, as the nurse, every inpatient stay the parent's ward admitted
 * (stay-steps.ts). It may be SIGKILLed at any moment and is simply started again: each
 * pass looks at the order's state and takes the next step; the outbox resolves whatever a kill left in doubt.
 * It exits 0 when every session has ended and nothing is in doubt.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startStationCore } from '../../src/app/core-entry';
import type { OrderView, PatientView, ReceiptView } from '../../src/shared/domain';
import { isUndoCause, type OrderReasonCode } from '../../src/shared/order-reasons';
import type { Result } from '../../src/shared/result';
import { PLAN_FILE, type ChaosPlan } from './plan';
import { staySteps } from './stay-steps';

const dataDir = process.argv[2]!;
const plan = JSON.parse(fs.readFileSync(path.join(dataDir, PLAN_FILE), 'utf8')) as ChaosPlan;
// Sweeps every 5 s (a hospital's station: 30 s): an undo that a refused or interrupted step left for the next sweep
// resumes well within the patience below, also on a loaded 2-core machine.
const SWEEP_EVERY_MS = 5_000;
const station = await startStationCore({ dataDir, training: false, shell: 'browser', sweepEveryMs: SWEEP_EVERY_MS });
const session = station.core.openSession('ws');
const call = async <T>(op: string, input: unknown): Promise<Result<T>> => (await station.core.dispatch(session, op, input)) as Result<T>;
const login = await call('login', plan.operator);
if (!login.ok) throw new Error(`login: ${JSON.stringify(login)}`);

const identifications = new Map<string, string>(); // idNo -> identificationId
const terminal = new Set<string>(['completed', 'reversed']);

type Step = 'ended' | 'acted' | 'waiting';

/**
 * What a cashier's key press came to: ORDER_BUSY is the station saying "a movement of this order is in flight or in
 * doubt, wait" (after a restart the outbox may still be querying a payment the kill left in doubt), so it is waiting,
 * not one more action — the cap on actions is for refusals that would never end.
 */
async function act(pending: Promise<Result<unknown>>, alsoWaitingOn?: string): Promise<Step> {
  const r = await pending;
  return !r.ok && (r.error.code === 'ORDER_BUSY' || r.error.code === alsoWaitingOn) ? 'waiting' : 'acted';
}

/** Reasons a self-pay order is open again for: the cashier took it back, or its window passed. */
const SELF_PAY_ENDED = new Set<OrderReasonCode>(['self-pay-cancelled', 'self-pay-window-passed']);

/** The patient's orders as HIS lists them, fetched once per patient per pass (a patient may have many sessions). */
async function ordersOf(idNo: string): Promise<Map<string, OrderView> | null> {
  let identificationId = identifications.get(idNo);
  if (!identificationId) {
    const p = await call<PatientView>('identifyPatient', { method: 'idcard', certNo: idNo });
    if (!p.ok) return null;
    identificationId = p.value.identificationId;
    identifications.set(idNo, identificationId);
  }
  const list = await call<OrderView[]>('listOrders', { identificationId });
  return list.ok ? new Map(list.value.map((o) => [o.hisOrderNo, o])) : null;
}

/** The patient scans the QR on the screen with their wallet (through the platform simulator's control endpoint). */
async function patientPaysQr(codeUrl: string, authCode: string): Promise<boolean> {
  try {
    const res = await fetch(plan.payControlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'payQr', codeUrl, authCode }),
    });
    const body = (await res.json()) as { paid?: boolean };
    return body.paid === true;
  } catch {
    return false;
  }
}

/** QRs this process already scanned (a restarted child may scan again: a paid or closed QR refuses it). */
const scannedQrs = new Set<string>();

/** Today's orders of this cashier (a completed bill is no longer among HIS's unsettled ones), by HIS order number. */
async function todaysOrders(): Promise<Map<string, OrderView> | null> {
  const list = await call<OrderView[]>('listTodayOrders', {});
  return list.ok ? new Map(list.value.map((o) => [o.hisOrderNo, o])) : null;
}

/** Whether the bill's latest refund took some lines back (部分退费): its slip then lists them. */
async function refundedByLine(orderId: string): Promise<boolean | null> {
  const slip = await call<ReceiptView>('getReceipt', { orderId });
  return slip.ok ? (slip.value.refund?.lines.length ?? 0) > 0 : null;
}

/**
 * 退费: a completed bill of a refund session is refunded, whole or its first line only (部分退费: the rest stays
 * completed); refused (the bill stands), refunded, or the line taken back, the session ends.
 */
async function refundStep(s: ChaosPlan['sessions'][number], order: OrderView | undefined): Promise<Step> {
  if (!order) return 'acted'; // not in today's list yet: asked again on the next pass
  if (order.state === 'refunded') return 'ended';
  if (order.state === 'completed') {
    if (order.reason === 'refund-refused') return 'ended';
    if (!s.refundLines) return act(call('refundOrder', { orderId: order.id, reason: '患者要求退费' }));
    const done = await refundedByLine(order.id);
    if (done === null) return 'acted';
    if (done) return 'ended';
    const first = order.lines[0]!.seq;
    return act(call('refundOrder', { orderId: order.id, reason: '患者要求退部分药品', lines: [first] }));
  }
  return 'waiting'; // being refunded: the outbox and the saga's next steps are on it
}

/** One step for one session, given its patient's orders (and today's, for the bills to refund). */
async function step(
  s: ChaosPlan['sessions'][number],
  orders: Map<string, OrderView> | null,
  today: Map<string, OrderView> | null,
): Promise<Step> {
  if (!orders) return 'acted';
  const order = orders.get(s.hisOrderNo);
  if (s.refund && (!order || ['completed', 'refunding', 'refunded'].includes(order.state))) {
    // HIS no longer lists a completed bill as unsettled: today's list finds it.
    const known = today?.get(s.hisOrderNo);
    if (known && ['completed', 'refunding', 'refunded'].includes(known.state)) return refundStep(s, known);
    if (!today) return 'acted';
  }
  if (!order) return 'ended'; // HIS no longer lists it as unsettled; reconciliation checks the rest
  if (terminal.has(order.state)) return 'ended';
  switch (order.state) {
    case 'open':
      // The payment failed and the station undid the insurance part (or cancelled the self-pay): this patient leaves.
      if (order.reason && (isUndoCause(order.reason) || SELF_PAY_ENDED.has(order.reason))) return 'ended';
      return act(call(s.selfPay ? 'selfPayOrder' : 'preSettleOrder', { orderId: order.id }));
    case 'previewed':
      return act(call('settleOrder', { orderId: order.id }));
    case 'awaiting-payment': {
      // A self-pay order keeps waiting after a failed payment (nothing to undo); this patient cannot pay: cancel. So
      // does the cashier for a session planned as a cancel (HX-28: the insurance part is undone).
      if (order.reason === 'payment-refused' || order.reason === 'qr-closed' || s.cancel) {
        return act(call('cancelOrderSettlement', { orderId: order.id }));
      }
      if (s.pay === 'qr') {
        const qr = order.payments.find((p) => p.mode === 'precreate' && p.state === 'pending');
        if (!qr) {
          return act(call('payOrderByQr', { orderId: order.id }));
        }
        if (!qr.qrCode || scannedQrs.has(qr.outTradeNo)) return 'waiting'; // the outbox polls it
        scannedQrs.add(qr.outTradeNo);
        // A poor wallet cannot pay: the cashier closes the QR (the station then undoes the insurance part).
        if (!(await patientPaysQr(qr.qrCode, s.authCode))) await call('cancelOrderPayment', { orderId: order.id });
        return 'acted';
      }
      if (s.pay === 'cash') {
        // The patient hands over the share rounded up to the next 100 yuan: the drawer gives change.
        const due = order.split?.cashFen ?? 0;
        return act(call('payOrderByCash', { orderId: order.id, tenderedFen: Math.ceil((due + 1) / 10_000) * 10_000 }));
      }
      // The patient presents a bank card on the window's terminal (a declined card: the insurance part is undone).
      // A restarted station's terminal is connected once it answered its status request: the cashier waits for it.
      if (s.pay === 'card') return act(call('payOrderByCard', { orderId: order.id }), 'DEVICE_OFFLINE');
      const scan = station.injectScan('chaos-scanbox', s.authCode);
      return act(call('payOrderByCode', { orderId: order.id, scanId: scan.scanId }));
    }
    default:
      return 'waiting'; // in doubt, being undone, or settled and waiting for HIS: the outbox is on it
  }
}

const stays = staySteps(dataDir, call, act);
const openStays = new Set(plan.stays.map((_, i) => i));
const stayActions = new Map<number, number>();
const stayGaveUp: number[] = [];
const open = new Set(plan.sessions.map((_, i) => i));
const actions = new Map<number, number>();
/** Sessions refused so often that the cashier gave up: reported with the stuck ones. */
const gaveUp: number[] = [];
const MAX_ACTIONS_PER_SESSION = 40;
/** Many of the station's sweeps (every 5 s): what a sweep would still finish is not stuck. */
const IDLE_BEFORE_GIVING_UP_MS = 45_000;
let idleSince: number | null = null;
const report = setInterval(() => {
  const c = station.outbox.isBusy() ? 'busy' : 'idle';
  process.stderr.write(`[chaos child] sessions open ${open.size}, stays open ${openStays.size}, outbox ${c}\n`);
}, 5000);
report.unref();
while (open.size > 0 || openStays.size > 0 || station.outbox.isBusy()) {
  let acted = false;
  if (openStays.size > 0) {
    const iptNos = stays.admitted();
    const ward = await stays.wards([...openStays].map((i) => plan.stays[i]!).filter((x) => iptNos[x.key]));
    for (const i of [...openStays]) {
      const r = await stays.step(plan.stays[i]!, iptNos, ward);
      if (r === 'acted') stayActions.set(i, (stayActions.get(i) ?? 0) + 1);
      if (r === 'ended') openStays.delete(i);
      else if ((stayActions.get(i) ?? 0) > MAX_ACTIONS_PER_SESSION) {
        openStays.delete(i);
        stayGaveUp.push(i);
      }
      if (r !== 'waiting') acted = true;
    }
  }
  const byPatient = new Map<string, number[]>();
  for (const i of open) byPatient.set(plan.sessions[i]!.idNo, [...(byPatient.get(plan.sessions[i]!.idNo) ?? []), i]);
  const orders = new Map<string, Map<string, OrderView> | null>();
  for (const idNo of byPatient.keys()) orders.set(idNo, await ordersOf(idNo));
  const today = [...open].some((i) => plan.sessions[i]!.refund) ? await todaysOrders() : null;
  for (const i of [...open]) {
    const r = await step(plan.sessions[i]!, orders.get(plan.sessions[i]!.idNo) ?? null, today);
    if (r === 'acted') actions.set(i, (actions.get(i) ?? 0) + 1);
    // A session that keeps being refused is a finding, not a reason to loop forever: reconciliation reports it.
    if (r === 'ended') open.delete(i);
    else if ((actions.get(i) ?? 0) > MAX_ACTIONS_PER_SESSION) {
      open.delete(i);
      gaveUp.push(i);
    }
    if (r !== 'waiting') acted = true;
  }
  // Sessions left while nothing resolves automatically wait for a person (escalated): stop and report them — but only
  // after many of the station's sweeps (every 5 s here), which resume an undo a refused step interrupted.
  idleSince = !acted && !station.outbox.isBusy() ? (idleSince ?? Date.now()) : null;
  if (idleSince !== null && Date.now() - idleSince > IDLE_BEFORE_GIVING_UP_MS) break;
  await new Promise((r) => setTimeout(r, 50));
}
// The e-bills (AQ-15) follow the bookings in the background, through the gateway's faults: the station is done once
// none is owed — every live booking billed, every bill of a cancelled booking red-flushed — or after a minute of its
// sweeps (the parent's books then say which).
{
  const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
  const owed = db.prepare(
    `SELECT count(*) AS n FROM outpatient_orders o
      WHERE (o.state = 'completed' AND o.his_settle_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM ebills e WHERE e.bus_no = o.his_settle_id AND e.state = 'issued'))
         OR EXISTS (SELECT 1 FROM ebills e WHERE e.order_id = o.id AND e.state = 'issuing')
         OR EXISTS (SELECT 1 FROM ebills e WHERE e.order_id = o.id AND e.state = 'issued'
                     AND (o.state <> 'completed' OR e.bus_no <> o.his_settle_id))`,
  );
  // A stay's discharge the same (its booking's number is sealed: a completed stay wants an issued bill, any other none).
  const stayOwed = db.prepare(
    `SELECT count(*) AS n FROM inpatient_stays s
      WHERE (s.state = 'completed' AND NOT EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issued'))
         OR EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issuing')
         OR (s.state NOT IN ('completed', 'in-doubt') AND EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issued'))`,
  );
  const owing = () => (owed.get() as { n: number }).n + (stayOwed.get() as { n: number }).n;
  const until = Date.now() + 60_000;
  while (owing() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  db.close();
}
// On a hospital ledger the parent compares every event with the server: the station is done once all are shipped.
if (fs.readFileSync(path.join(dataDir, 'station.config.json'), 'utf8').includes('"ledger"')) {
  const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
  const unshipped = () => (db.prepare('SELECT count(*) AS n FROM ledger_events WHERE shipped_at IS NULL').get() as { n: number }).n;
  while (unshipped() > 0) await new Promise((r) => setTimeout(r, 200));
  db.close();
}
// The progress report reads the station's database: stopped before the station closes it.
clearInterval(report);
await station.close();
const orderNo = (i: number) => plan.sessions[i]!.hisOrderNo;
console.log(
  JSON.stringify({
    done: true,
    stuck: [...open, ...gaveUp].map(orderNo),
    gaveUp: gaveUp.map(orderNo),
    idle: [...open].map(orderNo),
    // Stays left unfinished, by the plan's key (and the 住院号 once admitted): each is a finding.
    stuckStays: [...openStays, ...stayGaveUp].map((i) => plan.stays[i]!.key),
  }),
);
process.exit(0);
