/**
 * 2304 discharge settlement (出院结算). As for 2207: a lost answer cannot be asked about (5203 needs the setl_id it
 * carried), so it is reversed by 2601 naming its msgid — 2304 is on the national list — and a refusal or a 2601
 * counts only once 5204 (a signed answer) shows the stay's lines unsettled. The settlement is written to the stay in
 * the transaction that records it final.
 */
import { z } from 'zod';
import { settleInpatient, type Settlement } from '../../../insurance/nhsa';
import { confirmRefusal, MOVEMENT_KINDS, NhsaPayloadBase, reverseByMsgid, sendNhsa, settlementOriginal } from '../../movements';
import type { Movement } from '../../outbox';
import { staySettlement } from '../centre-stay';
import type { InpatientMovementDeps } from './deps';

export const InpatientSettlementPayload = NhsaPayloadBase.extend({
  /** HIS's line number of the last line the bill covers. */
  uptoLine: z.number().int().positive(),
  /** midway: 中途结算 while the patient stays (mid_setl_flag 1); the stay stays admitted and keeps it in its list. */
  mode: z.enum(['midway', 'discharge']).default('discharge'),
  input: settleInpatient.input,
});
export type InpatientSettlementPayload = z.input<typeof InpatientSettlementPayload>;

export function inpatientSettlementMovement(d: InpatientMovementDeps): Movement<InpatientSettlementPayload, Settlement> {
  const stateOf = (p: InpatientSettlementPayload) => () =>
    staySettlement(d.gateway, { ...p, mdtrtId: p.input.mdtrt_id }, p.mode === 'midway' ? p.uptoLine : undefined);
  return {
    kind: MOVEMENT_KINDS.inpatientSettlement,
    payload: InpatientSettlementPayload,
    onUnknown: 'compensate',
    send: async (intent) =>
      confirmRefusal(await sendNhsa(d.gateway, '2304', intent, (c, ctx, p) => settleInpatient(c, ctx, p.input)), stateOf(intent.payload)),
    compensate: reverseByMsgid<InpatientSettlementPayload>(d.gateway, '2304', async (p) => settlementOriginal(await stateOf(p)())),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      const stay = d.stays.get(intent.orderId);
      if (!stay) return;
      if (final === 'succeeded' && output) {
        const s = output.setlinfo;
        const settlement = {
          setlId: s.setl_id,
          medfeeFen: s.medfee_sumamt,
          fundFen: s.fund_pay_sumamt,
          acctFen: s.acct_pay,
          cashFen: s.psn_cash_pay,
          uptoLine: intent.payload.uptoLine,
        };
        if (intent.payload.mode === 'midway') {
          d.stays.midway.add(stay.id, settlement, d.now());
          return d.stays.update(stay.id, { state: 'admitted' }, d.now());
        }
        d.stays.update(stay.id, { state: 'settled', settlement }, d.now());
        return;
      }
      // Refused, or lost and reversed: the stay is as before (admitted, or discharged); it may be settled again.
      d.stays.update(stay.id, { state: intent.payload.mode === 'midway' ? 'admitted' : 'discharged' }, d.now());
    },
  };
}
