/** The fiscal e-bill gateway (财政电子票据, AQ-15 / SX-02): the station's port, its types and the Bosssoft client. */
export { EBillClient, type EBillClientDeps, type EBillService } from './client';
export { EBillConfigSchema, type EBillConfig, type EBillConfigInput } from './config';
export {
  EBILL_BUS_TYPES,
  EBILL_PAY_CHANNELS,
  EBILL_REFUSALS,
  type EBill,
  type EBillBusType,
  type EBillChargeGroup,
  type EBillDayTotals,
  type EBillIssueRequest,
  type EBillItem,
  type EBillOutcome,
  type EBillPayChannel,
  type EBillPayment,
  type EBillPort,
  type EBillSplit,
  type EBillStatus,
  type EBillVisit,
  type EBillWriteOffRequest,
  type RedEBill,
} from './types';
