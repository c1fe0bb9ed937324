/**
 * 2204 fee upload. A lost answer is undone by 2205 for the whole fee batch (chrg_bchno), which the centre
 * accepts either way. The batch number and each line's charge level are written with the final state.
 */
import { z } from 'zod';
import { reason } from '../../../shared/order-reasons';
import { cancelOutpatientFees, uploadOutpatientFees } from '../../../insurance/nhsa';
import { MOVEMENT_KINDS, NhsaPayloadBase, sendNhsa } from '../../movements';
import type { Movement } from '../../outbox';
import type { OutpatientMovementDeps } from './deps';

export const FeesPayload = NhsaPayloadBase.extend({
  mdtrtId: z.string().min(1),
  chrgBchno: z.string().min(1),
  lines: uploadOutpatientFees.input.shape.feedetail,
});
export type FeesPayload = z.input<typeof FeesPayload>;
type FeesOutput = { result: { feedetl_sn: string; chrgitm_lv: string }[] };

export function feesMovement(d: OutpatientMovementDeps): Movement<FeesPayload, FeesOutput> {
  return {
    kind: MOVEMENT_KINDS.fees,
    payload: FeesPayload,
    onUnknown: 'compensate',
    send: (intent) => sendNhsa(d.gateway, '2204', intent, (c, ctx, p) => uploadOutpatientFees(c, ctx, { feedetail: p.lines })),
    async compensate(intent) {
      const { operator, insuredRegion, psnNo, mdtrtId, chrgBchno } = intent.payload;
      const o = await d.gateway.perform(
        '2205',
        operator,
        (c, ctx) => cancelOutpatientFees(c, ctx, { mdtrt_id: mdtrtId, chrg_bchno: chrgBchno, psn_no: psnNo }),
        { insuredRegion, msgid: intent.compExternalId },
      );
      if (o.kind === 'ok') return { kind: 'ok' };
      if (o.kind === 'rejected')
        return /不存在|未找到|无费用/.test(o.errMsg) ? { kind: 'nothing-to-undo' } : { kind: 'rejected', detail: o.errMsg };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      const order = d.orders.get(intent.orderId);
      if (!order) return;
      if (final === 'succeeded' && output) {
        d.orders.update(order.id, { chrgBchno: intent.payload.chrgBchno, feeResults: output }, d.now());
        d.orders.setChargeLevels(order.id, output.result);
      }
      if (order.state === 'in-doubt') {
        d.orders.update(order.id, { state: 'open', reason: final === 'succeeded' ? null : reason('step-reversed') }, d.now());
      }
    },
  };
}
