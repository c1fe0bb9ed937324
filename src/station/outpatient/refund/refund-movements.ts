/**
 * The movements of a refund (退费), each under its own id, each writing its effect on the refund and the order in
 * the transaction that records it final:
 *
 *   his.refund-apply    HIS's application (refund.apply, our apply id)   approved → applied; refused → the bill stands
 *   nhsa.2208-refund    the centre cancels the settlement (its msgid)     done → centre-cancelled; refused → withdrawing
 *   his.refund-withdraw the application taken back (refund.cancel)        → refused: the bill stands as it was
 *   pay.refund          one payment back on its channel (out_refund_no)   refunded; refused → a person checks
 *   cash.refund         a cash payment paid back from the drawer (local)  refunded
 *   pos.refund          a card payment back by the terminal's 退货 (REF)  refunded; refused → a person checks
 *   his.refund-confirm  HIS confirms (settle.cancel, our confirm id)      → the order refunded
 *
 * Every remote here books each of our ids once, so after a lost answer the resolver asks again under the same id:
 * a repeated refund of an out_refund_no cannot pay twice. None of them is ever undone by the station.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import { reason } from '../../../shared/order-reasons';
import type { HisLineKey, HisRefundApplication, HisSettlement, PartialRefundConfirm } from '../../../insurance/his';
import type { RefundStatus } from '../../../insurance/pay-channel';
import { cancelMovement, CHANNEL_REFUND_TIMING, channelRefund, MOVEMENT_KINDS, NhsaPayloadBase } from '../../movements';
import type { Finished, IntentContext, Movement, QueryOutcome, RemoteOutcome } from '../../outbox';
import type { CardTerminalAnswer } from '../../ports';
import { settlementCancelSpec, type OutpatientMovementDeps, type SettlementCancelOutput } from '../movements';
import type { RefundsRepo, RefundState } from './refunds-repo';

export interface RefundMovementDeps extends OutpatientMovementDeps {
  refunds: RefundsRepo;
}

const fenAmount = z.number().int().positive();

export const RefundApplyPayload = z.object({
  refundId: z.string().min(1),
  applyId: z.string().min(1),
  settleId: z.string().min(1),
  reason: z.string().max(60),
  /** 部分退费: the lines asked back, as HIS names them; absent or empty, the whole bill. */
  lines: z
    .array(z.object({ rxNo: z.string().min(1), lineNo: z.number().int().positive() }))
    .max(200)
    .optional(),
});
export interface RefundApplyPayload {
  refundId: string;
  applyId: string;
  settleId: string;
  reason: string;
  lines?: HisLineKey[];
}
export const RefundWithdrawPayload = z.object({ refundId: z.string().min(1), applyId: z.string().min(1) });
export type RefundWithdrawPayload = z.infer<typeof RefundWithdrawPayload>;
export const RefundSettlementCancelPayload = NhsaPayloadBase.extend({
  refundId: z.string().min(1),
  setlId: z.string().min(1),
  mdtrtId: z.string().min(1),
});
export type RefundSettlementCancelPayload = z.infer<typeof RefundSettlementCancelPayload>;
export const PayRefundPayload = z.object({
  refundId: z.string().min(1),
  outTradeNo: z.string().min(1).max(32),
  outRefundNo: z.string().min(1).max(32),
  totalFee: fenAmount,
  refundFee: fenAmount,
  reason: z.string().max(60),
});
export interface PayRefundPayload {
  refundId: string;
  outTradeNo: string;
  outRefundNo: string;
  /** The payment's own amount (the platform checks it) and what goes back of it. */
  totalFee: Fen;
  refundFee: Fen;
  reason: string;
}
/** A partial refund's confirmation: the remaining lines booked at HIS with the centre's new settlement. */
const Rebooking = z.object({
  refundId: z.string().min(1), // HIS's: the application's id
  settleId: z.string().min(1),
  mdtrtId: z.string(),
  setlId: z.string(),
  medfeeFen: z.number().int().nonnegative(),
  fundFen: z.number().int().nonnegative(),
  acctFen: z.number().int().nonnegative(),
  cashFen: z.number().int().nonnegative(),
  payments: z
    .array(
      z.object({
        channel: z.enum(['wechat', 'alipay', 'cash', 'card']),
        outTradeNo: z.string().optional(),
        transactionId: z.string().optional(),
        amountFen: z.number().int().positive(),
      }),
    )
    .max(10),
});
export const RefundConfirmPayload = z.object({
  refundId: z.string().min(1),
  confirmId: z.string().min(1),
  settleId: z.string().min(1),
  reason: z.string().max(60),
  rebooking: Rebooking.optional(),
});
export interface RefundConfirmPayload {
  refundId: string;
  confirmId: string;
  settleId: string;
  reason: string;
  /** Present for a partial refund (HIS's refund.confirm); absent, the whole booking is cancelled (settle.cancel). */
  rebooking?: PartialRefundConfirm;
}

function fromRemote<T>(
  o: { kind: 'ok'; value: T } | { kind: 'rejected'; code: string; message: string } | { kind: 'unknown'; detail: string },
): RemoteOutcome<T> {
  if (o.kind === 'ok') return { kind: 'ok', output: o.value };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: o.message || o.code };
  return { kind: 'unknown', detail: o.detail };
}

/** After a lost answer: the same call under the same id (the remote answers a repeat with what it did). */
async function askAgain<O>(send: () => Promise<RemoteOutcome<O>>): Promise<QueryOutcome<O>> {
  const again = await send();
  if (again.kind === 'ok') return { kind: 'happened', output: again.output };
  if (again.kind === 'rejected') return { kind: 'did-not-happen' };
  return { kind: 'unknown', detail: again.detail };
}

/**
 * A refund may stay PROCESSING for a while (to a bank card: days); it is never undone, so it is asked after at a
 * calm pace for a day (then the outbox's age limit hands it to a person) instead of the payments' one-minute window.
 */
export const REFUND_QUERY_TIMING = CHANNEL_REFUND_TIMING;

/**
 * A refund step the station never undoes: asked again under its own id at the refunds' calm pace for a day
 * (REFUND_QUERY_TIMING) — a HIS that is down or loses answers for longer than the payments' short window must not
 * push the step into a compensation it does not have (chaos found one escalated after a restart past that window);
 * past the day a person decides.
 */
function refundStep<P, O>(
  d: RefundMovementDeps,
  spec: {
    kind: string;
    payload: z.ZodType<unknown>;
    send: (intent: IntentContext<P>) => Promise<RemoteOutcome<O>>;
    settle: (intent: IntentContext<P>, finished: Finished<O>) => void;
  },
): Movement<P, O> {
  return {
    kind: spec.kind,
    payload: spec.payload,
    onUnknown: 'query',
    queryTiming: REFUND_QUERY_TIMING,
    send: spec.send,
    query: (intent) => askAgain(() => spec.send(intent)),
    compensate: async () => ({ kind: 'rejected', detail: '退费步骤结果无法确认，需人工核实' }),
    newCompensationId: () => d.ids.compensationId('HC'),
    settle: (_db, intent, finished) => spec.settle(intent, finished),
  };
}

/** The refund stopped without moving anything: the bill stands as it was, and says why. */
function billStands(d: RefundMovementDeps, refundId: string, orderId: string, words: string): void {
  d.refunds.setState(refundId, 'refused', d.now());
  d.orders.update(orderId, { state: 'completed', reason: reason('refund-refused', words) }, d.now());
}

function moveOn(d: RefundMovementDeps, refundId: string, state: RefundState): void {
  d.refunds.setState(refundId, state, d.now());
}

/** A step after the centre cancelled was refused: the refund waits for a person, the order says why. */
function waitForPerson(d: RefundMovementDeps, refundId: string, orderId: string, words: string): void {
  d.refunds.setState(refundId, 'waiting', d.now());
  d.orders.update(orderId, { reason: reason('refund-waiting', words) }, d.now());
}

export const refundApplyMovement = (d: RefundMovementDeps) =>
  refundStep<RefundApplyPayload, HisRefundApplication>(d, {
    kind: MOVEMENT_KINDS.refundApply,
    payload: RefundApplyPayload,
    send: async ({ payload: p }) =>
      fromRemote(await d.his.applyRefund({ refundId: p.applyId, settleId: p.settleId, reason: p.reason, lines: p.lines ?? [] })),
    settle({ orderId, payload }, { final, detail }) {
      if (final === 'succeeded') moveOn(d, payload.refundId, 'applied');
      else billStands(d, payload.refundId, orderId, `HIS 拒绝退费申请：${detail}`);
    },
  });

export const refundWithdrawMovement = (d: RefundMovementDeps) =>
  refundStep<RefundWithdrawPayload, HisRefundApplication | undefined>(d, {
    kind: MOVEMENT_KINDS.refundWithdraw,
    payload: RefundWithdrawPayload,
    async send({ payload: p }) {
      const o = await d.his.withdrawRefund(p.applyId);
      // Never arrived at HIS: nothing to take back.
      if (o.kind === 'rejected' && o.code === 'REFUND_NOT_FOUND') return { kind: 'ok', output: undefined };
      return fromRemote(o);
    },
    settle({ orderId, payload }, { final, detail }) {
      // The centre's refusal is already the order's reason; the bill stands once HIS has taken the application back.
      if (final !== 'succeeded') return waitForPerson(d, payload.refundId, orderId, `HIS 未撤回退费申请：${detail}`);
      d.refunds.setState(payload.refundId, 'refused', d.now());
      d.orders.update(orderId, { state: 'completed' }, d.now());
    },
  });

export function refundSettlementCancelMovement(d: RefundMovementDeps): Movement<RefundSettlementCancelPayload, SettlementCancelOutput> {
  return cancelMovement<RefundSettlementCancelPayload, SettlementCancelOutput>({
    kind: MOVEMENT_KINDS.refundSettlementCancel,
    payload: RefundSettlementCancelPayload,
    ...settlementCancelSpec(d),
    gateway: d.gateway,
    newMsgid: d.newMsgid,
    settle(_db, { orderId, payload }, { final, detail }) {
      if (final === 'succeeded') return moveOn(d, payload.refundId, 'centre-cancelled');
      // The centre refused (an earlier day past its rule, a cleared settlement): HIS's application is taken back.
      d.refunds.setState(payload.refundId, 'withdrawing', d.now());
      d.orders.update(orderId, { reason: reason('refund-refused', `医保中心拒绝撤销结算：${detail}`) }, d.now());
    },
  });
}

/** One payment's refund: refund, then refundquery until the platform says SUCCESS (the shared channel refund). */
export function payRefundMovement(d: RefundMovementDeps): Movement<PayRefundPayload, RefundStatus> {
  const refund = channelRefund(d.pay);
  return {
    kind: MOVEMENT_KINDS.payRefund,
    payload: PayRefundPayload,
    onUnknown: 'query',
    queryTiming: REFUND_QUERY_TIMING,
    send: ({ payload }) => refund.send(payload),
    query: ({ payload }) => refund.query(payload),
    compensate: async () => ({ kind: 'rejected', detail: '退款结果无法确认，需人工核实' }),
    newCompensationId: () => d.ids.compensationId('REV'),
    settle(_db, { orderId, payload }, { final, output, detail }) {
      if (final === 'succeeded') {
        d.refunds.setPaymentState(payload.outRefundNo, 'refunded', output?.refundId ?? null, d.now());
        return;
      }
      d.refunds.setPaymentState(payload.outRefundNo, 'failed', null, d.now());
      waitForPerson(d, payload.refundId, orderId, `原渠道退款未成功：${detail}`);
    },
  };
}

/**
 * A cash payment paid back from the drawer (现金退款): nothing to call, but an intent like a wallet's refund so the
 * saga resumes the same way; a stop before its end is resolved as paid back (the cashier hands the notes over as
 * the step runs), and the drawer count at the shift close is where a mistake shows.
 */
export function cashRefundMovement(d: RefundMovementDeps): Movement<PayRefundPayload, { refundId: string }> {
  const done = (outRefundNo: string) => ({ refundId: outRefundNo });
  return {
    kind: MOVEMENT_KINDS.cashRefund,
    payload: PayRefundPayload,
    onUnknown: 'query',
    send: ({ payload }) => Promise.resolve({ kind: 'ok', output: done(payload.outRefundNo) }),
    query: ({ payload }) => Promise.resolve({ kind: 'happened', output: done(payload.outRefundNo) }),
    compensate: () => Promise.resolve({ kind: 'rejected', detail: '现金退款不能自动撤销，请人工核实钱箱' }),
    newCompensationId: () => d.ids.compensationId('REV'),
    settle(_db, { payload }, { final }) {
      if (final === 'succeeded') d.refunds.setPaymentState(payload.outRefundNo, 'refunded', payload.outRefundNo, d.now());
    },
  };
}

/**
 * A card payment back to the card by the POS terminal's 退货 under the refund's own REF. A lost answer is asked
 * after by 查询 of that REF; one the terminal never saw is sent again under the same REF (it books each REF once).
 */
export function cardRefundMovement(d: RefundMovementDeps): Movement<PayRefundPayload, CardTerminalAnswer> {
  const terminal = () => {
    if (!d.cardTerminal) throw new Error('未配置银行卡终端');
    return d.cardTerminal;
  };
  const refund = async (p: PayRefundPayload): Promise<RemoteOutcome<CardTerminalAnswer>> => {
    try {
      const a = await terminal().refund(p.outRefundNo, p.outTradeNo, p.refundFee);
      return a.code === '00' ? { kind: 'ok', output: a } : { kind: 'rejected', detail: `${a.code} ${a.message}` };
    } catch (error) {
      return { kind: 'unknown', detail: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    kind: MOVEMENT_KINDS.cardRefund,
    payload: PayRefundPayload,
    onUnknown: 'query',
    queryTiming: REFUND_QUERY_TIMING,
    send: ({ payload }) => refund(payload),
    async query({ payload }) {
      try {
        const a = await terminal().query(payload.outRefundNo);
        if (a.code === '00') return { kind: 'happened', output: a };
        if (a.code !== '25') return { kind: 'unknown', detail: `${a.code} ${a.message}` };
      } catch (error) {
        return { kind: 'unknown', detail: error instanceof Error ? error.message : String(error) };
      }
      return askAgain(() => refund(payload));
    },
    compensate: async () => ({ kind: 'rejected', detail: '退货结果无法确认，需人工核实' }),
    newCompensationId: () => d.ids.posRef('V'),
    settle(_db, { orderId, payload }, { final, output, detail }) {
      if (final === 'succeeded') return d.refunds.setPaymentState(payload.outRefundNo, 'refunded', output?.rrn ?? null, d.now());
      d.refunds.setPaymentState(payload.outRefundNo, 'failed', null, d.now());
      waitForPerson(d, payload.refundId, orderId, `银行卡退货未成功：${detail}`);
    },
  };
}

export const refundConfirmMovement = (d: RefundMovementDeps) =>
  refundStep<RefundConfirmPayload, HisSettlement>(d, {
    kind: MOVEMENT_KINDS.refundConfirm,
    payload: RefundConfirmPayload,
    send: async ({ payload: p }) =>
      fromRemote(
        p.rebooking
          ? await d.his.confirmPartialRefund(p.rebooking)
          : await d.his.cancelSettlement({ cancelId: p.confirmId, settleId: p.settleId, reason: p.reason }),
      ),
    settle({ orderId, payload }, { final, output, detail }) {
      if (final !== 'succeeded') return waitForPerson(d, payload.refundId, orderId, `HIS 未确认退费：${detail}`);
      moveOn(d, payload.refundId, 'refunded');
      // A partial refund leaves the rest of the bill completed, booked at HIS under its new settle id.
      if (payload.rebooking && output)
        d.orders.update(
          orderId,
          { state: 'completed', reason: null, hisSettleId: payload.rebooking.settleId, hisSettlement: output },
          d.now(),
        );
      else d.orders.update(orderId, { state: 'refunded' }, d.now());
    },
  });

export function refundMovements(d: RefundMovementDeps): Movement<never, never>[] {
  const all = [
    refundApplyMovement(d),
    refundWithdrawMovement(d),
    refundSettlementCancelMovement(d),
    payRefundMovement(d),
    cashRefundMovement(d),
    cardRefundMovement(d),
    refundConfirmMovement(d),
  ];
  return all as unknown as Movement<never, never>[];
}
