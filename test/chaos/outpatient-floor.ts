/**
 * The outpatient cases every chaos run holds whatever its random mix: a settled order undone because its cash share
 * failed (a payment code and a QR the patient's poor wallet cannot pay), the cashier cancelling a settled order
 * (HX-28), and refunds whole and by line (退费). Since a third of the sessions are stays and a fifth paid by card, a
 * random mix of 120 sessions could undo no settled order at all, and a skipped 2208 on undo (mutant c) went unseen.
 * The floor's patients have an empty personal account, so their bill leaves a cash share and waits for it.
 */
import type Database from 'better-sqlite3';
import { isUndoCause, type OrderReasonCode } from '../../src/shared/order-reasons';
import type { ChaosSession } from './plan';

export type FloorCase = 'undo-code' | 'undo-qr' | 'cancel' | 'refund' | 'refund-lines';

/** Ten sessions per run (fewer only when the run has fewer outpatient sessions). */
export const OUTPATIENT_FLOOR: readonly FloorCase[] = [
  'undo-code',
  'undo-qr',
  'undo-code',
  'undo-qr',
  'cancel',
  'cancel',
  'refund',
  'refund-lines',
  'refund',
  'refund-lines',
];

/** Which of `outpatient` session slots hold which floor case: seeded positions, so kills land on them anywhere. */
export function floorSlots(outpatient: number, random: () => number): Map<number, FloorCase> {
  const slots = Array.from({ length: outpatient }, (_, i) => i);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return new Map(OUTPATIENT_FLOOR.slice(0, outpatient).map((c, k) => [slots[k]!, c]));
}

/** A floor case as a session's plan (the caller adds the patient, the wallet and the HIS order). */
export function floorSession(c: FloorCase): Pick<ChaosSession, 'pay' | 'selfPay' | 'refund' | 'refundLines' | 'cancel'> & {
  poorWallet: boolean;
} {
  const undo = c === 'undo-code' || c === 'undo-qr';
  return {
    pay: c === 'undo-qr' ? 'qr' : 'code',
    selfPay: false,
    refund: c === 'refund' || c === 'refund-lines',
    refundLines: c === 'refund-lines',
    cancel: c === 'cancel',
    poorWallet: undo,
  };
}

const PAYMENT_FAILED = new Set<OrderReasonCode>(['payment-refused', 'qr-closed', 'payment-reversed']);

/**
 * Whether a floor session's order ended as its case says: undone after its payment failed, cancelled by the cashier,
 * or refunded (whole or by line). Read from the station's own database.
 */
export function floorReached(db: Database.Database, hisOrderNo: string, c: FloorCase): boolean {
  const order = db.prepare('SELECT id, state, reason_code AS reason FROM outpatient_orders WHERE his_order_no = ?').get(hisOrderNo) as
    { id: string; state: string; reason: OrderReasonCode | null } | undefined;
  if (!order) return false;
  if (c === 'refund' || c === 'refund-lines') {
    const partial = c === 'refund-lines' ? 1 : 0;
    return (
      db.prepare(`SELECT 1 FROM refunds WHERE order_id = ? AND state = 'refunded' AND partial = ?`).get(order.id, partial) !== undefined
    );
  }
  if (order.state !== 'open' || !order.reason || !isUndoCause(order.reason)) return false;
  return c === 'cancel' ? order.reason === 'settlement-cancelled' : PAYMENT_FAILED.has(order.reason);
}
