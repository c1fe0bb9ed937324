/**
 * The self-pay movements besides the payment code (movements.ts): the merchant-presented QR (HX-22/24), HIS's
 * self-pay booking (HX-20) and the patient message (HX-27). Like every movement, each is written before it is
 * sent and knows how to find out after a lost answer.
 */
import type { HisClient, HisSettlement, SelfPaySettle } from '../../insurance/his';
import type { MessageClient, PatientMessage } from '../../insurance/messages';
import type { PayChannelClient, Payment, PaymentWallet, QrOrder } from '../../insurance/pay-channel';
import type { Db } from '../store/database';
import type { CompensationOutcome, FinalState, IntentContext, Movement, QueryOutcome } from '../outbox/movement';

type OnFinal<P, O> = (db: Db, intent: IntentContext<P>, final: FinalState, output: O | undefined) => void;

export const PAYMENT_KINDS = {
  qr: 'pay.qr',
  hisSelfPay: 'his.selfpay',
  push: 'msg.push',
} as const;

export interface QrPayload {
  outTradeNo: string;
  totalFee: number;
  subject: string;
  /** The QR's last payable moment (epoch ms): the platform closes it then, the screen counts down to it. */
  expiresAt: number;
  /** How long after the intent was written the station keeps asking (the QR's life plus a grace). */
  windowMs: number;
  wallet?: PaymentWallet;
}

/** Precreate moves no money and the platform answers a repeat with the same QR: a lost answer is asked again. */
const PRECREATE_TRIES = 3;

/**
 * HX-22/24: the QR shown on the screen. Sending it is only the start — the money moves when the patient scans, so
 * the intent stays open ('unknown') while the QR is shown and the resolver polls at the screen's pace. Paid →
 * succeeded. Closed or failed → failed. Its window over with no payment → reverse, which closes an unpaid order
 * and refunds one paid at the last second: the station never keeps money it has not booked.
 */
export function qrPaymentMovement(deps: {
  pay: PayChannelClient;
  pollEveryMs: number;
  onQr: (outTradeNo: string, qr: QrOrder) => void;
  onFinal: OnFinal<QrPayload, Payment>;
}): Movement<QrPayload, Payment> {
  return {
    kind: PAYMENT_KINDS.qr,
    onUnknown: 'query',
    timingFor: (p) => ({ firstAfterMs: deps.pollEveryMs, everyMs: deps.pollEveryMs, windowMs: p.windowMs }),
    async send(intent) {
      const p = intent.payload;
      let last = '';
      for (let i = 0; i < PRECREATE_TRIES; i += 1) {
        const o = await deps.pay.precreate({
          outTradeNo: p.outTradeNo,
          totalFee: p.totalFee as never,
          subject: p.subject,
          expiresAt: new Date(p.expiresAt),
          ...(p.wallet ? { wallet: p.wallet } : {}),
        });
        if (o.kind === 'ok') {
          deps.onQr(p.outTradeNo, o.value);
          return { kind: 'unknown', detail: '二维码已生成，等待患者扫码付款' };
        }
        if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
        last = `${o.reason}: ${o.detail}`;
      }
      return { kind: 'unknown', detail: `二维码生成无应答：${last}` };
    },
    query: (intent) => queryPayment(deps.pay, intent.payload.outTradeNo, '等待患者扫码付款'),
    compensate: (intent) => reversePayment(deps.pay, intent.payload.outTradeNo),
    newCompensationId: () => `QREV-${Date.now()}`,
    settle: deps.onFinal,
  };
}

/** Did a payment order happen? Paid → yes; failed, closed or reversed → no; still open → not yet known. */
export async function queryPayment(pay: PayChannelClient, outTradeNo: string, openDetail?: string): Promise<QueryOutcome<Payment>> {
  const o = await pay.query(outTradeNo);
  if (o.kind !== 'ok') return { kind: 'unknown', detail: o.kind === 'rejected' ? `${o.code} ${o.message}` : o.detail };
  const s = o.value;
  if (s.state === 'paid' && s.payment) return { kind: 'happened', output: s.payment };
  if (s.state === 'failed' || s.state === 'closed' || s.state === 'reversed') return { kind: 'did-not-happen' };
  return { kind: 'unknown', detail: openDetail ?? s.state };
}

/** The platform's reverse (WeChat reverse / Alipay cancel): closes an unpaid order, refunds a paid one. */
export async function reversePayment(pay: PayChannelClient, outTradeNo: string): Promise<CompensationOutcome> {
  const o = await pay.reverse(outTradeNo);
  if (o.kind === 'ok') return o.value.action === 'nothing-to-undo' ? { kind: 'nothing-to-undo' } : { kind: 'ok' };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
  return { kind: 'unknown', detail: o.detail };
}

/**
 * A booking at HIS (insured confirm HX-18, self-pay HX-20). HIS books each settleId once, so after a lost answer
 * the resolver asks for the booking and, finding none, books again under the same id; a definite "no" is final.
 */
export function hisBookingMovement<P extends { settleId: string }>(
  kind: string,
  book: (his: HisClient, payload: P) => ReturnType<HisClient['confirmSettlement']>,
  deps: { his: HisClient; onFinal: OnFinal<P, HisSettlement> },
): Movement<P, HisSettlement> {
  return {
    kind,
    onUnknown: 'query',
    async send(intent) {
      const o = await book(deps.his, intent.payload);
      if (o.kind === 'ok') return { kind: 'ok', output: o.value };
      if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    async query(intent) {
      const o = await deps.his.settlement({ settleId: intent.payload.settleId });
      if (o.kind === 'ok') return { kind: 'happened', output: o.value.settlement };
      if (o.kind === 'rejected') {
        const retried = await book(deps.his, intent.payload);
        if (retried.kind === 'ok') return { kind: 'happened', output: retried.value };
        return retried.kind === 'rejected' ? { kind: 'did-not-happen' } : { kind: 'unknown', detail: retried.detail };
      }
      return { kind: 'unknown', detail: o.detail };
    },
    async compensate(intent) {
      const o = await deps.his.cancelSettlement({ cancelId: intent.compExternalId, settleId: intent.payload.settleId, reason: '工作站冲正' });
      if (o.kind === 'ok') return { kind: 'ok' };
      if (o.kind === 'rejected') return { kind: 'nothing-to-undo' };
      return { kind: 'unknown', detail: o.detail };
    },
    newCompensationId: () => `HC${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    settle: deps.onFinal,
  };
}

export type HisSelfPayPayload = SelfPaySettle;

export const hisSelfPayMovement = (deps: { his: HisClient; onFinal: OnFinal<HisSelfPayPayload, HisSettlement> }) =>
  hisBookingMovement<HisSelfPayPayload>(PAYMENT_KINDS.hisSelfPay, (his, p) => his.selfPaySettlement(p), deps);

/**
 * HX-27: the patient's message. The gateway sends each msg_id once, so a lost answer is sent again with the same
 * id; a message cannot be taken back, so "undo" is nothing — after its window it is simply not sent.
 */
export function pushMovement(deps: { messages: MessageClient; onFinal: OnFinal<PatientMessage, unknown> }): Movement<PatientMessage, unknown> {
  const send = async (intent: IntentContext<PatientMessage>) => {
    const o = await deps.messages.send(intent.payload);
    if (o.kind === 'ok') return { kind: 'ok' as const, output: o.value as unknown };
    if (o.kind === 'rejected') return { kind: 'rejected' as const, detail: `${o.code} ${o.message}` };
    return { kind: 'unknown' as const, detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: PAYMENT_KINDS.push,
    onUnknown: 'query',
    send,
    async query(intent) {
      const again = await send(intent);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      if (again.kind === 'rejected') return { kind: 'did-not-happen' };
      return { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'nothing-to-undo' }),
    newCompensationId: () => `MSG-${Date.now()}`,
    settle: deps.onFinal,
  };
}
