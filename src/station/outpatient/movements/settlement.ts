/**
 * 2207 outpatient settlement. A lost answer cannot be asked about — 5203 needs the setl_id the lost answer
 * carried — so it is reversed (冲正) by 2601 naming the 2207's msgid, with a msgid of its own fixed before it is
 * sent; the order may then be settled again under a new msgid. Never a blind retry. The settlement is written to
 * the order in the transaction that records it final.
 */
import { type z } from 'zod';
import { reason } from '../../../shared/order-reasons';
import { settleOutpatient, type Settlement } from '../../../insurance/nhsa';
import {
  confirmRefusal,
  MOVEMENT_KINDS,
  NhsaPayloadBase,
  type NhsaPayload,
  reverseByMsgid,
  sendNhsa,
  settlementOriginal,
  visitSettlement,
} from '../../movements';
import type { Movement } from '../../outbox';
import { applySettlement, type OrderEffectsDeps } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

/** The person is the input's psn_no (as stored by earlier versions too). */
export const SettlementPayload = NhsaPayloadBase.omit({ psnNo: true }).extend({ input: settleOutpatient.input });
export type SettlementPayload = z.input<typeof SettlementPayload>;

export function settlementMovement(
  d: Pick<OutpatientMovementDeps, 'gateway' | 'newMsgid'> & OrderEffectsDeps,
): Movement<SettlementPayload, Settlement> {
  // The visit's settlement state (5204, a signed answer) confirms a refusal and a 2601 before the order is reopened.
  const stateOf = (p: SettlementPayload) => () =>
    visitSettlement(d.gateway, { operator: p.operator, insuredRegion: p.insuredRegion, psnNo: p.input.psn_no, mdtrtId: p.input.mdtrt_id });
  const reverse = reverseByMsgid<SettlementPayload & NhsaPayload>(d.gateway, '2207', async (p) => settlementOriginal(await stateOf(p)()));
  return {
    kind: MOVEMENT_KINDS.settlement,
    payload: SettlementPayload,
    onUnknown: 'compensate',
    send: async (intent) =>
      confirmRefusal(await sendNhsa(d.gateway, '2207', intent, (c, ctx, p) => settleOutpatient(c, ctx, p.input)), stateOf(intent.payload)),
    compensate: (intent) => reverse({ ...intent, payload: { ...intent.payload, psnNo: intent.payload.input.psn_no } }),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      if (final === 'succeeded' && output) {
        applySettlement(d, intent.orderId, output);
        return;
      }
      // Reversed in the background after a lost answer: nothing is booked, the cashier may settle again.
      const order = d.orders.get(intent.orderId);
      if (order?.state === 'in-doubt') d.orders.update(order.id, { state: 'previewed', reason: reason('settlement-reversed') }, d.now());
    },
  };
}
