/**
 * The outpatient saga's next steps (see saga/next-step.ts). What a finished movement means for the order row is
 * written by the movement itself, in the transaction that records it final (movements/*.ts); this table says only
 * which step must follow, which needs calls of its own:
 *
 *   the cash share was paid                      → book at HIS
 *   2207 booked with nothing to pay              → book at HIS
 *   HIS booked it                                → HIS's details and the patient's message
 *   the order is being undone (any step ended)   → the undo's next step (2208 → 2205 → 2202)
 *   the order is being refunded (any step ended) → the refund's next step (refund/refund.ts)
 */
import type { OrderState } from '../../shared/domain';
import { HIS_BOOKING_KINDS, MOVEMENT_KINDS, PAYMENT_KINDS } from '../movements';
import type { NextStepTable } from '../saga';

export type OutpatientStep = 'book' | 'follow-up' | 'undo' | 'refund';

export const OUTPATIENT_NEXT_STEPS: NextStepTable<OrderState, OutpatientStep> = [
  { after: PAYMENT_KINDS, final: ['succeeded'], states: ['awaiting-payment'], step: 'book' },
  { after: [MOVEMENT_KINDS.settlement], final: ['succeeded'], states: ['insurance-settled'], step: 'book' },
  { after: HIS_BOOKING_KINDS, final: ['succeeded'], states: ['completed'], step: 'follow-up' },
  { after: 'any', states: ['reversing', 'expiring'], step: 'undo' },
  { after: 'any', states: ['refunding'], step: 'refund' },
];
