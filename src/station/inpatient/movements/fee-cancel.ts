/**
 * 2302: a fee line HIS took back (退费 / 冲销) after the station had uploaded it, cancelled at the centre by its
 * feedetl_sn. The taking-back itself (HIS's negative line) never goes up: the centre's bill is its active lines, so
 * cancelling the original is what makes it HIS's bill again. A lost answer is asked again under the same msgid (the
 * centre answers a repeat with its first answer, so the line is cancelled once); an empty "ok" or a refusal ("already
 * cancelled", "not found") counts only once 5204 shows the line no longer active. Its final state moves the stay's
 * upload position past the taking-back, as a 2301 batch's does.
 */
import { z } from 'zod';
import { cancelInpatientFees, queryFeeDetails } from '../../../insurance/nhsa';
import { cancelMovement, MOVEMENT_KINDS, NhsaPayloadBase, type CancelState } from '../../movements';
import { NEVER_UNDONE_QUERY_TIMING, type Movement } from '../../outbox';
import type { InpatientMovementDeps } from './deps';

export const FeeCancelPayload = NhsaPayloadBase.extend({
  mdtrtId: z.string().min(1),
  /** The uploaded line taken back. */
  feedetlSn: z.string().min(1),
  /** HIS's line number of the taking-back: the upload position once the line is cancelled. */
  uptoLine: z.number().int().positive(),
});
export type FeeCancelPayload = z.infer<typeof FeeCancelPayload>;

/** 5204: done once the centre no longer lists the line among the stay's active ones. */
async function lineCancelled(d: InpatientMovementDeps, p: FeeCancelPayload): Promise<CancelState<undefined>> {
  const o = await d.gateway.perform(
    '5204',
    p.operator,
    (client, ctx) => queryFeeDetails(client, ctx, { psn_no: p.psnNo, mdtrt_id: p.mdtrtId, setl_id: '' }),
    { insuredRegion: p.insuredRegion },
  );
  if (o.kind === 'rejected') return { kind: 'unknown', detail: `5204 refused: ${o.errMsg || o.infcode}` };
  if (o.kind === 'unknown') return { kind: 'unknown', detail: `5204 ${o.reason}: ${o.detail}` };
  return o.output.some((l) => l.feedetl_sn === p.feedetlSn) ? { kind: 'not-done' } : { kind: 'done', output: undefined };
}

export function feeCancelMovement(d: InpatientMovementDeps): Movement<FeeCancelPayload, undefined> {
  const movement = cancelMovement<FeeCancelPayload, undefined>({
    kind: MOVEMENT_KINDS.inpatientFeeCancel,
    infno: '2302',
    payload: FeeCancelPayload,
    call: (c, ctx, p) => cancelInpatientFees(c, ctx, { feedetl_sn: p.feedetlSn, mdtrt_id: p.mdtrtId, psn_no: p.psnNo }),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    confirm: (p) => lineCancelled(d, p),
    settle(_db, intent, { final, detail }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      if (final === 'succeeded') d.stays.update(stay.id, { uploadedUptoLine: intent.payload.uptoLine, uploadProblem: null }, d.now());
      else d.stays.update(stay.id, { uploadProblem: `费用明细 ${intent.payload.feedetlSn} 撤销失败：${detail || '中心拒绝'}` }, d.now());
    },
  });
  // Like a batch, never undone: a station back after a long stop asks it again rather than hand it to a person.
  return { ...movement, queryTiming: NEVER_UNDONE_QUERY_TIMING };
}
