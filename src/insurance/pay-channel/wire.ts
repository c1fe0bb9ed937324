/**
 * Readers for the platform's answer fields. Each turns wire names and codes into the station's types and
 * fails (-> unknown 'schema') on anything unexpected, so a misread success can never pass for a real one.
 */
import { z } from 'zod';
import { fen, type Fen } from '../../shared/money';
import type { PaymentWallet } from './payment-code';
import { compactBeijingToIso } from './time';
import type { OrderStatus, Payment, QrOrder, RefundStatus, ReverseResult, TradeState } from './types';

const fenField = z
  .number()
  .int()
  .nonnegative()
  .transform((n): Fen => fen(n));
const wallet = z.enum(['WECHAT', 'ALIPAY']).transform((c): PaymentWallet => (c === 'WECHAT' ? 'wechat' : 'alipay'));
const compactTime = z.string().transform((text, ctx) => {
  const iso = compactBeijingToIso(text);
  if (iso === undefined) ctx.issues.push({ code: 'custom', message: 'not a yyyyMMddHHmmss time', input: text });
  return iso ?? z.NEVER;
});
const tradeType = z.enum(['NATIVE', 'MICROPAY']).transform((t) => (t === 'NATIVE' ? ('qr' as const) : ('code' as const)));

const TRADE_STATES: Record<string, TradeState> = {
  NOTPAY: 'not-paid',
  USERPAYING: 'user-paying',
  SUCCESS: 'paid',
  PAYERROR: 'failed',
  CLOSED: 'closed',
  REVOKED: 'reversed',
};

const PaymentFields = z.object({
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1),
  channel: wallet,
  payer_id: z.string().min(1),
  total_fee: fenField,
  time_end: compactTime,
});

function toPayment(p: z.output<typeof PaymentFields>): Payment {
  return {
    outTradeNo: p.out_trade_no,
    transactionId: p.transaction_id,
    wallet: p.channel,
    payerId: p.payer_id,
    totalFee: p.total_fee,
    paidAt: p.time_end,
  };
}

export const PaidAnswer = PaymentFields.transform(toPayment);

export const QrOrderAnswer = z
  .object({ out_trade_no: z.string().min(1), code_url: z.string().min(1), total_fee: fenField, expire_time: compactTime })
  .transform((a): QrOrder => ({ outTradeNo: a.out_trade_no, codeUrl: a.code_url, totalFee: a.total_fee, expiresAt: a.expire_time }));

export const OrderAnswer = z
  .object({
    out_trade_no: z.string().min(1),
    trade_type: tradeType,
    trade_state: z.enum(Object.keys(TRADE_STATES) as [string, ...string[]]),
    total_fee: fenField,
    refunded_fee: fenField,
    transaction_id: z.string().optional(),
    channel: z.string().optional(),
    payer_id: z.string().optional(),
    time_end: z.string().optional(),
    err_detail: z.string().optional(),
  })
  .transform((a, ctx): OrderStatus => {
    const status: OrderStatus = {
      outTradeNo: a.out_trade_no,
      tradeType: a.trade_type,
      state: TRADE_STATES[a.trade_state]!,
      totalFee: a.total_fee,
      refundedFee: a.refunded_fee,
    };
    if (a.err_detail) status.failCode = a.err_detail;
    if (a.time_end !== undefined) {
      const payment = PaymentFields.safeParse(a);
      if (!payment.success) {
        ctx.issues.push({ code: 'custom', message: 'a paid order without complete payment fields', input: a });
        return z.NEVER;
      }
      status.payment = toPayment(payment.data);
    }
    if (status.state === 'paid' && !status.payment) {
      ctx.issues.push({ code: 'custom', message: 'SUCCESS without payment fields', input: a });
      return z.NEVER;
    }
    return status;
  });

export const ReverseAnswer = z
  .object({ out_trade_no: z.string().min(1), reverse_action: z.enum(['CLOSE', 'REFUND', 'NONE']) })
  .transform((a): ReverseResult => ({
    outTradeNo: a.out_trade_no,
    action: a.reverse_action === 'CLOSE' ? 'closed' : a.reverse_action === 'REFUND' ? 'refunded' : 'nothing-to-undo',
  }));

export const CloseAnswer = z.object({ out_trade_no: z.string().min(1) }).transform((a) => ({ outTradeNo: a.out_trade_no }));

const REFUND_STATES = { PROCESSING: 'processing', SUCCESS: 'succeeded', CHANGE: 'failed' } as const;

export const RefundAnswer = z
  .object({
    out_trade_no: z.string().min(1),
    out_refund_no: z.string().min(1),
    refund_id: z.string().min(1),
    refund_fee: fenField,
    refund_status: z.enum(['PROCESSING', 'SUCCESS', 'CHANGE']),
    refund_success_time: compactTime.optional(),
  })
  .transform((a): RefundStatus => {
    const status: RefundStatus = {
      outRefundNo: a.out_refund_no,
      outTradeNo: a.out_trade_no,
      refundId: a.refund_id,
      refundFee: a.refund_fee,
      state: REFUND_STATES[a.refund_status],
    };
    if (a.refund_success_time) status.succeededAt = a.refund_success_time;
    return status;
  });

export const BillAnswer = z.object({ bill_date: z.string().regex(/^\d{8}$/), bill: z.string() });
