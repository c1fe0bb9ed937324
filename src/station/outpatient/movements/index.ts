/** The outpatient movements, one module each; the service registers them all with the outbox. */
import type { Movement } from '../../outbox';
import { cardPaymentMovement } from './card-payment';
import { cashPaymentMovement } from './cash-payment';
import { feesCancelMovement, registrationCancelMovement, settlementCancelMovement } from './cancels';
import type { OutpatientMovementDeps } from './deps';
import { feesMovement } from './fees';
import { hisConfirmMovement, hisSelfPayMovement } from './his-bookings';
import { micropayMovement } from './micropay';
import { patientMessageMovement } from './patient-message';
import { qrPaymentMovement } from './qr-payment';
import { registrationMovement } from './registration';
import { settlementMovement } from './settlement';

export type { OutpatientMovementDeps } from './deps';
export type { FeesCancelPayload, RegistrationCancelPayload, SettlementCancelOutput } from './cancels';
export { SettlementCancelPayload, settlementCancelSpec } from './cancels';
export type { CardPaymentPayload } from './card-payment';
export type { CashPaymentPayload, CashTaken } from './cash-payment';
export type { FeesPayload } from './fees';
export type { HisConfirmPayload, HisSelfPayPayload } from './his-bookings';
export type { MicropayPayload } from './micropay';
export type { QrPayload } from './qr-payment';
export type { RegistrationPayload } from './registration';
export type { SettlementPayload } from './settlement';

/** Every outpatient movement kind with how it is sent, resolved and applied. */
export function outpatientMovements(d: OutpatientMovementDeps): Movement<never, never>[] {
  const all = [
    registrationMovement(d),
    feesMovement(d),
    settlementMovement(d),
    settlementCancelMovement(d),
    feesCancelMovement(d),
    registrationCancelMovement(d),
    hisConfirmMovement(d),
    hisSelfPayMovement(d),
    micropayMovement(d),
    qrPaymentMovement(d),
    cashPaymentMovement(d),
    cardPaymentMovement(d),
    ...(d.messageClient ? [patientMessageMovement(d, d.messageClient)] : []),
  ];
  return all as unknown as Movement<never, never>[];
}
