/**
 * 2301: one batch of a stay's fee lines, HIS lines `fromLine..uptoLine` in execution order (a line taken back goes
 * as a negative line naming the one it takes back). No money moves, and the centre answers a repeated msgid with its
 * first answer, so a lost answer is asked again by sending the very same request under the same msgid: "ok" is the
 * batch booked (once), a refusal is the batch refused. The upload position is written with the final state, so a
 * restarted station goes on after the last line the centre holds — never a line twice, never one left out.
 */
import { z } from 'zod';
import { uploadInpatientFees } from '../../../insurance/nhsa';
import { MOVEMENT_KINDS, NhsaPayloadBase, sendNhsa } from '../../movements';
import { NEVER_UNDONE_QUERY_TIMING, type IntentContext, type Movement, type QueryOutcome } from '../../outbox';
import type { InpatientMovementDeps } from './deps';

export const FeeBatchPayload = NhsaPayloadBase.extend({
  mdtrtId: z.string().min(1),
  /** HIS line numbers the batch covers (inclusive): the next batch starts after `uptoLine`. */
  fromLine: z.number().int().positive(),
  uptoLine: z.number().int().positive(),
  lines: uploadInpatientFees.input.shape.feedetail,
});
export type FeeBatchPayload = z.input<typeof FeeBatchPayload>;
type FeeBatchOutput = { result: { feedetl_sn: string; chrgitm_lv: string }[] };

// Chaos found a batch a kill left in doubt escalated on restart, the stay's uploads locked until a person came.
export { NEVER_UNDONE_QUERY_TIMING };

export function feeBatchMovement(d: InpatientMovementDeps): Movement<FeeBatchPayload, FeeBatchOutput> {
  const send = (intent: IntentContext<FeeBatchPayload>) =>
    sendNhsa(d.gateway, '2301', intent, (c, ctx, p) => uploadInpatientFees(c, ctx, { feedetail: p.lines }));
  return {
    kind: MOVEMENT_KINDS.inpatientFees,
    payload: FeeBatchPayload,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send,
    async query(intent): Promise<QueryOutcome<FeeBatchOutput>> {
      const again = await send(intent);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      if (again.kind === 'rejected') return { kind: 'did-not-happen' };
      return { kind: 'unknown', detail: again.detail };
    },
    // Never undone by the station: a batch whose outcome stays unknown past the window goes to a person, and the
    // uploader waits on the stay (its lock) rather than send the lines again under a new msgid.
    compensate: async () => ({ kind: 'rejected', detail: '费用明细上传结果无法确认，需人工核实（5204 查询该次住院的费用明细）' }),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, detail }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      if (final === 'succeeded') d.stays.update(stay.id, { uploadedUptoLine: intent.payload.uptoLine, uploadProblem: null }, d.now());
      else d.stays.update(stay.id, { uploadProblem: detail || '费用明细上传被拒绝' }, d.now());
    },
  };
}
