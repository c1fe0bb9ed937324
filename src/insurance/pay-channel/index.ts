/** The unified payment platform client (WeChat Pay / Alipay behind one merchant API) and its payment flows. */
export { PayChannelConfigSchema, type PayChannelConfig, type PayChannelConfigInput } from './config';
export { PayChannelClient, type PayChannelClientDeps, type PayOperation } from './client';
export type { PayOutcome, PayUnknownReason } from './outcome';
export { classifyPaymentCode, maskPaymentCode, type PaymentWallet } from './payment-code';
export { FINAL_TRADE_STATES } from './types';
export type {
  MicropayRequest,
  MicropayResult,
  OrderStatus,
  Payment,
  PrecreateRequest,
  QrOrder,
  RefundRequest,
  RefundStatus,
  ReverseResult,
  Statement,
  StatementRow,
  TradeState,
} from './types';
export {
  advanceMicropay,
  markMicropaySent,
  nextMicropayAction,
  runMicropayFlow,
  startMicropay,
  VENDOR_MICROPAY_POLICY,
  type MicropayAction,
  type MicropayAnswer,
  type MicropayEnd,
  type MicropayFlowState,
  type MicropayPolicy,
  type MicropayStep,
} from './micropay-flow';
export {
  advanceQr,
  applyQrNotification,
  cancelQrPayment,
  DEFAULT_QR_POLICY,
  nextQrAction,
  runQrFlow,
  startQrPayment,
  type QrAction,
  type QrAnswer,
  type QrEnd,
  type QrFlowState,
  type QrPolicy,
  type QrRequest,
} from './qr-flow';
export { realSleep, runFlow, type FlowDefinition, type FlowRuntime } from './flow-runtime';
export { NOTIFY_ACK, NOTIFY_NACK, readNotification, startNotifyListener, type NotifyListener, type PaymentNotification } from './notify';
export { parseStatement } from './statement';
export { postJson, parseJsonObject, type HttpReply } from './http';
export { sign as signPlatformFields, verify as verifyPlatformFields, signedBody } from './sign';
