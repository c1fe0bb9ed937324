/**
 * A booking at HIS (insured confirm HX-18, self-pay HX-20). HIS books each settleId once, so after a lost answer
 * the resolver asks for the booking and, finding none, books again under the same id; a definite "no" is final.
 */
import { z } from 'zod';
import type { HisSettlement } from '../../insurance/his';
import type { HisPort } from '../ports';
import type { Movement } from '../outbox';

const fenAmount = z.number().int().nonnegative();

/** One line of what paid the cash part, as HIS books it. */
export const HisPaymentLineSchema = z.object({
  channel: z.enum(['wechat', 'alipay', 'cash', 'card']),
  outTradeNo: z.string().optional(),
  transactionId: z.string().optional(),
  amountFen: fenAmount,
});

export const HisConfirmPayloadSchema = z.object({
  settleId: z.string().min(1),
  orderNo: z.string().min(1),
  mdtrtId: z.string().min(1),
  setlId: z.string().min(1),
  medfeeFen: fenAmount,
  fundFen: fenAmount,
  acctFen: fenAmount,
  cashFen: fenAmount,
  payments: z.array(HisPaymentLineSchema),
});

export const HisSelfPayPayloadSchema = z.object({
  settleId: z.string().min(1),
  orderNo: z.string().min(1),
  payments: z.array(HisPaymentLineSchema).min(1),
});

/** What a booking asks of HIS besides the booking itself: the look-up after a lost answer and the undo. */
type BookingHis = Pick<HisPort, 'settlement' | 'cancelSettlement'>;

export function hisBookingMovement<P extends { settleId: string }, H extends BookingHis = HisPort>(spec: {
  kind: string;
  payload: z.ZodType<unknown>;
  book: (his: H, payload: P) => ReturnType<HisPort['confirmSettlement']>;
  his: H;
  newCompensationId: () => string;
  settle: Movement<P, HisSettlement>['settle'];
}): Movement<P, HisSettlement> {
  const { his, book } = spec;
  return {
    kind: spec.kind,
    payload: spec.payload,
    onUnknown: 'query',
    async send(intent) {
      const o = await book(his, intent.payload);
      if (o.kind === 'ok') return { kind: 'ok', output: o.value };
      if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    async query(intent) {
      const o = await his.settlement({ settleId: intent.payload.settleId });
      if (o.kind === 'ok') return { kind: 'happened', output: o.value.settlement };
      if (o.kind === 'rejected') {
        const retried = await book(his, intent.payload);
        if (retried.kind === 'ok') return { kind: 'happened', output: retried.value };
        // HIS's words kept: a booking sent again and refused waits for a person with them.
        if (retried.kind === 'rejected') return { kind: 'did-not-happen', detail: `${retried.code} ${retried.message}` };
        return { kind: 'unknown', detail: retried.detail };
      }
      return { kind: 'unknown', detail: o.detail };
    },
    async compensate(intent) {
      const o = await his.cancelSettlement({ cancelId: intent.compExternalId, settleId: intent.payload.settleId, reason: '工作站冲正' });
      if (o.kind === 'ok') return { kind: 'ok' };
      if (o.kind === 'rejected') return { kind: 'nothing-to-undo' };
      return { kind: 'unknown', detail: o.detail };
    },
    newCompensationId: spec.newCompensationId,
    settle: spec.settle,
  };
}
