/**
 * 2403 admission change (入院信息变更): HIS moved the patient (转科/转床) or changed the admission diagnosis, and the
 * centre is told the stay's new data. No money moves; its "ok" has no signed output, so it counts once 5201 shows the
 * new department and diagnosis. A lost answer is asked again under the same msgid (the centre answers a repeat with
 * its first answer). Never undone: the change happened at HIS. The stay's record — what the centre was told — takes
 * the new data in the transaction that records the movement final, so later 2301/2402/2304 carry it.
 */
import { z } from 'zod';
import { changeAdmission } from '../../../insurance/nhsa';
import { cancelMovement, MOVEMENT_KINDS, NhsaPayloadBase } from '../../movements';
import { NEVER_UNDONE_QUERY_TIMING, type Movement } from '../../outbox';
import { admissionChangeDone } from '../centre-stay';
import type { InpatientMovementDeps } from './deps';

const Named = z.object({ code: z.string().min(1), name: z.string().min(1) });
/** The stay as HIS shows it now: what the station's record takes once the centre holds it. */
export const StayPlace = z.object({
  ward: z.object({ code: z.string().min(1), bedNo: z.string().min(1) }),
  dept: Named,
  doctor: Named,
  diagnosis: Named,
});
export type StayPlace = z.infer<typeof StayPlace>;

export const AdmissionChangePayload = NhsaPayloadBase.extend({
  mdtrtId: z.string().min(1),
  input: changeAdmission.input,
  /** What the centre held before, and what it is told now. */
  from: StayPlace,
  to: StayPlace,
});
export type AdmissionChangePayload = z.input<typeof AdmissionChangePayload>;

export function admissionChangeMovement(d: InpatientMovementDeps): Movement<AdmissionChangePayload, undefined> {
  const movement = cancelMovement<AdmissionChangePayload, undefined>({
    kind: MOVEMENT_KINDS.admissionChange,
    infno: '2403',
    payload: AdmissionChangePayload,
    call: (c, ctx, p) => changeAdmission(c, ctx, p.input),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    confirm: (p) => admissionChangeDone(d.gateway, { ...p, deptName: p.to.dept.name, diagCode: p.to.diagnosis.code }, d.now()),
    // 5201 shows no bed or doctor: a change of those only is as the centre answered it.
    confirmable: (p) => p.from.dept.name !== p.to.dept.name || p.from.diagnosis.code !== p.to.diagnosis.code,
    settle(_db, intent, { final, detail }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      if (final === 'succeeded') d.stays.update(stay.id, { place: intent.payload.to }, d.now());
      // Refused: the record keeps what the centre holds, and the uploader stops on the stay with the reason shown
      // (as for a refused batch) rather than send the same refused change every sweep.
      else d.stays.update(stay.id, { uploadProblem: `入院信息变更（2403）被拒：${detail || '中心拒绝'}` }, d.now());
    },
  });
  return { ...movement, queryTiming: NEVER_UNDONE_QUERY_TIMING };
}
