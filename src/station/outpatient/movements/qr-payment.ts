/**
 * HX-22/24: the QR shown on the screen. Sending it is only the start — the money moves when the patient scans, so
 * the intent stays open ('unknown') while the QR is shown and the resolver polls at the screen's pace. Paid →
 * succeeded. Closed or failed → failed. Its window over with no payment → reverse, which closes an unpaid order
 * and refunds one paid at the last second: the station never keeps money it has not booked.
 */
import { z } from 'zod';
import type { Fen } from '../../../shared/money';
import { reason } from '../../../shared/order-reasons';
import type { Payment, PaymentWallet } from '../../../insurance/pay-channel';
import { MOVEMENT_KINDS, queryPayment, reversePayment } from '../../movements';
import type { Movement } from '../../outbox';
import { failPayment } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

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

/** Precreate moves no money and the platform answers a repeat with the same QR: a lost answer is asked again. */
const PRECREATE_TRIES = 3;

export function qrPaymentMovement(d: OutpatientMovementDeps): Movement<QrPayload, Payment> {
  return {
    kind: MOVEMENT_KINDS.qr,
    payload: QrPayloadSchema,
    onUnknown: 'query',
    // A QR whose code never reached the station (every precreate answer lost) was never on a screen: nobody can
    // pay it, so it is not waited for — the first look that does not find it paid closes it (the reversal), and
    // the order shows the QR closed at once instead of after the QR's whole life.
    timingFor: (p) => ({
      firstAfterMs: d.qrPollEveryMs,
      everyMs: d.qrPollEveryMs,
      windowMs: d.orders.payments.qrShown(p.outTradeNo) ? p.windowMs : 0,
    }),
    async send(intent) {
      const p = intent.payload;
      let last = '';
      for (let i = 0; i < PRECREATE_TRIES; i += 1) {
        const o = await d.pay.precreate({
          outTradeNo: p.outTradeNo,
          totalFee: p.totalFee,
          subject: p.subject,
          expiresAt: new Date(p.expiresAt),
          ...(p.wallet ? { wallet: p.wallet } : {}),
        });
        if (o.kind === 'ok') {
          d.orders.payments.setQr(p.outTradeNo, o.value.codeUrl, o.value.expiresAt, d.now());
          return { kind: 'unknown', detail: '二维码已生成，等待患者扫码付款' };
        }
        if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
        last = `${o.reason}: ${o.detail}`;
      }
      return { kind: 'unknown', detail: `二维码生成无应答：${last}` };
    },
    query: (intent) => queryPayment(d.pay, intent.payload.outTradeNo, '等待患者扫码付款'),
    compensate: (intent) => reversePayment(d.pay, intent.payload.outTradeNo),
    newCompensationId: () => d.ids.compensationId('QREV'),
    settle(_db, intent, { final, output, direct }) {
      const paid = final === 'succeeded' && output;
      d.orders.payments.update(
        intent.payload.outTradeNo,
        paid ? { state: 'paid', channel: output.wallet, transactionId: output.transactionId } : { state: direct ? 'failed' : 'closed' },
        d.now(),
      );
      // A QR the platform refused to make moved nothing: the order still waits (the code on the scan box works).
      if (!paid && !direct) failPayment(d, intent.orderId, reason('qr-closed'));
    },
  };
}
