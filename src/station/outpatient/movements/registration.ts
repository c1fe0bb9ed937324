/**
 * 2201 outpatient registration. A lost answer is reversed by 2601 naming its msgid (the mdtrt_id a 2202 would
 * need was in the lost answer). The mdtrt_id is written to the order in the transaction that records it final.
 */
import { type z } from 'zod';
import { reason } from '../../../shared/order-reasons';
import { registerOutpatient, type Registration } from '../../../insurance/nhsa';
import { MOVEMENT_KINDS, NhsaPayloadBase, reverseByMsgid, sendNhsa } from '../../movements';
import type { Movement } from '../../outbox';
import type { OutpatientMovementDeps } from './deps';

export const RegistrationPayload = NhsaPayloadBase.extend({ input: registerOutpatient.input });
export type RegistrationPayload = z.input<typeof RegistrationPayload>;

export function registrationMovement(d: OutpatientMovementDeps): Movement<RegistrationPayload, Registration> {
  return {
    kind: MOVEMENT_KINDS.registration,
    payload: RegistrationPayload,
    onUnknown: 'compensate',
    send: (intent) => sendNhsa(d.gateway, '2201', intent, (c, ctx, p) => registerOutpatient(c, ctx, p.input)),
    compensate: reverseByMsgid(d.gateway, '2201'),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      const order = d.orders.get(intent.orderId);
      if (!order) return;
      if (final === 'succeeded' && output) d.orders.update(order.id, { mdtrtId: output.mdtrt_id }, d.now());
      // Resolved in the background: the centre has (or, after the undo, has not) the visit; pre-settle again.
      if (order.state === 'in-doubt') {
        d.orders.update(order.id, { state: 'open', reason: final === 'succeeded' ? null : reason('step-reversed') }, d.now());
      }
    },
  };
}
