/**
 * A discharge's shortfall over the deposits, collected at the bedside with the window's two wallet payments
 * (movements/wallet-payments.ts): the patient's payment code on the scan box, or a QR on the nurse's screen. Only
 * the kind and the row differ — the final state is written to the stay's payment row; HIS's booking with the
 * payment is the next step (inpatient-steps.ts), and a payment that ended without money leaves the stay settled and
 * waiting, to be collected again.
 */
import type { Payment } from '../../../insurance/pay-channel';
import { micropayRemote, MOVEMENT_KINDS, qrRemote, type MicropayPayload, type QrPayload } from '../../movements';
import type { Finished, IntentContext, Movement } from '../../outbox';
import type { PaymentPort } from '../../ports';
import type { StayPaymentsRepo } from '../stay-payments-repo';

export interface ShortfallPaymentDeps {
  pay: PaymentPort;
  payments: StayPaymentsRepo;
  /** How often a QR on the screen is asked after. */
  qrPollEveryMs: number;
  newMsgid: () => string;
  now: () => Date;
}

function paymentRow(d: ShortfallPaymentDeps, closed: 'failed' | 'closed') {
  return (_db: unknown, intent: IntentContext<{ outTradeNo: string }>, { final, output, direct }: Finished<Payment>) => {
    const paid = final === 'succeeded' && output;
    d.payments.update(
      intent.payload.outTradeNo,
      paid
        ? { state: 'paid', channel: output.wallet, transactionId: output.transactionId }
        : { state: final === 'compensated' ? 'reversed' : direct ? 'failed' : closed },
      d.now(),
    );
  };
}

export function wardMicropayMovement(d: ShortfallPaymentDeps): Movement<MicropayPayload, Payment> {
  return { ...micropayRemote(d.pay), kind: MOVEMENT_KINDS.wardMicropay, newCompensationId: d.newMsgid, settle: paymentRow(d, 'failed') };
}

export function wardQrMovement(d: ShortfallPaymentDeps): Movement<QrPayload, Payment> {
  return {
    ...qrRemote(d.pay, d.payments, d.qrPollEveryMs, d.now),
    kind: MOVEMENT_KINDS.wardQr,
    newCompensationId: d.newMsgid,
    settle: paymentRow(d, 'closed'),
  };
}
