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
  finished_at AS finishedAt`;

export class RefundsRepo {
  constructor(private readonly db: Db) {}

  insert(
    r: Omit<RefundRecord, 'state' | 'createdAt' | 'finishedAt'>,
    payments: Omit<RefundPayment, 'refundId' | 'state'>[],
    now: Date,
  ): void {
    const at = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO refunds (id, order_id, state, his_apply_id, his_confirm_id, fund_fen, acct_fen, cash_fen, operator_id, created_at, updated_at)
         VALUES (?, ?, 'applying', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.orderId, r.hisApplyId, r.hisConfirmId, r.fundFen, r.acctFen, r.cashFen, r.operatorId, at, at);
    for (const p of payments) {
      this.db
        .prepare(
          `INSERT INTO refund_payments (out_refund_no, refund_id, out_trade_no, channel, amount_fen, state, updated_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(p.outRefundNo, r.id, p.outTradeNo, p.channel, p.amountFen, at);
    }
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
    const x = r as Omit<RefundRecord, 'fundFen' | 'acctFen' | 'cashFen'> & { fundFen: number; acctFen: number; cashFen: number };
    return { ...x, fundFen: fen(x.fundFen), acctFen: fen(x.acctFen), cashFen: fen(x.cashFen) };
  }
}
