/**
 * 2404 入院办理撤销 at the nurse's request (an admission made in error, the patient not staying): possible at the
 * centre only while none of the stay's fee lines is there, which the centre checks. No money moves; its "ok" carries
 * nothing signed, so it counts once 5201 no longer shows the stay open (a refusal too, when 5201 shows it gone). A
 * lost answer is asked again under the same msgid. The reason is kept with the intent (and the operation's audit).
 */
import { z } from 'zod';
import { cancelAdmission } from '../../../insurance/nhsa';
import { cancelMovement, MOVEMENT_KINDS, NhsaPayloadBase, registrationCancelled } from '../../movements';
import type { Movement } from '../../outbox';
import type { InpatientMovementDeps } from './deps';

export const AdmissionCancelPayload = NhsaPayloadBase.extend({ mdtrtId: z.string().min(1), reason: z.string().min(1).max(200) });
export type AdmissionCancelPayload = z.input<typeof AdmissionCancelPayload>;

export function admissionCancelMovement(d: InpatientMovementDeps): Movement<AdmissionCancelPayload, undefined> {
  return cancelMovement<AdmissionCancelPayload, undefined>({
    kind: MOVEMENT_KINDS.admissionCancel,
    infno: '2404',
    payload: AdmissionCancelPayload,
    call: (c, ctx, p) => cancelAdmission(c, ctx, { mdtrt_id: p.mdtrtId, psn_no: p.psnNo }),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    confirm: (p) => registrationCancelled(d.gateway, p, d.now()),
    settle(_db, intent, { final }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      d.stays.update(stay.id, { state: final === 'succeeded' ? 'cancelled' : 'admitted' }, d.now());
    },
  });
}
