/**
 * 2401 admission at the centre. As for an outpatient 2201, the national list does not let 2601 reverse it, so a
 * lost answer is resolved by 5201 (the person's visits; ours is the one whose ipt_otp_no is the HIS 住院号) and, if
 * the centre holds the stay, its own cancel 2404 under the compensation's msgid — possible only while no fee line
 * is uploaded, which holds for a stay whose admission is still in doubt. The mdtrt_id is written to the stay in the
 * transaction that records the movement final.
 */
import { type z } from 'zod';
import { admit, cancelAdmission } from '../../../insurance/nhsa';
import { confirmCancel, MOVEMENT_KINDS, NhsaPayloadBase, openVisit, registrationCancelled, sendNhsa } from '../../movements';
import type { CompensationOutcome, IntentContext, Movement } from '../../outbox';
import type { InpatientMovementDeps } from './deps';

export const AdmissionPayload = NhsaPayloadBase.extend({ input: admit.input });
export type AdmissionPayload = z.input<typeof AdmissionPayload>;
type Admitted = { mdtrt_id: string };

/** 5201, then 2404 of the stay found: the undo of a lost 2401. */
function findAndCancel(d: InpatientMovementDeps) {
  return async (intent: IntentContext<AdmissionPayload> & { compExternalId: string }): Promise<CompensationOutcome> => {
    const { operator, insuredRegion, psnNo, input } = intent.payload;
    const who = { operator, insuredRegion, psnNo };
    const found = await openVisit(d.gateway, who, { iptOtpNo: input.mdtrtinfo.ipt_no, begntime: input.mdtrtinfo.begntime }, d.now());
    if (found.kind === 'unknown') return found;
    if (found.kind === 'none') return { kind: 'nothing-to-undo' };
    if (found.kind === 'cancelled') return { kind: 'ok' }; // an earlier try of this undo whose 2404 answer was lost
    const answer = await sendNhsa(d.gateway, '2404', { ...intent, externalId: intent.compExternalId }, (c, ctx) =>
      cancelAdmission(c, ctx, { mdtrt_id: found.mdtrtId, psn_no: psnNo }),
    );
    const confirmed = await confirmCancel(answer, () => registrationCancelled(d.gateway, { ...who, mdtrtId: found.mdtrtId }, d.now()));
    return confirmed.kind === 'ok' ? { kind: 'ok' } : confirmed;
  };
}

export function admissionMovement(d: InpatientMovementDeps): Movement<AdmissionPayload, Admitted> {
  return {
    kind: MOVEMENT_KINDS.admission,
    payload: AdmissionPayload,
    onUnknown: 'compensate',
    send: (intent) => sendNhsa(d.gateway, '2401', intent, (c, ctx, p) => admit(c, ctx, p.input)),
    compensate: findAndCancel(d),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      if (final === 'succeeded' && output) d.stays.update(stay.id, { state: 'admitted', mdtrtId: output.mdtrt_id }, d.now());
      // Refused, or lost and undone: not admitted at the centre; the admission may be tried again.
      else d.stays.update(stay.id, { state: 'cancelled' }, d.now());
    },
  };
}
