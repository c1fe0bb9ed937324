/**
 * The attempts to collect a discharge's shortfall at the bedside: one row per payment code scanned or QR shown,
 * keyed by the out_trade_no the platform knows it by, read back in the shape the window's payments have
 * (PaymentView) so the screens draw them with the same parts. Amounts: INTEGER fen.
 */
import type { PaymentState, PaymentView } from '../../shared/domain';
import { fen, type Fen } from '../../shared/money';
import type { QrRows } from '../movements';
import type { Db } from '../store';

interface Row {
  out_trade_no: string;
  mode: 'micropay' | 'precreate';
  channel: string;
  amount_fen: number;
  state: PaymentState;
  transaction_id: string | null;
  code_url: string | null;
  expires_at: string | null;
  updated_at: string;
}

/** A paid attempt as HIS's booking names it. */
export interface StayPaid {
  channel: 'wechat' | 'alipay';
  outTradeNo: string;
  transactionId: string;
  amountFen: Fen;
}

export class StayPaymentsRepo implements QrRows {
  constructor(private readonly db: Db) {}

  insert(p: { id: string; stayId: string; outTradeNo: string; amountFen: Fen; mode: Row['mode']; expiresAt?: string }, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO stay_payments (id, stay_id, mode, channel, out_trade_no, amount_fen, state, expires_at, created_at, updated_at)
         VALUES (?, ?, ?, 'unknown', ?, ?, 'pending', ?, ?, ?)`,
      )
      .run(p.id, p.stayId, p.mode, p.outTradeNo, p.amountFen, p.expiresAt ?? null, now.toISOString(), now.toISOString());
  }

  setQr(outTradeNo: string, codeUrl: string, expiresAt: string, now: Date): void {
    this.db
      .prepare(`UPDATE stay_payments SET code_url = ?, expires_at = ?, updated_at = ? WHERE out_trade_no = ?`)
      .run(codeUrl, expiresAt, now.toISOString(), outTradeNo);
  }

  qrShown(outTradeNo: string): boolean {
    const row = this.db
      .prepare<[string], { code_url: string | null }>('SELECT code_url FROM stay_payments WHERE out_trade_no = ?')
      .get(outTradeNo);
    return Boolean(row?.code_url);
  }

  update(outTradeNo: string, f: { state: PaymentState; channel?: string; transactionId?: string }, now: Date): void {
    this.db
      .prepare(
        `UPDATE stay_payments SET state = ?, channel = COALESCE(?, channel), transaction_id = COALESCE(?, transaction_id),
           updated_at = ? WHERE out_trade_no = ?`,
      )
      .run(f.state, f.channel ?? null, f.transactionId ?? null, now.toISOString(), outTradeNo);
  }

  /**
   * HIS's cancel of the settlement they paid turned them into deposits (转预交金): from now on they are the deposits',
   * no longer this stay's payments (the next booking applies the deposits instead).
   */
  turnedIntoDeposits(stayId: string, deposits: readonly { outTradeNo: string; depositNo: string }[], now: Date): void {
    const mark = this.db.prepare(
      `UPDATE stay_payments SET to_deposit_no = ?, updated_at = ? WHERE stay_id = ? AND out_trade_no = ? AND state = 'paid'`,
    );
    for (const d of deposits) mark.run(d.depositNo, now.toISOString(), stayId, d.outTradeNo);
  }

  /** The payments (their rows still open) of the stay's current settlement; those turned into deposits are not. */
  private rows(stayId: string): Row[] {
    return this.db
      .prepare<[string], Row>(
        `SELECT out_trade_no, mode, channel, amount_fen, state, transaction_id, code_url, expires_at, updated_at
         FROM stay_payments WHERE stay_id = ? AND to_deposit_no IS NULL ORDER BY created_at, rowid`,
      )
      .all(stayId);
  }

  forStay(stayId: string): PaymentView[] {
    return this.rows(stayId).map((r) => ({
      outTradeNo: r.out_trade_no,
      mode: r.mode,
      wallet: r.channel === 'wechat' || r.channel === 'alipay' ? r.channel : 'unknown',
      amountFen: fen(r.amount_fen),
      state: r.state,
      qrCode: r.mode === 'precreate' && r.state === 'pending' ? r.code_url : null,
      expiresAt: r.expires_at,
      updatedAt: r.updated_at,
    }));
  }

  /** An attempt still open (a QR shown, a code being paid): no second one is started beside it. */
  pending(stayId: string): PaymentView | undefined {
    return this.forStay(stayId).find((p) => p.state === 'pending');
  }

  paid(stayId: string): StayPaid[] {
    return this.rows(stayId)
      .filter((r) => r.state === 'paid' && (r.channel === 'wechat' || r.channel === 'alipay'))
      .map((r) => ({
        channel: r.channel as StayPaid['channel'],
        outTradeNo: r.out_trade_no,
        transactionId: r.transaction_id ?? '',
        amountFen: fen(r.amount_fen),
      }));
  }
}
