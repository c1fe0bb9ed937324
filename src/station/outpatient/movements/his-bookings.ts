/**
 * HIS books the order: the insured confirm with what paid the cash part (HX-18), or self-pay (HX-20). The order
 * is completed in the transaction that records the booking final — no stop can leave a booked order unfinished.
 */
import { reason } from '../../../shared/order-reasons';
import type { HisSettlement, InsuredSettleConfirm, SelfPaySettle } from '../../../insurance/his';
import { MOVEMENT_KINDS, hisBookingMovement, HisConfirmPayloadSchema, HisSelfPayPayloadSchema } from '../../movements';
import type { Finished, IntentContext, Movement } from '../../outbox';
import { completeOrder } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

export type HisConfirmPayload = InsuredSettleConfirm;
export type HisSelfPayPayload = SelfPaySettle;

function settleBooking(d: OutpatientMovementDeps) {
  return (_db: unknown, intent: IntentContext<unknown>, { final, output, detail, direct }: Finished<HisSettlement>) => {
    if (final === 'succeeded') {
      completeOrder(d, intent.orderId, output);
      return;
    }
    // The money is taken but HIS did not book it: a person looks (HIS's own words when it refused outright).
    d.orders.update(
      intent.orderId,
      { state: 'insurance-settled', reason: direct && final === 'failed' ? reason('his-refused', detail) : reason('his-unconfirmed') },
      d.now(),
    );
  };
}

function booking<P extends { settleId: string }>(
  d: OutpatientMovementDeps,
  kind: string,
  payload: Parameters<typeof hisBookingMovement>[0]['payload'],
  book: Parameters<typeof hisBookingMovement<P>>[0]['book'],
): Movement<P, HisSettlement> {
  return hisBookingMovement<P>({
    kind,
    payload,
    book,
    his: d.his,
    newCompensationId: () => d.ids.compensationId('HC'),
    settle: settleBooking(d),
  });
}

export const hisConfirmMovement = (d: OutpatientMovementDeps) =>
  booking<HisConfirmPayload>(d, MOVEMENT_KINDS.hisConfirm, HisConfirmPayloadSchema, (his, p) => his.confirmSettlement(p));

export const hisSelfPayMovement = (d: OutpatientMovementDeps) =>
  booking<HisSelfPayPayload>(d, MOVEMENT_KINDS.hisSelfPay, HisSelfPayPayloadSchema, (his, p) => his.selfPaySettlement(p));
