/**
 * 2402 discharge at the centre (出院办理). No money moves; its "ok" has no output the centre signs, so it counts
 * once 5201 shows the stay discharged (a refusal too: "refused" while 5201 shows it discharged is done). A lost answer
 * is asked again under the same msgid (the centre answers a repeat with its first answer), confirmed the same way.
 * Never undone by the station: 2405 is a person's decision at the window. So a 2402 left in doubt (a station killed
 * and back past the short query window) is asked again at the calm, day-long pace, not handed to a person (the
 * settlement service's chaos found one escalated after a restart).
 */
import { z } from 'zod';
import { discharge } from '../../../insurance/nhsa';
import { cancelMovement, MOVEMENT_KINDS, NhsaPayloadBase } from '../../movements';
import { NEVER_UNDONE_QUERY_TIMING, type Movement } from '../../outbox';
import { dischargeDone } from '../centre-stay';
import type { InpatientMovementDeps } from './deps';

export const DischargePayload = NhsaPayloadBase.extend({ mdtrtId: z.string().min(1), input: discharge.input });
export type DischargePayload = z.input<typeof DischargePayload>;

export function dischargeMovement(d: InpatientMovementDeps): Movement<DischargePayload, undefined> {
  const movement = cancelMovement<DischargePayload, undefined>({
    kind: MOVEMENT_KINDS.discharge,
    infno: '2402',
    payload: DischargePayload,
    call: (c, ctx, p) => discharge(c, ctx, p.input),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    confirm: (p) => dischargeDone(d.gateway, p, d.now()),
    settle(_db, intent, { final }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      d.stays.update(stay.id, { state: final === 'succeeded' ? 'discharged' : 'admitted' }, d.now());
    },
  });
  return { ...movement, queryTiming: NEVER_UNDONE_QUERY_TIMING };
}
