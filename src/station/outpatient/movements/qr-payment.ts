/**
 * HX-22/24: the QR shown on the screen, made, polled and closed as every wallet QR is (movements/wallet-payments.ts).
 * Paid → succeeded. Closed or failed → failed, and the order's undo follows. The station never keeps money it has
 * not booked.
 */
import { reason } from '../../../shared/order-reasons';
import type { Payment } from '../../../insurance/pay-channel';
import { MOVEMENT_KINDS, qrRemote, type QrPayload } from '../../movements';
import type { Movement } from '../../outbox';
import { failPayment } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

export type { QrPayload } from '../../movements';

export function qrPaymentMovement(d: OutpatientMovementDeps): Movement<QrPayload, Payment> {
  return {
    ...qrRemote(d.pay, d.orders.payments, d.qrPollEveryMs, d.now),
    kind: MOVEMENT_KINDS.qr,
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
