/**
 * A shift's summary from the station's own records: the operator's bills completed in the window (their fund,
 * personal-account and payment amounts), the refunds finished in it, the deposit surpluses paid out in cash, and the
 * operator's orders still in doubt or waiting. The caller runs it inside one transaction so every figure comes from the same moment.
 */
import { SHIFT_CHANNELS, type ShiftChannel, type ShiftChannelLine, type ShiftSummary } from '../../shared/shifts';
import type { Db } from '../store';

export interface ShiftWindow {
  operatorId: string;
  /** inclusive */
  from: string;
  /** exclusive */
  until: string;
}

/** Where an order waits for an answer or a step: named on the slip, it does not block the close. */
const PENDING_STATES = ['insurance-settled', 'awaiting-payment', 'expiring', 'reversing', 'in-doubt', 'refunding'] as const;
/** Bills that were completed (a refund later does not undo that they were collected). */
const COLLECTED_STATES = ['completed', 'refunding', 'refunded'] as const;

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

function walletOf(channel: string): ShiftChannel | null {
  const c = channel.toLowerCase();
  if (c === 'wechat' || c === 'alipay' || c === 'cash' || c === 'card') return c;
  return null;
}

export function shiftSummary(db: Db, w: ShiftWindow): ShiftSummary {
  const lines = new Map<ShiftChannel, ShiftChannelLine>(
    SHIFT_CHANNELS.map((channel) => [channel, { channel, count: 0, amountFen: 0, refundCount: 0, refundFen: 0 }]),
  );
  const line = (c: ShiftChannel) => lines.get(c)!;
  const times: string[] = [];

  const orders = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(total_fen), 0) AS total,
         SUM(CASE WHEN fund_fen > 0 THEN 1 ELSE 0 END) AS fundN, COALESCE(SUM(fund_fen), 0) AS fund,
         SUM(CASE WHEN account_fen > 0 THEN 1 ELSE 0 END) AS acctN, COALESCE(SUM(account_fen), 0) AS acct,
         MIN(completed_at) AS first, MAX(completed_at) AS last
       FROM outpatient_orders
       WHERE completed_at >= ? AND completed_at < ? AND operator_id = ? AND state IN (${inList(COLLECTED_STATES)})`,
    )
    .get(w.from, w.until, w.operatorId) as {
    n: number;
    total: number;
    fundN: number | null;
    fund: number;
    acctN: number | null;
    acct: number;
    first: string | null;
    last: string | null;
  };
  Object.assign(line('fund'), { count: orders.fundN ?? 0, amountFen: orders.fund });
  Object.assign(line('account'), { count: orders.acctN ?? 0, amountFen: orders.acct });
  if (orders.first) times.push(orders.first);
  if (orders.last) times.push(orders.last);

  const paid = db
    .prepare(
      `SELECT p.channel AS channel, COUNT(*) AS n, SUM(p.amount_fen) AS amount
       FROM payments p JOIN outpatient_orders o ON o.id = p.order_id
       WHERE o.completed_at >= ? AND o.completed_at < ? AND o.operator_id = ? AND o.state IN (${inList(COLLECTED_STATES)})
         AND p.state = 'paid'
       GROUP BY p.channel`,
    )
    .all(w.from, w.until, w.operatorId) as { channel: string; n: number; amount: number }[];
  for (const p of paid) {
    const c = walletOf(p.channel);
    if (c) Object.assign(line(c), { count: line(c).count + p.n, amountFen: line(c).amountFen + p.amount });
  }

  const refunds = db
    .prepare(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN fund_fen > 0 THEN 1 ELSE 0 END) AS fundN, COALESCE(SUM(fund_fen), 0) AS fund,
         SUM(CASE WHEN acct_fen > 0 THEN 1 ELSE 0 END) AS acctN, COALESCE(SUM(acct_fen), 0) AS acct,
         COALESCE(SUM(fund_fen + acct_fen + cash_fen), 0) AS total, MIN(finished_at) AS first, MAX(finished_at) AS last
       FROM refunds WHERE finished_at >= ? AND finished_at < ? AND operator_id = ? AND state = 'refunded'`,
    )
    .get(w.from, w.until, w.operatorId) as {
    n: number;
    fundN: number | null;
    fund: number;
    acctN: number | null;
    acct: number;
    total: number;
    first: string | null;
    last: string | null;
  };
  Object.assign(line('fund'), { refundCount: refunds.fundN ?? 0, refundFen: refunds.fund });
  Object.assign(line('account'), { refundCount: refunds.acctN ?? 0, refundFen: refunds.acct });
  if (refunds.first) times.push(refunds.first);
  if (refunds.last) times.push(refunds.last);

  const returned = db
    .prepare(
      `SELECT rp.channel AS channel, COUNT(*) AS n, SUM(rp.amount_fen) AS amount
       FROM refund_payments rp JOIN refunds r ON r.id = rp.refund_id
       WHERE r.finished_at >= ? AND r.finished_at < ? AND r.operator_id = ? AND r.state = 'refunded' AND rp.state = 'refunded'
       GROUP BY rp.channel`,
    )
    .all(w.from, w.until, w.operatorId) as { channel: string; n: number; amount: number }[];
  for (const p of returned) {
    const c = walletOf(p.channel);
    if (c) Object.assign(line(c), { refundCount: line(c).refundCount + p.n, refundFen: line(c).refundFen + p.amount });
  }

  // Deposit surpluses the operator paid out of the drawer at the window: cash gone, though no bill of theirs.
  const payouts = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS amount, MIN(paid_at) AS first, MAX(paid_at) AS last
       FROM window_cash_payouts WHERE paid_at >= ? AND paid_at < ? AND operator_id = ?`,
    )
    .get(w.from, w.until, w.operatorId) as { n: number; amount: number; first: string | null; last: string | null };
  if (payouts.first) times.push(payouts.first);
  if (payouts.last) times.push(payouts.last);

  const pending = db
    .prepare(
      `SELECT id AS orderId, his_order_no AS hisOrderNo, state, total_fen AS totalFen, updated_at AS updatedAt
       FROM outpatient_orders WHERE state IN (${inList(PENDING_STATES)}) AND operator_id = ? ORDER BY updated_at, id`,
    )
    .all(w.operatorId) as ShiftSummary['pending'];

  times.sort();
  return {
    orders: orders.n,
    totalFen: orders.total,
    channels: [...lines.values()],
    refunds: refunds.n,
    refundFen: refunds.total,
    netFen: orders.total - refunds.total,
    depositRefunds: payouts.n,
    depositRefundFen: payouts.amount,
    pending,
    firstAt: times[0] ?? null,
    lastAt: times.at(-1) ?? null,
  };
}
