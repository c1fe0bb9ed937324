/**
 * 自费转医保 at HIS: once the centre registered the self-pay stay (2401), HIS turns its 费别 to insured with the
 * person number and the centre's mdtrt_id. HIS answers the same request again with the stay as it is, so a lost
 * answer is asked again by sending it again; nothing to undo (the stay is insured at the centre either way).
 */
import { z } from 'zod';
import type { HisStay } from '../../../insurance/his';
import { MOVEMENT_KINDS } from '../../movements';
import type { Movement, RemoteOutcome } from '../../outbox';
import type { InpatientMovementDeps } from './deps';

export const HisWardInsurePayload = z.object({ iptNo: z.string().min(1), psnNo: z.string().min(1), mdtrtId: z.string().min(1) });
export type HisWardInsurePayload = z.infer<typeof HisWardInsurePayload>;

export function hisWardInsureMovement(d: Pick<InpatientMovementDeps, 'his' | 'newMsgid'>): Movement<HisWardInsurePayload, HisStay> {
  const insure = async (p: HisWardInsurePayload): Promise<RemoteOutcome<HisStay>> => {
    const o = await d.his.insure(p);
    if (o.kind === 'ok') return { kind: 'ok', output: o.value };
    if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
    return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: MOVEMENT_KINDS.hisWardInsure,
    payload: HisWardInsurePayload,
    onUnknown: 'query',
    send: (intent) => insure(intent.payload),
    async query(intent) {
      const again = await insure(intent.payload);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      return again.kind === 'rejected' ? { kind: 'did-not-happen' } : { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: 'HIS 费别变更结果无法确认，需人工核实（HIS 住院登记的费别）' }),
    newCompensationId: d.newMsgid,
    // Nothing of the station's to write: HIS's list shows the stay insured from now on.
    settle() {},
  };
}
