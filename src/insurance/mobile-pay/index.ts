/** The NHSA mobile-payment (医保移动支付) client: 6201 / 6202 / 6301 / 6203 / 6401 in the SM4/SM2 envelope. */
export { MobilePayConfigSchema, type MobilePayConfig, type MobilePayConfigInput } from './config';
export {
  MobilePayClient,
  orderStage,
  OrderAnswer,
  RefundAnswer,
  UploadAnswer,
  type FeeLine,
  type MobilePayOutcome,
  type UploadInput,
} from './client';
export { MobilePayCallback } from './callback';
