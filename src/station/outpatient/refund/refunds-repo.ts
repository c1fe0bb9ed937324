/**
 * Refunds of completed bills (migration 012): where each stands, what goes back by channel, and each payment's
 * refund on its own channel with its out_refund_no, fixed when the refund is written, before anything is sent.
 */
import { fen, type Fen } from '../../../shared/money';
import type { Db } from '../../store';

export type RefundState = 'applying' | 'applied' | 'centre-cancelled' | 'withdrawing' | 'refused' | 'waiting' | 'refunded';

export interface RefundRecord {
  id: string;
  orderId: string;
  state: RefundState;
  hisApplyId: string;
  hisConfirmId: string;
  fundFen: Fen;
  acctFen: Fen;
  cashFen: Fen;
  operatorId: string;
  createdAt: string;
  finishedAt: string | null;
  /** Some lines only (部分退费): the amounts are known once the centre has settled the rest again. */
  partial: boolean;
  /** HIS's settle id for the remaining lines of a partial refund. */
  resettleId: string | null;
}

export interface RefundPayment {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  channel: string;
  amountFen: Fen;
  state: 'pending' | 'refunded' | 'failed';
}

const REFUND_COLUMNS = `id, order_id AS orderId, state, his_apply_id AS hisApplyId, his_confirm_id AS hisConfirmId,
  fund_fen AS fundFen, acct_fen AS acctFen, cash_fen AS cashFen, operator_id AS operatorId, created_at AS createdAt,
  finished_at AS finishedAt, partial, resettle_id AS resettleId`;

export class RefundsRepo {
  constructor(private readonly db: Db) {}

  insert(
    r: Omit<RefundRecord, 'state' | 'createdAt' | 'finishedAt' | 'partial' | 'resettleId'> & { partial?: boolean; resettleId?: string },
    payments: Omit<RefundPayment, 'refundId' | 'state'>[],
    now: Date,
  ): void {
    const at = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO refunds (id, order_id, state, his_apply_id, his_confirm_id, fund_fen, acct_fen, cash_fen, operator_id, created_at, updated_at,
           partial, resettle_id)
         VALUES (?, ?, 'applying', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.id,
        r.orderId,
        r.hisApplyId,
        r.hisConfirmId,
        r.fundFen,
        r.acctFen,
        r.cashFen,
        r.operatorId,
        at,
        at,
        r.partial ? 1 : 0,
        r.resettleId ?? null,
      );
    this.addPayments(r.id, payments, now);
  }

  /** Each payment's share of what goes back, under its out_refund_no (a partial refund's, once its amounts are known). */
  addPayments(refundId: string, payments: Omit<RefundPayment, 'refundId' | 'state'>[], now: Date): void {
    const at = now.toISOString();
    for (const p of payments) {
      this.db
        .prepare(
          `INSERT INTO refund_payments (out_refund_no, refund_id, out_trade_no, channel, amount_fen, state, updated_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(p.outRefundNo, refundId, p.outTradeNo, p.channel, p.amountFen, at);
    }
  }

  /** A partial refund's amounts back by fund, account and self-pay, known once the rest is settled again. */
  setAmounts(id: string, a: { fundFen: Fen; acctFen: Fen; cashFen: Fen }, now: Date): void {
    this.db
      .prepare(`UPDATE refunds SET fund_fen = ?, acct_fen = ?, cash_fen = ?, updated_at = ? WHERE id = ?`)
      .run(a.fundFen, a.acctFen, a.cashFen, now.toISOString(), id);
  }

  /** What went back of a trade, or is on its way (refunds not failed): a later refund gives back only the rest. */
  givenBack(outTradeNo: string): Fen {
    const row = this.db
      .prepare(`SELECT COALESCE(SUM(amount_fen), 0) AS n FROM refund_payments WHERE out_trade_no = ? AND state <> 'failed'`)
      .get(outTradeNo) as { n: number };
    return fen(row.n);
  }

  get(id: string): RefundRecord | undefined {
    return this.row(this.db.prepare(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE id = ?`).get(id));
  }

  /** The order's latest refund (an order has at most one under way: it is 'refunding' meanwhile). */
  latest(orderId: string): RefundRecord | undefined {
    return this.row(
      this.db.prepare(`SELECT ${REFUND_COLUMNS} FROM refunds WHERE order_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`).get(orderId),
    );
  }

  setState(id: string, state: RefundState, now: Date): void {
    const at = now.toISOString();
    this.db
      .prepare(`UPDATE refunds SET state = ?, updated_at = ?, finished_at = CASE WHEN ? IN ('refused','refunded') THEN ? END WHERE id = ?`)
      .run(state, at, state, at, id);
  }

  payments(refundId: string): RefundPayment[] {
    const rows = this.db
      .prepare(
        `SELECT out_refund_no AS outRefundNo, refund_id AS refundId, out_trade_no AS outTradeNo, channel, amount_fen AS amountFen, state
         FROM refund_payments WHERE refund_id = ? ORDER BY out_refund_no`,
      )
      .all(refundId) as (Omit<RefundPayment, 'amountFen'> & { amountFen: number })[];
    return rows.map((r) => ({ ...r, amountFen: fen(r.amountFen) }));
  }

  setPaymentState(outRefundNo: string, state: RefundPayment['state'], platformRefundId: string | null, now: Date): void {
    this.db
      .prepare(
        `UPDATE refund_payments SET state = ?, platform_refund_id = COALESCE(?, platform_refund_id), updated_at = ? WHERE out_refund_no = ?`,
      )
      .run(state, platformRefundId, now.toISOString(), outRefundNo);
  }

  private row(r: unknown): RefundRecord | undefined {
    if (!r) return undefined;
    const x = r as Omit<RefundRecord, 'fundFen' | 'acctFen' | 'cashFen' | 'partial'> & {
      fundFen: number;
      acctFen: number;
      cashFen: number;
      partial: number;
    };
    return { ...x, fundFen: fen(x.fundFen), acctFen: fen(x.acctFen), cashFen: fen(x.cashFen), partial: x.partial === 1 };
  }
}
