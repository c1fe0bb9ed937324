/**
 * Every id the station makes up for a remote, in one place and from the injected clock (so a test's or a chaos
 * run's clock decides them, and two builders can never disagree on a format). NHSA msgids are not here: they come
 * from the SQLite sequence (`msgid_sequence`), unique across restarts and clock steps back.
 */
import { randomUUID } from 'node:crypto';

export interface StationIds {
  /** A row id of our own (orders, payments, intents). */
  rowId(): string;
  /**
   * The payment platform's out_trade_no for one attempt at an order's cash share: P = payment code, Q = QR; C = cash
   * at the window (no platform: the same shape keeps HIS's booking and the refund alike for every channel).
   */
  outTradeNo(hisOrderNo: string, mode: 'P' | 'Q' | 'C'): string;
  /** Our idempotency key at HIS for an order's booking (fixed per order: HIS books each id once). */
  hisSettleId(orderId: string, selfPay: boolean): string;
  /** The patient message's msg_id (fixed per order: the gateway sends each id once). */
  messageId(orderId: string): string;
  /** The id of a compensating call that is not an NHSA one (payment reverse, HIS cancel, message). */
  compensationId(prefix: 'REV' | 'QREV' | 'HC' | 'MSG'): string;
  /**
   * A refund's ids at HIS, fixed with the refund: its application (退费申请), its confirmation (settle.cancel) and,
   * for a partial refund, the booking of the remaining lines (refund.confirm).
   */
  hisRefundIds(refundId: string): { applyId: string; confirmId: string; resettleId: string };
  /** The platform's out_refund_no for one payment's refund (the trade's number kept in front, like out_trade_no). */
  outRefundNo(outTradeNo: string): string;
  /** The POS terminal's REF for a card sale or its void / refund (20 letters and digits: the protocol's limit). */
  posRef(kind: 'K' | 'V' | 'R'): string;
  /**
   * The number one payment's refund goes under on its own channel: a card's 退货 REF at the terminal (the platform's
   * out_refund_no is longer than the terminal takes), the platform's out_refund_no for the rest.
   */
  refundNo(payment: { outTradeNo: string; channel: string }): string;
}

/** The length the payment platforms allow for out_trade_no. */
const OUT_TRADE_NO_MAX = 32;

export function stationIds(now: () => Date, random: () => string = randomUUID): StationIds {
  const compact = (id: string) => id.replaceAll('-', '');
  const posRef = (kind: 'K' | 'V' | 'R') => `${kind}${now().getTime().toString().slice(-11)}${compact(random()).slice(0, 8)}`;
  const outRefundNo = (outTradeNo: string) =>
    `${outTradeNo.slice(0, 18)}R${now().getTime().toString().slice(-8)}${compact(random()).slice(0, 4)}`.slice(-OUT_TRADE_NO_MAX);
  return {
    rowId: random,
    // The order number keeps the trade findable in the platform's back office; the clock and a random tail keep
    // attempts of one order apart (a refused code, then another) and across restarts.
    outTradeNo: (hisOrderNo, mode) =>
      `${hisOrderNo}${mode}${now().getTime().toString().slice(-8)}${compact(random()).slice(0, 4)}`.slice(-OUT_TRADE_NO_MAX),
    hisSettleId: (orderId, selfPay) => `${selfPay ? 'Z' : 'S'}${compact(orderId).slice(0, 24)}`,
    messageId: (orderId) => `M${compact(orderId).slice(0, 30)}`,
    compensationId: (prefix) => `${prefix}${now().getTime()}${compact(random()).slice(0, 6)}`,
    hisRefundIds: (refundId) => ({
      applyId: `RA${compact(refundId).slice(0, 30)}`,
      confirmId: `RC${compact(refundId).slice(0, 30)}`,
      resettleId: `RS${compact(refundId).slice(0, 30)}`,
    }),
    posRef,
    outRefundNo,
    refundNo: (p) => (p.channel === 'card' ? posRef('R') : outRefundNo(p.outTradeNo)),
  };
}
