/** What the payment movements (payment code, QR; later refunds) share: asking about an order and reversing it. */
import type { Payment } from '../../insurance/pay-channel';
import type { PaymentPort } from '../ports';
import type { CompensationOutcome, QueryOutcome } from '../outbox';

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
