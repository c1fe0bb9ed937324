/** The inpatient movements, one module each; the inpatient service registers them with the outbox. */
import type { Movement } from '../../outbox';
import { admissionMovement } from './admission';
import { admissionCancelMovement } from './admission-cancel';
import { admissionChangeMovement } from './admission-change';
import type { InpatientMovementDeps } from './deps';
import { depositCashRefundMovement, depositChannelRefundMovement, depositRecordMovement } from './deposit-refunds';
import { dischargeMovement } from './discharge';
import { feeBatchMovement } from './fee-batch';
import { feeCancelMovement } from './fee-cancel';
import { hisWardBookingMovement } from './his-ward-booking';
import { hisWardInsureMovement } from './his-ward-insure';
import { inpatientSettlementMovement } from './settlement';
import { dischargeCancelMovement, hisWardCancelMovement, inpatientSettlementCancelMovement } from './settlement-cancel';
import { wardMicropayMovement, wardQrMovement } from './shortfall-payments';

export type { InpatientMovementDeps } from './deps';
export { AdmissionPayload } from './admission';
export { AdmissionCancelPayload } from './admission-cancel';
export { AdmissionChangePayload, type StayPlace } from './admission-change';
export { FeeBatchPayload } from './fee-batch';
export { FeeCancelPayload } from './fee-cancel';
export { DischargePayload } from './discharge';
export { InpatientSettlementPayload } from './settlement';
export { HisWardSettlePayload, hisWardBookingMovement, wardSettleId } from './his-ward-booking';
export { HisWardInsurePayload } from './his-ward-insure';
export { DischargeCancelPayload, HisWardCancelPayload, InpatientSettlementCancelPayload } from './settlement-cancel';
export { DepositCashRefundPayload, DepositChannelRefundPayload, DepositRecordPayload } from './deposit-refunds';

export function inpatientMovements(d: InpatientMovementDeps): Movement<never, never>[] {
  return [
    admissionMovement(d),
    admissionCancelMovement(d),
    admissionChangeMovement(d),
    feeBatchMovement(d),
    feeCancelMovement(d),
    dischargeMovement(d),
    inpatientSettlementMovement(d),
    hisWardBookingMovement(d),
    hisWardInsureMovement(d),
    hisWardCancelMovement(d),
    inpatientSettlementCancelMovement(d),
    dischargeCancelMovement(d),
    depositChannelRefundMovement(d),
    depositRecordMovement(d),
    depositCashRefundMovement(d),
    wardMicropayMovement(d),
    wardQrMovement(d),
  ] as unknown as Movement<never, never>[];
}
