/**
 * A bank-card sale (银行卡消费) on the window's POS terminal. The intent is written, with the payment row keyed by
 * the sale's REF, before the frame is sent. A sale the terminal answered is final (00 paid, anything else refused);
 * one whose answer was lost is asked after by 查询 under the same REF — never sent again as a second sale (the
 * terminal would refuse the REF anyway) — and one whose outcome stays unknown past the window is voided (撤销)
 * under a REF of its own, fixed before the void is sent.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import { reason } from '../../../shared/order-reasons';
import { MOVEMENT_KINDS } from '../../movements';
import type { Movement, QueryOutcome } from '../../outbox';
import type { CardTerminalAnswer } from '../../ports';
import { failPayment } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

const Ref = z.string().regex(/^[0-9A-Za-z]{1,20}$/);
export const CardPaymentPayloadSchema = z.object({ ref: Ref, totalFee: z.number().int().positive() });

export interface CardPaymentPayload {
  /** the terminal's REF for the sale, also the payment row's out_trade_no */
  ref: string;
  totalFee: Fen;
}

export const APPROVED = '00';
const NO_SUCH_TRANSACTION = '25';
/** How the terminal is asked after a lost answer: a card sale is over in a minute or two. */
export const CARD_QUERY_TIMING = { firstAfterMs: 2_000, everyMs: 5_000, windowMs: 120_000 };

const why = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function cardPaymentMovement(d: OutpatientMovementDeps): Movement<CardPaymentPayload, CardTerminalAnswer> {
  const terminal = () => {
    if (!d.cardTerminal) throw new Error('未配置银行卡终端');
    return d.cardTerminal;
  };
  return {
    kind: MOVEMENT_KINDS.cardSale,
    payload: CardPaymentPayloadSchema,
    onUnknown: 'query',
    queryTiming: CARD_QUERY_TIMING,
    async send({ payload }) {
      if (!d.cardTerminal) return { kind: 'rejected', detail: '未配置银行卡终端' };
      try {
        const a = await d.cardTerminal.sale(payload.ref, payload.totalFee);
        return a.code === APPROVED ? { kind: 'ok', output: a } : { kind: 'rejected', detail: `${a.code} ${a.message}` };
      } catch (error) {
        return { kind: 'unknown', detail: why(error) };
      }
    },
    async query({ payload }): Promise<QueryOutcome<CardTerminalAnswer>> {
      try {
        const a = await terminal().query(payload.ref);
        if (a.code === APPROVED && a.amountFen === payload.totalFee) return { kind: 'happened', output: a };
        if (a.code === NO_SUCH_TRANSACTION) return { kind: 'did-not-happen' };
        return { kind: 'unknown', detail: `${a.code} ${a.message}` };
      } catch (error) {
        return { kind: 'unknown', detail: why(error) };
      }
    },
    async compensate({ payload, compExternalId }) {
      try {
        const a = await terminal().void(compExternalId, payload.ref, payload.totalFee);
        if (a.code === APPROVED) return { kind: 'ok' };
        if (a.code === NO_SUCH_TRANSACTION) return { kind: 'nothing-to-undo' };
        return { kind: 'rejected', detail: `${a.code} ${a.message}` };
      } catch (error) {
        return { kind: 'unknown', detail: why(error) };
      }
    },
    newCompensationId: () => d.ids.posRef('V'),
    settle(_db, intent, { final, output, detail, direct }) {
      const paid = final === 'succeeded' && output;
      d.orders.payments.update(
        intent.payload.ref,
        paid ? { state: 'paid', channel: 'card', transactionId: output.rrn } : { state: final === 'compensated' ? 'reversed' : 'failed' },
        d.now(),
      );
      if (paid) {
        const order = d.orders.get(intent.orderId);
        if (order?.state === 'in-doubt') d.orders.update(order.id, { state: 'awaiting-payment', reason: null }, d.now());
        return;
      }
      failPayment(d, intent.orderId, direct && final === 'failed' ? reason('payment-refused', detail) : reason('payment-reversed'));
    },
  };
}
