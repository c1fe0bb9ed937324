/** The station's view of the payment platform's objects: integer fen, ISO times, lower-case names. */
import type { Fen } from '../../shared/money';
import type { PaymentWallet } from './payment-code';

/** not-paid: QR shown, nobody paid; user-paying: waiting for the patient's password; the rest are final. */
export type TradeState = 'not-paid' | 'user-paying' | 'paid' | 'failed' | 'closed' | 'reversed';
export const FINAL_TRADE_STATES: readonly TradeState[] = ['paid', 'failed', 'closed', 'reversed'];

export interface Payment {
  outTradeNo: string;
  transactionId: string;
  wallet: PaymentWallet;
  /** The payer's openid (WeChat) or buyer id (Alipay): where patient messages go. */
  payerId: string;
  totalFee: Fen;
  /** ISO 8601. */
  paidAt: string;
}

export interface OrderStatus {
  outTradeNo: string;
  /** qr: merchant-presented (NATIVE); code: customer-presented (MICROPAY). */
  tradeType: 'qr' | 'code';
  state: TradeState;
  totalFee: Fen;
  /** Refunds accepted so far (processing or done). */
  refundedFee: Fen;
  /** Present once paid (also after a later refund or reverse). */
  payment?: Payment;
  /** Why a payment failed (NOTENOUGH, AUTHCODEEXPIRE, ...). */
  failCode?: string;
}

export interface PrecreateRequest {
  outTradeNo: string;
  totalFee: Fen;
  subject: string;
  expiresAt: Date;
  /** Omitted: an aggregate QR any of the two wallets can pay. */
  wallet?: PaymentWallet;
  notifyUrl?: string;
}

export interface QrOrder {
  outTradeNo: string;
  codeUrl: string;
  totalFee: Fen;
  /** ISO 8601. */
  expiresAt: string;
}

export interface MicropayRequest {
  outTradeNo: string;
  totalFee: Fen;
  subject: string;
  /** The customer's payment code as scanned. A bearer credential: never logged. */
  authCode: string;
  notifyUrl?: string;
}

export type MicropayResult = { status: 'paid'; payment: Payment } | { status: 'user-paying' };

/** closed: nothing had been paid; refunded: the payment was returned; nothing-to-undo: no such order reached the platform (it is now barred). */
export interface ReverseResult {
  outTradeNo: string;
  action: 'closed' | 'refunded' | 'nothing-to-undo';
}

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  /** The original order's amount (the platform checks it). */
  totalFee: Fen;
  refundFee: Fen;
  reason?: string;
}

export interface RefundStatus {
  outRefundNo: string;
  outTradeNo: string;
  refundId: string;
  refundFee: Fen;
  state: 'processing' | 'succeeded' | 'failed';
  succeededAt?: string;
}

export interface StatementRow {
  at: string;
  wallet: PaymentWallet;
  outTradeNo: string;
  transactionId: string;
  tradeType: 'qr' | 'code';
  kind: 'payment' | 'refund' | 'reversal';
  totalFee: Fen;
  outRefundNo: string;
  refundId: string;
  refundFee: Fen;
  subject: string;
}

export interface Statement {
  /** yyyyMMdd, Beijing. */
  day: string;
  rows: StatementRow[];
  paymentsFen: Fen;
  refundsFen: Fen;
  netFen: Fen;
}
