/**
 * The undo steps of an outpatient settlement: 2208 settlement cancel, 2205 fee cancel, 2202 registration
 * cancel. The station never undoes a cancel (see `cancelMovement`), and counts none on an answer without signed
 * content until a query shows the centre's state (5204 settlement and fee lines, 5201 visits). Every undo in
 * progress ('reversing' / 'expiring', the cashier's cancel included) goes on from its own state as the saga's
 * next step; a 2208 the centre refuses on a cashier's cancel puts the order back to waiting for its cash share.
 */
import { z } from 'zod';
import { reason } from '../../../shared/order-reasons';
import {
  cancelOutpatientFees,
  cancelOutpatientRegistration,
  cancelOutpatientSettlement,
  type CallContext,
  type NhsaClient,
  type Settlement,
} from '../../../insurance/nhsa';
import {
  cancelMovement,
  feeLinesCancelled,
  MOVEMENT_KINDS,
  NhsaPayloadBase,
  registrationCancelled,
  visitSettlement,
  type CancelState,
  type NhsaPayload,
} from '../../movements';
import type { Finished, IntentContext, Movement } from '../../outbox';
import type { OutpatientMovementDeps } from './deps';

export const SettlementCancelPayload = NhsaPayloadBase.extend({ setlId: z.string().min(1), mdtrtId: z.string().min(1) });
export type SettlementCancelPayload = z.infer<typeof SettlementCancelPayload>;
export const FeesCancelPayload = NhsaPayloadBase.extend({ mdtrtId: z.string().min(1), chrgBchno: z.string().min(1) });
export type FeesCancelPayload = z.infer<typeof FeesCancelPayload>;
export const RegistrationCancelPayload = NhsaPayloadBase.extend({ mdtrtId: z.string().min(1), iptOtpNo: z.string().min(1) });
export type RegistrationCancelPayload = z.infer<typeof RegistrationCancelPayload>;

/** An undo step finished: the note that its outcome was unknown no longer holds. */
function undoStepFinished(d: OutpatientMovementDeps, orderId: string): boolean {
  const order = d.orders.get(orderId);
  if (!order || (order.state !== 'reversing' && order.state !== 'expiring')) return false;
  if (order.reason?.note) d.orders.update(order.id, { reason: { ...order.reason, note: null, noteText: '' } }, d.now());
  return true;
}

/**
 * The centre refused the 2208 of a cashier's cancel (HX-28, manual): nothing was undone, so the order waits for
 * its cash share again, within its window, the refusal shown. An automatic undo instead keeps retrying.
 */
function refusedCashierCancel(d: OutpatientMovementDeps, orderId: string, detail: string): boolean {
  const order = d.orders.get(orderId);
  if (order?.state !== 'reversing' || order.reason?.code !== 'settlement-cancelled') return false;
  d.orders.update(orderId, { state: 'awaiting-payment', reason: { ...reason('settlement-cancel-refused', detail) } }, d.now());
  return true;
}

/** One undo step as a movement: sent under its msgid, repeated under it, never undone itself. */
function undoStep<P extends NhsaPayload, O>(
  d: OutpatientMovementDeps,
  spec: Pick<Parameters<typeof cancelMovement<P, O>>[0], 'kind' | 'infno' | 'payload' | 'call' | 'confirm'> & {
    settle?: Movement<P, O>['settle'];
  },
): Movement<P, O> {
  return cancelMovement<P, O>({
    ...spec,
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    settle: spec.settle ?? ((_db, intent) => void undoStepFinished(d, intent.orderId)),
  });
}

/** Its output: the cancel's own answer, or nothing when a refusal was overruled by the centre's books (5204). */
export type SettlementCancelOutput = Settlement | undefined;

/** How a 2208 is sent and confirmed, whoever sends it (an undo, or a refund with its own effect). */
export function settlementCancelSpec(d: Pick<OutpatientMovementDeps, 'gateway'>) {
  return {
    infno: '2208',
    call: (c: NhsaClient, ctx: CallContext, p: SettlementCancelPayload) =>
      cancelOutpatientSettlement(c, ctx, { setl_id: p.setlId, mdtrt_id: p.mdtrtId, psn_no: p.psnNo }),
    // A refusal stands only while 5204 shows the visit settled; the order's settlement gone from its lines, it is done.
    async confirm(p: SettlementCancelPayload): Promise<CancelState<SettlementCancelOutput>> {
      const state = await visitSettlement(d.gateway, p);
      if (state.kind === 'unknown') return state;
      return state.kind === 'settled' ? { kind: 'not-done' } : { kind: 'done', output: undefined };
    },
  };
}

export function settlementCancelMovement(d: OutpatientMovementDeps): Movement<SettlementCancelPayload, SettlementCancelOutput> {
  return undoStep<SettlementCancelPayload, SettlementCancelOutput>(d, {
    kind: MOVEMENT_KINDS.settlementCancel,
    payload: SettlementCancelPayload,
    ...settlementCancelSpec(d),
    settle(_db, intent: IntentContext<SettlementCancelPayload>, { final, detail }: Finished<SettlementCancelOutput>) {
      if (final !== 'succeeded' && refusedCashierCancel(d, intent.orderId, detail)) return;
      if (undoStepFinished(d, intent.orderId)) return;
      const order = d.orders.get(intent.orderId);
      if (!order) return;
      // The cashier's cancel (HX-28, manual): done → the order is reversed; refused after being in doubt → it still
      // waits for its cash share, within its window.
      if (final === 'succeeded')
        d.orders.update(order.id, { state: 'reversed', payBefore: null, reason: reason('settlement-cancelled') }, d.now());
      else if (order.state === 'in-doubt') d.orders.update(order.id, { state: 'awaiting-payment', reason: null }, d.now());
    },
  });
}

export const feesCancelMovement = (d: OutpatientMovementDeps): Movement<FeesCancelPayload, undefined> =>
  undoStep(d, {
    kind: MOVEMENT_KINDS.feesCancel,
    infno: '2205',
    payload: FeesCancelPayload,
    call: (c, ctx, p: FeesCancelPayload) => cancelOutpatientFees(c, ctx, { mdtrt_id: p.mdtrtId, chrg_bchno: p.chrgBchno, psn_no: p.psnNo }),
    confirm: (p) => feeLinesCancelled(d.gateway, p),
  });

export const registrationCancelMovement = (d: OutpatientMovementDeps): Movement<RegistrationCancelPayload, undefined> =>
  undoStep(d, {
    kind: MOVEMENT_KINDS.registrationCancel,
    infno: '2202',
    payload: RegistrationCancelPayload,
    call: (c, ctx, p: RegistrationCancelPayload) =>
      cancelOutpatientRegistration(c, ctx, { psn_no: p.psnNo, mdtrt_id: p.mdtrtId, ipt_otp_no: p.iptOtpNo }),
    confirm: (p) => registrationCancelled(d.gateway, p, d.now()),
  });
