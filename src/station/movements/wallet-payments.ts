/**
 * The remote half of the two wallet payments (WeChat / Alipay), whoever collects: the patient's payment code on the
 * scan box (micropay, HX-23) and the QR on the screen (precreate, HX-22/24). How each is sent, asked after and
 * reversed is said once here; the outpatient order and the inpatient stay add only their kind and what the final
 * state writes to their own rows.
 */
import { z } from 'zod';
import type { Fen } from '../../shared/money';
import { VENDOR_MICROPAY_POLICY, type Payment, type PaymentWallet } from '../../insurance/pay-channel';
import type { Movement } from '../outbox';
import type { PaymentPort } from '../ports';
import { queryPayment, reversePayment } from './payments';

export const MicropayPayloadSchema = z.object({
  outTradeNo: z.string().min(1).max(32),
  totalFee: z.number().int().positive(),
  subject: z.string().min(1),
  authCode: z.string().min(10),
});

export interface MicropayPayload {
  outTradeNo: string;
  totalFee: Fen;
  subject: string;
  /** The patient's payment code: a bearer credential, sealed at rest with the intent; never logged. */
  authCode: string;
}

export const QrPayloadSchema = z.object({
  outTradeNo: z.string().min(1).max(32),
  totalFee: z.number().int().positive(),
  subject: z.string().min(1),
  expiresAt: z.number().int().positive(),
  windowMs: z.number().int().positive(),
  wallet: z.enum(['wechat', 'alipay']).optional(),
});

export interface QrPayload {
  outTradeNo: string;
  totalFee: Fen;
  subject: string;
  /** The QR's last payable moment (epoch ms): the platform closes it then, the screen counts down to it. */
  expiresAt: number;
  /** How long after the intent was written the station keeps asking (the QR's life plus a grace). */
  windowMs: number;
  wallet?: PaymentWallet;
}

type Remote<P> = Omit<Movement<P, Payment>, 'kind' | 'newCompensationId' | 'settle'>;

/**
 * The payment code. The vendors' rule for customer-presented codes: "user is paying" or a lost answer is resolved
 * by querying (from ~5 s, every few seconds, up to the query window), then by reversing; "no such order" after a
 * lost answer is not proof of nothing — it is reversed too, which bars the out_trade_no for good.
 */
export function micropayRemote(pay: PaymentPort): Remote<MicropayPayload> {
  return {
    payload: MicropayPayloadSchema,
    onUnknown: 'query',
    queryTiming: {
      firstAfterMs: VENDOR_MICROPAY_POLICY.firstQueryAfterMs,
      everyMs: VENDOR_MICROPAY_POLICY.queryIntervalMs,
      windowMs: VENDOR_MICROPAY_POLICY.queryLimitMs,
    },
    async send(intent) {
      const { outTradeNo, totalFee, subject, authCode } = intent.payload;
      const o = await pay.micropay({ outTradeNo, totalFee, subject, authCode });
      if (o.kind === 'ok') {
        return o.value.status === 'paid'
          ? { kind: 'ok', output: o.value.payment }
          : { kind: 'unknown', detail: 'USERPAYING 等待患者输入密码' };
      }
      if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
      return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    },
    query: (intent) => queryPayment(pay, intent.payload.outTradeNo),
    compensate: (intent) => reversePayment(pay, intent.payload.outTradeNo),
  };
}

/** Where a QR's code is kept so a screen can draw it, and whether it ever got there. */
export interface QrRows {
  setQr(outTradeNo: string, codeUrl: string, expiresAt: string, now: Date): void;
  qrShown(outTradeNo: string): boolean;
}

/** Precreate moves no money and the platform answers a repeat with the same QR: a lost answer is asked again. */
const PRECREATE_TRIES = 3;

/**
 * The QR. Sending it is only the start — the money moves when the patient scans, so the intent stays open
 * ('unknown') while the QR is shown and the resolver polls at the screen's pace. Its window over with no payment →
 * reverse, which closes an unpaid order and refunds one paid at the last second. A QR whose code never reached the
 * station was never on a screen: the first look that does not find it paid closes it.
 */
export function qrRemote(pay: PaymentPort, rows: QrRows, pollEveryMs: number, now: () => Date): Remote<QrPayload> {
  return {
    payload: QrPayloadSchema,
    onUnknown: 'query',
    timingFor: (p) => ({ firstAfterMs: pollEveryMs, everyMs: pollEveryMs, windowMs: rows.qrShown(p.outTradeNo) ? p.windowMs : 0 }),
    async send(intent) {
      const p = intent.payload;
      let last = '';
      for (let i = 0; i < PRECREATE_TRIES; i += 1) {
        const o = await pay.precreate({
          outTradeNo: p.outTradeNo,
          totalFee: p.totalFee,
          subject: p.subject,
          expiresAt: new Date(p.expiresAt),
          ...(p.wallet ? { wallet: p.wallet } : {}),
        });
        if (o.kind === 'ok') {
          rows.setQr(p.outTradeNo, o.value.codeUrl, o.value.expiresAt, now());
          return { kind: 'unknown', detail: '二维码已生成，等待患者扫码付款' };
        }
        if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
        last = `${o.reason}: ${o.detail}`;
      }
      return { kind: 'unknown', detail: `二维码生成无应答：${last}` };
    },
    query: (intent) => queryPayment(pay, intent.payload.outTradeNo, '等待患者扫码付款'),
    compensate: (intent) => reversePayment(pay, intent.payload.outTradeNo),
  };
}
