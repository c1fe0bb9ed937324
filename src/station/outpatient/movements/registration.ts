/**
 * 2201 outpatient registration. The national list does not let 2601 reverse a 2201, so a lost answer is resolved
 * by 5201 (the person's visits; ours is the one whose ipt_otp_no is the HIS order number) and, if the centre holds
 * the visit, its own cancel 2202 under the compensation's msgid — confirmed by 5201 like every 2202. No visit: the
 * registration did not happen. A province that does reverse 2201 by 2601 says so (nhsa.lostRegistration). The
 * mdtrt_id is written to the order in the transaction that records it final.
 */
import { type z } from 'zod';
import { reason } from '../../../shared/order-reasons';
import { cancelOutpatientRegistration, registerOutpatient, type Registration } from '../../../insurance/nhsa';
import {
  confirmCancel,
  MOVEMENT_KINDS,
  NhsaPayloadBase,
  openVisit,
  registrationCancelled,
  reverseByMsgid,
  sendNhsa,
  type OriginalState,
} from '../../movements';
import type { CompensationOutcome, IntentContext, Movement } from '../../outbox';
import type { OutpatientMovementDeps } from './deps';

export const RegistrationPayload = NhsaPayloadBase.extend({ input: registerOutpatient.input });
export type RegistrationPayload = z.input<typeof RegistrationPayload>;

type Compensation = IntentContext<RegistrationPayload> & { compExternalId: string };

/** 5201, then 2202 of the visit found: the undo of a lost 2201 where 2601 may not reverse it. */
function queryAndCancel(d: OutpatientMovementDeps) {
  return async (intent: Compensation): Promise<CompensationOutcome> => {
    const { operator, insuredRegion, psnNo, input } = intent.payload;
    const who = { operator, insuredRegion, psnNo };
    const found = await openVisit(d.gateway, who, { iptOtpNo: input.ipt_otp_no, begntime: input.begntime }, d.now());
    if (found.kind === 'unknown') return found;
    if (found.kind === 'none') return { kind: 'nothing-to-undo' };
    // Registered and already cancelled: an earlier try of this undo whose 2202 answer was lost.
    if (found.kind === 'cancelled') return { kind: 'ok' };
    const visit = { ...who, mdtrtId: found.mdtrtId };
    const cancel = { psn_no: psnNo, mdtrt_id: found.mdtrtId, ipt_otp_no: input.ipt_otp_no };
    const answer = await sendNhsa(d.gateway, '2202', { ...intent, externalId: intent.compExternalId }, (c, ctx) =>
      cancelOutpatientRegistration(c, ctx, cancel),
    );
    const confirmed = await confirmCancel(answer, () => registrationCancelled(d.gateway, visit, d.now()));
    if (confirmed.kind === 'ok') return { kind: 'ok' };
    return confirmed;
  };
}

/** 5201 after a 2601 of a 2201: its answer carries nothing signed, so it counts once no visit of the order is open. */
function visitGone(d: OutpatientMovementDeps) {
  return async ({ operator, insuredRegion, psnNo, input }: RegistrationPayload): Promise<OriginalState> => {
    const found = await openVisit(
      d.gateway,
      { operator, insuredRegion, psnNo },
      { iptOtpNo: input.ipt_otp_no, begntime: input.begntime },
      d.now(),
    );
    if (found.kind === 'unknown') return found;
    return found.kind === 'open' ? { kind: 'there', detail: 'the centre still lists the visit open' } : { kind: 'gone' };
  };
}

export function registrationMovement(d: OutpatientMovementDeps): Movement<RegistrationPayload, Registration> {
  return {
    kind: MOVEMENT_KINDS.registration,
    payload: RegistrationPayload,
    onUnknown: 'compensate',
    send: (intent) => sendNhsa(d.gateway, '2201', intent, (c, ctx, p) => registerOutpatient(c, ctx, p.input)),
    compensate:
      d.lostRegistration === 'reverse-2601' ? reverseByMsgid<RegistrationPayload>(d.gateway, '2201', visitGone(d)) : queryAndCancel(d),
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
