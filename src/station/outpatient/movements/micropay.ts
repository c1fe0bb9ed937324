/**
 * HX-23, the patient's payment code on the scan box: sent, asked after and reversed as every wallet payment is
 * (movements/wallet-payments.ts). The payment row and, when the payment ended without money, the order's undo are
 * written with the final state.
 */
import { reason } from '../../../shared/order-reasons';
import type { Payment } from '../../../insurance/pay-channel';
import { micropayRemote, MOVEMENT_KINDS, type MicropayPayload } from '../../movements';
import type { Movement } from '../../outbox';
import { failPayment } from '../order-effects';
import type { OutpatientMovementDeps } from './deps';

export type { MicropayPayload } from '../../movements';

export function micropayMovement(d: OutpatientMovementDeps): Movement<MicropayPayload, Payment> {
  return {
    ...micropayRemote(d.pay),
    kind: MOVEMENT_KINDS.micropay,
    newCompensationId: () => d.ids.compensationId('REV'),
    settle(_db, intent, { final, output, detail, direct }) {
      const paid = final === 'succeeded' && output;
      d.orders.payments.update(
        intent.payload.outTradeNo,
        paid
          ? { state: 'paid', channel: output.wallet, transactionId: output.transactionId }
          : { state: final === 'compensated' ? 'reversed' : 'failed' },
        d.now(),
      );
      if (paid) {
        // The booking at HIS is the saga's next step; the order waits for it as it waited for the money.
        const order = d.orders.get(intent.orderId);
        if (order?.state === 'in-doubt') d.orders.update(order.id, { state: 'awaiting-payment', reason: null }, d.now());
        return;
      }
      failPayment(d, intent.orderId, direct && final === 'failed' ? reason('payment-refused', detail) : reason('payment-reversed'));
    },
  };
}
