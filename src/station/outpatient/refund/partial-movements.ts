/**
 * The centre's side of a partial refund (部分退费), after its 2208 and 2205: the remaining lines uploaded as a new
 * fee batch and settled again. They are the window's own 2204 and 2207 — sent, asked after and undone the same way
 * (a lost 2207 reversed by 2601) — under kinds of their own whose effects are the refund's, not a new bill's:
 *
 *   nhsa.2204-refund  the remaining lines (a new chrg_bchno)   the batch and its charge levels on the order
 *   nhsa.2207-refund  the remaining lines settled              the order's new settlement, lines and total; what
 *                                                              goes back by fund, account and self-pay, and each
 *                                                              payment's share of the self-pay difference
 *
 * Reversed after a lost answer (compensated), the step is sent again by the saga under a new msgid; refused, the
 * refund waits for a person (the centre's old settlement is already cancelled).
 */
import { z } from 'zod';
import { fen, type Fen } from '../../../shared/money';
import { reason } from '../../../shared/order-reasons';
import type { Settlement } from '../../../insurance/nhsa';
import { MOVEMENT_KINDS } from '../../movements';
import type { Movement } from '../../outbox';
import { FeesPayload, feesMovement } from '../movements/fees';
import { SettlementPayload, settlementMovement } from '../movements/settlement';
import { splitOf } from '../order-effects';
import type { RefundLinesRepo } from './refund-lines';
import type { RefundMovementDeps } from './refund-movements';
import type { RefundPayment } from './refunds-repo';

export interface PartialRefundDeps extends RefundMovementDeps {
  refundLines: RefundLinesRepo;
}

export const RefundFeesPayload = FeesPayload.extend({ refundId: z.string().min(1) });
export type RefundFeesPayload = z.input<typeof RefundFeesPayload>;
export const RefundSettlementPayload = SettlementPayload.extend({ refundId: z.string().min(1) });
export type RefundSettlementPayload = z.input<typeof RefundSettlementPayload>;

function waitForPerson(d: PartialRefundDeps, refundId: string, orderId: string, words: string): void {
  d.refunds.setState(refundId, 'waiting', d.now());
  d.orders.update(orderId, { reason: reason('refund-waiting', words) }, d.now());
}

export function refundFeesMovement(
  d: PartialRefundDeps,
): Movement<RefundFeesPayload, { result: { feedetl_sn: string; chrgitm_lv: string }[] }> {
  return {
    ...feesMovement(d),
    kind: MOVEMENT_KINDS.refundFees,
    payload: RefundFeesPayload,
    settle(_db, { orderId, payload: p }, { final, output, detail, direct }) {
      if (final === 'succeeded' && output) {
        d.orders.update(orderId, { chrgBchno: p.chrgBchno, feeResults: output }, d.now());
        d.orders.setChargeLevels(orderId, output.result);
        // Only the centre's own refusal waits for a person; a 2204 the resolver found never done is sent again.
      } else if (final === 'failed' && direct) waitForPerson(d, p.refundId, orderId, `医保中心拒绝上传剩余费用明细：${detail}`);
    },
  };
}

export function refundSettlementMovement(d: PartialRefundDeps): Movement<RefundSettlementPayload, Settlement> {
  return {
    ...settlementMovement(d),
    kind: MOVEMENT_KINDS.refundSettlement,
    payload: RefundSettlementPayload,
    settle(_db, { orderId, payload: p }, { final, output, detail, direct }) {
      if (final === 'failed' && direct) return waitForPerson(d, p.refundId, orderId, `医保中心拒绝结算剩余费用：${detail}`);
      if (final !== 'succeeded' || !output) return; // reversed or never done after a lost answer: the saga settles again
      resettled(d, orderId, p.refundId, output);
    },
  };
}

/** The rest settled again: the order is what remains; the refund knows what goes back, and on which trades. */
function resettled(d: PartialRefundDeps, orderId: string, refundId: string, s: Settlement): void {
  const order = d.orders.get(orderId)!;
  const before = order.split!;
  const after = splitOf(s);
  d.orders.update(orderId, { setlId: s.setlinfo.setl_id, split: after, settlement: s }, d.now());
  d.refundLines.takeBack(orderId, refundId, d.now());
  const back = {
    fundFen: fen(Math.max(0, before.fundFen - after.fundFen)),
    acctFen: fen(Math.max(0, before.accountFen - after.accountFen)),
    cashFen: fen(before.cashFen - after.cashFen),
  };
  if (back.cashFen < 0) {
    // The rest costs the patient more than the whole did (the account ran dry meanwhile): nothing to give back here.
    d.refunds.setAmounts(refundId, { ...back, cashFen: fen(0) }, d.now());
    return waitForPerson(d, refundId, orderId, `剩余费用的自付部分高于原自付 ${(-back.cashFen / 100).toFixed(2)} 元，需人工处理`);
  }
  d.refunds.setAmounts(refundId, back, d.now());
  d.refunds.addPayments(refundId, shares(d, orderId, back.cashFen), d.now());
}

/** The self-pay difference spread over the order's paid trades, each up to what it still holds. */
export function shares(
  d: Pick<PartialRefundDeps, 'orders' | 'refunds' | 'ids'>,
  orderId: string,
  total: Fen,
): Omit<RefundPayment, 'refundId' | 'state'>[] {
  const out: Omit<RefundPayment, 'refundId' | 'state'>[] = [];
  let left: number = total;
  for (const p of d.orders.payments.paid(orderId)) {
    if (left === 0) break;
    const amount = Math.min(left, p.amountFen - d.refunds.givenBack(p.outTradeNo));
    if (amount <= 0) continue;
    out.push({ outTradeNo: p.outTradeNo, outRefundNo: d.ids.refundNo(p), channel: p.channel, amountFen: fen(amount) });
    left -= amount;
  }
  return out;
}

export function partialRefundMovements(d: PartialRefundDeps): Movement<never, never>[] {
  return [refundFeesMovement(d), refundSettlementMovement(d)] as unknown as Movement<never, never>[];
}
