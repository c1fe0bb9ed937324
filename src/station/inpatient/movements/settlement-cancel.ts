/**
 * Undoing a discharge settlement from the window (AQ-17 / HM-07), two movements in this order:
 *
 *   his.ward-settle-cancel  HIS cancels its booking (its lines due again, the deposits applied back, a shortfall paid
 *                           turned into deposits — the stay's payments marked so)                  → stay 'settled'
 *   nhsa.2305               the centre cancels the settlement                                      → stay 'discharged'
 *   nhsa.2405               when the cashier asks: the discharge too (confirmed by 5201)            → stay 'admitted'
 *
 * The undo's record (stay-undos-repo.ts) moves with their final states: a refused HIS cancel ends it (nothing undone),
 * a refused 2305 or 2405 stops it for a person with the centre's words, the last step done removes it.
 *
 * HIS first, so each state the stay passes through is true: 'settled' is "settled at the centre, not booked at HIS".
 * HIS answers a repeated cancel id with its first answer, so a lost answer is asked again under the same id. A 2305
 * answer (or refusal) counts once 5204 shows the stay's lines unsettled, as the outpatient 2208's does.
 */
import { z } from 'zod';
import type { HisWardClient, HisWardSettlement } from '../../../insurance/his';
import { cancelDischarge, cancelInpatientSettlement, type Settlement } from '../../../insurance/nhsa';
import { cancelMovement, MOVEMENT_KINDS, NhsaPayloadBase } from '../../movements';
import type { Movement, RemoteOutcome } from '../../outbox';
import { stayAtCentre, staySettlement } from '../centre-stay';
import type { StayPaymentsRepo } from '../stay-payments-repo';
import type { StaysRepo } from '../stays-repo';
import type { InpatientMovementDeps } from './deps';

export const HisWardCancelPayload = z.object({
  settleId: z.string().min(1),
  reason: z.string().min(1).max(60),
});
export type HisWardCancelPayload = z.infer<typeof HisWardCancelPayload>;

export const InpatientSettlementCancelPayload = NhsaPayloadBase.extend({
  mdtrtId: z.string().min(1),
  setlId: z.string().min(1),
});
export type InpatientSettlementCancelPayload = z.infer<typeof InpatientSettlementCancelPayload>;

export interface HisWardCancelDeps {
  his: Pick<HisWardClient, 'cancelSettlement'>;
  stays: StaysRepo;
  payments: Pick<StayPaymentsRepo, 'turnedIntoDeposits'>;
  newMsgid: () => string;
  now: () => Date;
}

export function hisWardCancelMovement(d: HisWardCancelDeps): Movement<HisWardCancelPayload, HisWardSettlement> {
  const cancel = async (cancelId: string, p: HisWardCancelPayload): Promise<RemoteOutcome<HisWardSettlement>> => {
    const o = await d.his.cancelSettlement({ cancelId, settleId: p.settleId, reason: p.reason });
    if (o.kind === 'ok') return { kind: 'ok', output: o.value };
    if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
    return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: MOVEMENT_KINDS.hisWardSettleCancel,
    payload: HisWardCancelPayload,
    onUnknown: 'query',
    send: (intent) => cancel(intent.externalId, intent.payload),
    async query(intent) {
      const again = await cancel(intent.externalId, intent.payload);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      return again.kind === 'rejected' ? { kind: 'did-not-happen' } : { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: 'HIS 出院结算撤销结果无法确认，需人工核实' }),
    newCompensationId: d.newMsgid,
    settle(_db, intent, { final, output }) {
      const stay = d.stays.get(intent.orderId);
      // Refused (or found not done): nothing was undone, the stay is whole — the cashier is told, no undo goes on.
      if (final !== 'succeeded') return d.stays.undos.finish(intent.orderId);
      if (!stay) return;
      // A surplus already refunded stays refunded (HIS's balances no longer hold it); a shortfall paid is a deposit now.
      // No shortfall to collect while the centre's 2305 is still owed: the undo goes on at the window, not the bedside.
      d.stays.update(stay.id, { state: 'settled', booking: null, surplus: null, shortfallFen: 0 }, d.now());
      d.payments.turnedIntoDeposits(stay.id, output?.paymentDeposits ?? [], d.now());
    },
  };
}

export function inpatientSettlementCancelMovement(
  d: InpatientMovementDeps,
): Movement<InpatientSettlementCancelPayload, Settlement | undefined> {
  return cancelMovement<InpatientSettlementCancelPayload, Settlement | undefined>({
    kind: MOVEMENT_KINDS.inpatientSettlementCancel,
    infno: '2305',
    payload: InpatientSettlementCancelPayload,
    call: (c, ctx, p) => cancelInpatientSettlement(c, ctx, { mdtrt_id: p.mdtrtId, setl_id: p.setlId, psn_no: p.psnNo }),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    async confirm(p) {
      const state = await staySettlement(d.gateway, p);
      if (state.kind === 'unknown') return state;
      return state.kind === 'settled' ? { kind: 'not-done' } : { kind: 'done', output: undefined };
    },
    settle(_db, intent, { final, detail }) {
      const stay = d.stays.get(intent.orderId);
      // HIS has cancelled its booking already: a refusal leaves the stay half undone, for a person (never retried).
      if (final !== 'succeeded') return d.stays.undos.stop(intent.orderId, `医保住院结算撤销（2305）未成功：${detail}`, d.now());
      if (!stay) return;
      if (!d.stays.undos.get(stay.id)?.backToWard) d.stays.undos.finish(stay.id);
      // Discharged and unsettled: the bill may be priced and settled again. The old settlement stays on the row until
      // the next 2304 replaces it: the ledger's cancel event is its split negated.
      d.stays.update(stay.id, { state: 'discharged', shortfallFen: 0 }, d.now());
    },
  });
}

export const DischargeCancelPayload = NhsaPayloadBase.extend({ mdtrtId: z.string().min(1) });
export type DischargeCancelPayload = z.infer<typeof DischargeCancelPayload>;

/** 2405: back in hospital at the centre; the uploader sends what HIS executes from here on, and 2402 is done again. */
export function dischargeCancelMovement(d: InpatientMovementDeps): Movement<DischargeCancelPayload, undefined> {
  return cancelMovement<DischargeCancelPayload, undefined>({
    kind: MOVEMENT_KINDS.dischargeCancel,
    infno: '2405',
    payload: DischargeCancelPayload,
    call: (c, ctx, p) => cancelDischarge(c, ctx, { mdtrt_id: p.mdtrtId, psn_no: p.psnNo }),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    async confirm(p) {
      const found = await stayAtCentre(d.gateway, p, d.now());
      if (found.kind === 'unknown') return found;
      return found.state === 'discharged' ? { kind: 'not-done' } : { kind: 'done', output: undefined };
    },
    settle(_db, intent, { final, detail }) {
      const stay = d.stays.get(intent.orderId);
      if (final !== 'succeeded') return d.stays.undos.stop(intent.orderId, `医保出院撤销（2405）未成功：${detail}`, d.now());
      d.stays.undos.finish(intent.orderId);
      if (stay) d.stays.update(stay.id, { state: 'admitted' }, d.now());
    },
  });
}
