/**
 * A discharge's surplus deposit going back to its channel, in two movements under ids fixed before sending:
 *
 *   pay.deposit-refund   the platform refunds the deposit's trade (out_refund_no)    → paid-back, with the refund number
 *   his.deposit-refund   HIS records the deposit refunded (refund_id, to: original)  → recorded
 *
 * Both remotes book each id once, so after a lost answer the resolver asks again under the same id (a repeated
 * out_refund_no cannot pay twice). Neither is undone by the station: a refusal waits for a person.
 */
import { z } from 'zod';
import type { HisDepositRefund, HisWardClient } from '../../../insurance/his';
import type { RefundStatus } from '../../../insurance/pay-channel';
import { fen } from '../../../shared/money';
import { CHANNEL_REFUND_TIMING, channelRefund, MOVEMENT_KINDS } from '../../movements';
import type { Movement, RemoteOutcome } from '../../outbox';
import type { PaymentPort } from '../../ports';
import { withRefund, type StaysRepo } from '../stays-repo';

export const DepositChannelRefundPayload = z.object({
  refundId: z.string().min(1),
  outTradeNo: z.string().min(1).max(32),
  outRefundNo: z.string().min(1).max(32),
  depositFen: z.number().int().positive(),
  amountFen: z.number().int().positive(),
});
export type DepositChannelRefundPayload = z.infer<typeof DepositChannelRefundPayload>;

export const DepositRecordPayload = z.object({
  refundId: z.string().min(1),
  depositNo: z.string().min(1),
  amountFen: z.number().int().positive(),
  refundTradeNo: z.string().min(1),
  /** original: back on the deposit's own channel (the default); cash: paid out at the window. */
  to: z.enum(['original', 'cash']).optional(),
});

/** A deposit's share of a surplus paid out in cash at the window (the station's own refund number). */
export const DepositCashRefundPayload = z.object({
  refundId: z.string().min(1),
  depositNo: z.string().min(1),
  outRefundNo: z.string().min(1).max(32),
  refundFee: z.number().int().positive(),
  /** the cashier whose drawer it leaves (the shift's drawer count) */
  operatorId: z.string().min(1),
});
export type DepositCashRefundPayload = z.infer<typeof DepositCashRefundPayload>;
export type DepositRecordPayload = z.infer<typeof DepositRecordPayload>;

export interface DepositRefundDeps {
  pay: Pick<PaymentPort, 'refund' | 'refundQuery'>;
  his: Pick<HisWardClient, 'refundDeposit' | 'depositRefund'>;
  stays: StaysRepo;
  newMsgid: () => string;
  now: () => Date;
}

/** Writes one refund's progress onto its stay's surplus. */
function track(d: DepositRefundDeps, stayId: string, refundId: string, change: Parameters<typeof withRefund>[2]): void {
  const stay = d.stays.get(stayId);
  if (stay?.surplus) d.stays.update(stay.id, { surplus: withRefund(stay.surplus, refundId, change) }, d.now());
}

export function depositChannelRefundMovement(d: DepositRefundDeps): Movement<DepositChannelRefundPayload, RefundStatus> {
  const refund = channelRefund(d.pay);
  const request = (p: DepositChannelRefundPayload) => ({
    outTradeNo: p.outTradeNo,
    outRefundNo: p.outRefundNo,
    totalFee: fen(p.depositFen),
    refundFee: fen(p.amountFen),
    reason: '出院结算预交金退款',
  });
  return {
    kind: MOVEMENT_KINDS.depositChannelRefund,
    payload: DepositChannelRefundPayload,
    onUnknown: 'query',
    queryTiming: CHANNEL_REFUND_TIMING,
    send: ({ payload }) => refund.send(request(payload)),
    query: ({ payload }) => refund.query(request(payload)),
    compensate: async () => ({ kind: 'rejected', detail: '预交金退款结果无法确认，需人工核实' }),
    newCompensationId: d.newMsgid,
    settle(_db, { orderId, payload }, { final, output, detail }) {
      if (final === 'succeeded' && output) track(d, orderId, payload.refundId, { state: 'paid-back', refundTradeNo: output.refundId });
      else track(d, orderId, payload.refundId, { state: 'failed', detail: `原路退款未成功：${detail}` });
    },
  };
}

export function depositRecordMovement(d: DepositRefundDeps): Movement<DepositRecordPayload, HisDepositRefund> {
  const record = async (p: DepositRecordPayload): Promise<RemoteOutcome<HisDepositRefund>> => {
    const o = await d.his.refundDeposit({
      refundId: p.refundId,
      depositNo: p.depositNo,
      amountFen: p.amountFen,
      to: p.to ?? 'original',
      refundTradeNo: p.refundTradeNo,
    });
    if (o.kind === 'ok') return { kind: 'ok', output: o.value };
    if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
    return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: MOVEMENT_KINDS.depositRecord,
    payload: DepositRecordPayload,
    onUnknown: 'query',
    queryTiming: CHANNEL_REFUND_TIMING,
    send: ({ payload }) => record(payload),
    async query({ payload }) {
      // The same id and content again: HIS answers what it recorded, or records it now.
      const again = await record(payload);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      return again.kind === 'rejected' ? { kind: 'did-not-happen' } : { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: 'HIS 预交金退款登记结果无法确认，需人工核实' }),
    newCompensationId: d.newMsgid,
    settle(_db, { orderId, payload }, { final, detail }) {
      if (final === 'succeeded') track(d, orderId, payload.refundId, { state: 'recorded' });
      else track(d, orderId, payload.refundId, { detail: `HIS 未登记预交金退款：${detail}` });
    },
  };
}

/**
 * Cash out of the cashier's drawer for a surplus sent to the window: nothing is called outside the station, but it
 * goes through the outbox (and the hospital ledger) like a channel refund. A stop between the intent and its final
 * state is resolved as "paid out": the cashier confirmed by key with the notes in hand; the drawer count shows a slip.
 */
export function depositCashRefundMovement(d: DepositRefundDeps): Movement<DepositCashRefundPayload, { channel: 'cash' }> {
  return {
    kind: MOVEMENT_KINDS.depositCashRefund,
    payload: DepositCashRefundPayload,
    onUnknown: 'query',
    send: () => Promise.resolve({ kind: 'ok', output: { channel: 'cash' } }),
    query: () => Promise.resolve({ kind: 'happened', output: { channel: 'cash' } }),
    compensate: () => Promise.resolve({ kind: 'rejected', detail: '现金退款不能自动撤销，请人工核实钱箱' }),
    newCompensationId: d.newMsgid,
    settle(db, { orderId, payload }, { final }) {
      if (final !== 'succeeded') return;
      track(d, orderId, payload.refundId, { state: 'paid-back', refundTradeNo: payload.outRefundNo });
      db.prepare(
        `INSERT OR IGNORE INTO window_cash_payouts (refund_id, stay_id, operator_id, amount_fen, paid_at) VALUES (?, ?, ?, ?, ?)`,
      ).run(payload.refundId, orderId, payload.operatorId, payload.refundFee, d.now().toISOString());
    },
  };
}
