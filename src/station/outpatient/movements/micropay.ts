/**
 * HX-23, the patient's payment code on the scan box. The vendors' rule for customer-presented codes: "user is
 * paying" or a lost answer is resolved by querying (from ~5 s, every few seconds, up to the query window), then by
 * reversing; "no such order" after a lost answer is not proof of nothing — it is reversed too, which bars the
 * out_trade_no for good. The payment row and, when the payment ended without money, the order's undo are written
 * with the final state.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import { reason } from '../../../shared/order-reasons';
import { VENDOR_MICROPAY_POLICY, type Payment } from '../../../insurance/pay-channel';
import { MOVEMENT_KINDS, queryPayment, reversePayment } from '../../movements';
import type { Movement } from '../../outbox';
import { failPayment } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

export const MicropayPayloadSchema = z.object({
  outTradeNo: z.string().min(1).max(32),
  totalFee: z.number().int().positive(),
  subject: z.string().min(1),
  authCode: z.string().min(10),
});

export interface MicropayPayload {
  outTradeNo: string;
  totalFee: Fen;
  subject: string;
  /** The patient's payment code: a bearer credential, sealed at rest with the intent; never logged. */
  authCode: string;
}

export function micropayMovement(d: OutpatientMovementDeps): Movement<MicropayPayload, Payment> {
  return {
    kind: MOVEMENT_KINDS.micropay,
    payload: MicropayPayloadSchema,
    onUnknown: 'query',
    queryTiming: {
      firstAfterMs: VENDOR_MICROPAY_POLICY.firstQueryAfterMs,
      everyMs: VENDOR_MICROPAY_POLICY.queryIntervalMs,
      windowMs: VENDOR_MICROPAY_POLICY.queryLimitMs,
    },
    async send(intent) {
      const { outTradeNo, totalFee, subject, authCode } = intent.payload;
      const o = await d.pay.micropay({ outTradeNo, totalFee, subject, authCode });
      if (o.kind === 'ok') {
        return o.value.status === 'paid'
          ? { kind: 'ok', output: o.value.payment }
          : { kind: 'unknown', detail: 'USERPAYING 等待患者输入密码' };
      }
      if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    query: (intent) => queryPayment(d.pay, intent.payload.outTradeNo),
    compensate: (intent) => reversePayment(d.pay, intent.payload.outTradeNo),
    newCompensationId: () => d.ids.compensationId('REV'),
    settle(_db, intent, { final, output, detail, direct }) {
      const paid = final === 'succeeded' && output;
      d.orders.payments.update(
        intent.payload.outTradeNo,
        paid
          ? { state: 'paid', channel: output.wallet, transactionId: output.transactionId }
          : { state: final === 'compensated' ? 'reversed' : 'failed' },
        d.now(),
      );
      if (paid) {
        // The booking at HIS is the saga's next step; the order waits for it as it waited for the money.
        const order = d.orders.get(intent.orderId);
        if (order?.state === 'in-doubt') d.orders.update(order.id, { state: 'awaiting-payment', reason: null }, d.now());
        return;
      }
      failPayment(d, intent.orderId, direct && final === 'failed' ? reason('payment-refused', detail) : reason('payment-reversed'));
    },
  };
}
