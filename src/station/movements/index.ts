/**
 * What every movement shares, whichever saga it belongs to: the one vocabulary of kinds, NHSA sending and 2601
 * reversal, payment query and reverse, HIS booking. The outpatient (and next the inpatient) movements build on it.
 */
export { HIS_BOOKING_KINDS, MOVEMENT_KINDS, NOTICE_KINDS, PAYMENT_KINDS, REFUND_KINDS, UNDO_KINDS, type MovementKind } from './kinds';
export {
  cancelMovement,
  confirmCancel,
  confirmRefusal,
  fromNhsa,
  NhsaPayloadBase,
  reverseByMsgid,
  sendNhsa,
  settlementOriginal,
  type NhsaPayload,
  type OriginalState,
} from './nhsa';
export { visitSettlement, type VisitRef, type VisitSettlement } from './settlement-state';
export { feeLinesCancelled, openVisit, registrationCancelled, type CancelState, type OpenVisit, type WhichVisit } from './centre-state';
export { CHANNEL_REFUND_TIMING, channelRefund, queryPayment, reversePayment, type ChannelRefund } from './payments';
export { hisBookingMovement, HisConfirmPayloadSchema, HisPaymentLineSchema, HisSelfPayPayloadSchema } from './his-booking';
export {
  micropayRemote,
  MicropayPayloadSchema,
  qrRemote,
  QrPayloadSchema,
  type MicropayPayload,
  type QrPayload,
  type QrRows,
} from './wallet-payments';
export { closeQrAtPlatform, type QrCloseDeps } from './qr-close';
