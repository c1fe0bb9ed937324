/** Inpatient stays at the centre (住院): admission, fee lines uploaded in batches, pre-settlement. */
export { StaysRepo, STAY_STATES, type StayRecord, type StayState, type StayCert, type StaySettlement } from './stays-repo';
export { MidstaySettlements, type MidstayDeps } from './midstay-settlement';
export { type MidstaySettlement } from './stay-settlements-repo';
export { type StayUndo } from './stay-undos-repo';
export {
  inpatientMovements,
  hisWardBookingMovement,
  type InpatientMovementDeps,
  AdmissionPayload,
  FeeBatchPayload,
  HisWardSettlePayload,
} from './movements';
export { FeeUploader, feedetlSn, MED_TYPE_INPATIENT, type FeeUploaderDeps, type UploadResult } from './fee-uploader';
export { InpatientService, type InpatientServiceDeps, type InsuredPerson, type InpatientPreview } from './inpatient-service';
export { SurplusRefunds, type SurplusRefundDeps } from './surplus-refunds';
export { planSurplusRefund, suggestSurplusRefund, type RefundableDeposit, type SurplusPlan } from './surplus-plan';
export { planDeposits, type DepositPlan } from './deposit-plan';
export { type PhoneRefund } from './settlement-undo';
export { billableStay, stayBooked, type BillableStayDeps } from './billable-stay';
