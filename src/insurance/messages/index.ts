/** Patient messages (HX-27, HM-13/14): template builders and the message gateway client. */
export { MessageClient, MessageConfigSchema, type MessageConfig, type MessageConfigInput, type SentReceipt } from './client';
export {
  awaitingSettlementMessage,
  drugPickupMessage,
  maskName,
  paymentResultMessage,
  settledMessage,
  settlementDetailsMessage,
  TEMPLATE_NAMES,
  type PatientMessage,
  type TemplateName,
} from './templates';
