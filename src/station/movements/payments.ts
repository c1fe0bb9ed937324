/** What the payment movements share: asking about an order, reversing it, and money back on its channel. */
import type { Payment, RefundStatus } from '../../insurance/pay-channel';
import type { Fen } from '../../shared/money';
import type { PaymentPort } from '../ports';
import { NEVER_UNDONE_QUERY_TIMING, type CompensationOutcome, type QueryOutcome, type RemoteOutcome } from '../outbox';

/** Did a payment order happen? Paid → yes; failed, closed or reversed → no; still open → not yet known. */
export async function queryPayment(pay: PaymentPort, outTradeNo: string, openDetail?: string): Promise<QueryOutcome<Payment>> {
  const o = await pay.query(outTradeNo);
  if (o.kind !== 'ok') return { kind: 'unknown', detail: o.kind === 'rejected' ? `${o.code} ${o.message}` : o.detail };
  const s = o.value;
  if (s.state === 'paid' && s.payment) return { kind: 'happened', output: s.payment };
  if (s.state === 'failed' || s.state === 'closed' || s.state === 'reversed') return { kind: 'did-not-happen' };
  return { kind: 'unknown', detail: openDetail ?? s.state };
}

/** The platform's reverse (WeChat reverse / Alipay cancel): closes an unpaid order, refunds a paid one. */
export async function reversePayment(pay: PaymentPort, outTradeNo: string): Promise<CompensationOutcome> {
  const o = await pay.reverse(outTradeNo);
  if (o.kind === 'ok') return o.value.action === 'nothing-to-undo' ? { kind: 'nothing-to-undo' } : { kind: 'ok' };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
  return { kind: 'unknown', detail: o.detail };
}

/**
 * The refunds' calm pace: asked again under the same out_refund_no every 15 s for a day — a platform that is slow to
 * settle a refund must not push it into a compensation it does not have; past the day a person decides. The outbox's
 * pace for every step it never undoes, under the refunds' name.
 */
export const CHANNEL_REFUND_TIMING = NEVER_UNDONE_QUERY_TIMING;

/** One refund on a paid trade: the trade, our refund id (fixed before sending), the trade's amount and what goes back. */
export interface ChannelRefund {
  outTradeNo: string;
  outRefundNo: string;
  totalFee: Fen;
  refundFee: Fen;
  reason: string;
}

/**
 * Money back on its channel (refund, then refundquery until SUCCESS): the platform books each out_refund_no once, so
 * after a lost answer it is asked by refundquery and, if the platform never saw it, sent again under the same id.
 */
export function channelRefund(pay: Pick<PaymentPort, 'refund' | 'refundQuery'>) {
  const status = (o: Awaited<ReturnType<PaymentPort['refund']>>): RemoteOutcome<RefundStatus> => {
    if (o.kind === 'rejected') return { kind: 'rejected', detail: o.message || o.code };
    if (o.kind === 'unknown') return { kind: 'unknown', detail: o.detail };
    if (o.value.state === 'succeeded') return { kind: 'ok', output: o.value };
    if (o.value.state === 'failed') return { kind: 'rejected', detail: '退款被退回（原支付账户不可用）' };
    return { kind: 'unknown', detail: 'refund processing' }; // asked after by refundquery
  };
  const send = async (r: ChannelRefund) => status(await pay.refund(r));
  return {
    send,
    async query(r: ChannelRefund): Promise<QueryOutcome<RefundStatus>> {
      const asked = await pay.refundQuery(r.outRefundNo);
      const o = asked.kind === 'rejected' && asked.code === 'REFUNDNOTEXIST' ? await send(r) : status(asked);
      if (o.kind === 'ok') return { kind: 'happened', output: o.output };
      if (o.kind === 'rejected') return { kind: 'did-not-happen' };
      return { kind: 'unknown', detail: o.detail };
    },
  };
}
