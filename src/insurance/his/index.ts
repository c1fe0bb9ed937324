/** The HIS integration gateway client: patients, prescriptions, settle confirm, settlement details. */
export { HisClient, type HisClientDeps, type HisService } from './client';
export { HisConfigSchema, type HisConfig, type HisConfigInput } from './config';
export type { HisOutcome, HisUnknownReason } from './outcome';
export type {
  HisDayAccount,
  HisOrder,
  HisOrderLine,
  HisOrderState,
  HisPatient,
  HisPaymentLine,
  HisPrescription,
  HisLineKey,
  HisRefundApplication,
  PartialRefundConfirm,
  HisSettlement,
  InsuredSettleConfirm,
  SelfPaySettle,
} from './types';
export { HisWardClient, MAX_FEE_PAGE, type HisGateway, type HisWardService } from './ward-client';
export type {
  HisDeposit,
  HisDepositChannel,
  HisDepositRefund,
  HisFeeLine,
  HisStay,
  HisStayState,
  HisWard,
  HisWardSettle,
  HisWardSettlement,
} from './ward-types';
