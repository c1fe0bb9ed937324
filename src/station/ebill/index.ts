/** The fiscal e-bills of outpatient orders and inpatient discharges (AQ-15 / SX-02 / SX-03): issue, the refund's check, red-flush. */
export { OrderBills, REIMBURSED_REFUSAL, type OrderBillsDeps } from './order-bills';
export { StayBills, STAY_UNDO_REASON, stayBillKey, stayOfBillKey, type StayBillsDeps, type StayBooked } from './stay-bills';
export { chargeGroupOf, issueRequest, type BillableOrder } from './issue-request';
export { EBillsRepo, type EBillRecord, type EBillState, type EBillOwner } from './ebills-repo';
/** For tests of the sagas that issue bills: the platform as a scripted fake. */
export { ScriptedEBillPort } from './testing/scripted-ebill-port';
