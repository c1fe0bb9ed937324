/**
 * The cash-share attempts of outpatient orders: one row per payment code scanned, QR shown or cash taken, keyed by
 * the out_trade_no the platform knows it by (cash: the station's own number of the same shape). Amounts: INTEGER fen.
 */
import type { PaymentState, PaymentView } from '../../shared/domain';
import { fen, type Fen } from '../../shared/money';
import type { Db } from '../store';

type PaymentMode = 'micropay' | 'precreate' | 'cash' | 'card';

interface PaymentRow {
  out_trade_no: string;
  mode: PaymentMode;
  channel: string;
  amount_fen: number;
  state: PaymentState;
  code_url: string | null;
  expires_at: string | null;
  tendered_fen: number | null;
  change_fen: number | null;
  updated_at: string;
}

export interface PaidPayment {
  outTradeNo: string;
  channel: string;
  transactionId: string | null;
  amountFen: Fen;
}

export class PaymentsRepo {
  constructor(private readonly db: Db) {}

  insert(p: { id: string; orderId: string; outTradeNo: string; amountFen: Fen; mode?: PaymentMode; expiresAt?: string }, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO payments (id, order_id, mode, channel, out_trade_no, amount_fen, state, expires_at, created_at, updated_at)
         VALUES (?, ?, ?, 'unknown', ?, ?, 'pending', ?, ?, ?)`,
      )
      .run(p.id, p.orderId, p.mode ?? 'micropay', p.outTradeNo, p.amountFen, p.expiresAt ?? null, now.toISOString(), now.toISOString());
  }

  /** Cash at the window: the notes handed over and the change, written with the payment's intent. */
  insertCash(p: { id: string; orderId: string; outTradeNo: string; amountFen: Fen; tenderedFen: Fen }, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO payments (id, order_id, mode, channel, out_trade_no, amount_fen, state, tendered_fen, change_fen, created_at, updated_at)
         VALUES (?, ?, 'cash', 'cash', ?, ?, 'pending', ?, ?, ?, ?)`,
      )
      .run(p.id, p.orderId, p.outTradeNo, p.amountFen, p.tenderedFen, p.tenderedFen - p.amountFen, now.toISOString(), now.toISOString());
  }

  /** The platform's QR for a precreate payment, kept so the screen can draw it again after a restart. */
  setQr(outTradeNo: string, codeUrl: string, expiresAt: string, now: Date): void {
    this.db
      .prepare(`UPDATE payments SET code_url = ?, expires_at = ?, updated_at = ? WHERE out_trade_no = ?`)
      .run(codeUrl, expiresAt, now.toISOString(), outTradeNo);
  }

  forOrder(orderId: string): PaymentView[] {
    const rows = this.db
      .prepare(
        `SELECT out_trade_no, mode, channel, amount_fen, state, code_url, expires_at, tendered_fen, change_fen, updated_at FROM payments
         WHERE order_id = ? ORDER BY created_at, rowid`,
      )
      .all(orderId) as PaymentRow[];
    return rows.map((r) => ({
      outTradeNo: r.out_trade_no,
      mode: r.mode,
      wallet: r.channel === 'wechat' || r.channel === 'alipay' || r.channel === 'cash' || r.channel === 'card' ? r.channel : 'unknown',
      amountFen: fen(r.amount_fen),
      ...(r.tendered_fen !== null && r.change_fen !== null
        ? { cash: { tenderedFen: fen(r.tendered_fen), changeFen: fen(r.change_fen) } }
        : {}),
      state: r.state,
      qrCode: r.mode === 'precreate' && r.state === 'pending' ? r.code_url : null,
      expiresAt: r.expires_at,
      updatedAt: r.updated_at,
    }));
  }

  /** The QR still shown for an order, if any. */
  /** Whether the platform's QR code reached the station (and so could be on a screen). */
  qrShown(outTradeNo: string): boolean {
    const row = this.db.prepare('SELECT code_url FROM payments WHERE out_trade_no = ?').get(outTradeNo) as
      { code_url: string | null } | undefined;
    return Boolean(row?.code_url);
  }

  pendingQr(orderId: string): { outTradeNo: string } | undefined {
    return this.db
      .prepare(`SELECT out_trade_no AS outTradeNo FROM payments WHERE order_id = ? AND mode = 'precreate' AND state = 'pending'`)
      .get(orderId) as { outTradeNo: string } | undefined;
  }

  update(outTradeNo: string, f: { state: PaymentState; channel?: string; transactionId?: string }, now: Date): void {
    this.db
      .prepare(
        `UPDATE payments SET state = ?, channel = COALESCE(?, channel), transaction_id = COALESCE(?, transaction_id),
           updated_at = ? WHERE out_trade_no = ?`,
      )
      .run(f.state, f.channel ?? null, f.transactionId ?? null, now.toISOString(), outTradeNo);
  }

  paid(orderId: string): PaidPayment[] {
    const rows = this.db
      .prepare(
        `SELECT out_trade_no AS outTradeNo, channel, transaction_id AS transactionId, amount_fen AS amountFen
         FROM payments WHERE order_id = ? AND state = 'paid'`,
      )
      .all(orderId) as { outTradeNo: string; channel: string; transactionId: string | null; amountFen: number }[];
    return rows.map((r) => ({ ...r, amountFen: fen(r.amountFen) }));
  }
}
