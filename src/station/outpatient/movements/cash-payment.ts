/**
 * Cash at the window (现金): the cashier holds the notes and confirms by key; the intent is written then, with the
 * payment row (tendered and change). Nothing is called outside the station, but the payment goes through the
 * outbox like a wallet's so the saga's next step (HIS's booking) follows exactly as it does for them. A stop between
 * the intent and its final state is resolved as "taken": the cashier confirmed the notes were in hand before
 * anything was written, and the drawer count at the shift close is where a mistake shows.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import { MOVEMENT_KINDS } from '../../movements';
import type { Movement } from '../../outbox';
import type { OutpatientMovementDeps } from './deps';

export const CashPaymentPayloadSchema = z
  .object({
    outTradeNo: z.string().min(1).max(32),
    totalFee: z.number().int().positive(),
    tenderedFee: z.number().int().positive(),
  })
  .refine((p) => p.tenderedFee >= p.totalFee, '收款金额少于应收金额');

export interface CashPaymentPayload {
  outTradeNo: string;
  totalFee: Fen;
  /** What the patient handed over; the change is tenderedFee − totalFee. */
  tenderedFee: Fen;
}

export interface CashTaken {
  channel: 'cash';
}

export function cashPaymentMovement(d: OutpatientMovementDeps): Movement<CashPaymentPayload, CashTaken> {
  return {
    kind: MOVEMENT_KINDS.cash,
    payload: CashPaymentPayloadSchema,
    onUnknown: 'query',
    send: () => Promise.resolve({ kind: 'ok', output: { channel: 'cash' } }),
    // Only a stop of the station itself leaves it open: the notes were in hand when the cashier confirmed.
    query: () => Promise.resolve({ kind: 'happened', output: { channel: 'cash' } }),
    compensate: () => Promise.resolve({ kind: 'rejected', detail: '现金收款不能自动撤销，请人工核实钱箱' }),
    newCompensationId: () => d.ids.compensationId('REV'),
    settle(_db, intent, { final }) {
      if (final !== 'succeeded') return; // never: a cash intent only ends taken
      d.orders.payments.update(intent.payload.outTradeNo, { state: 'paid', channel: 'cash' }, d.now());
      const order = d.orders.get(intent.orderId);
      if (order?.state === 'in-doubt') d.orders.update(order.id, { state: 'awaiting-payment', reason: null }, d.now());
    },
  };
}
