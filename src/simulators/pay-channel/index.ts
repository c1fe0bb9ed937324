/** The simulated unified payment platform (WeChat Pay / Alipay behind one merchant API). */
export {
  startPayChannel,
  VENDOR_RULES,
  type Merchant,
  type PayChannelControl,
  type PayChannelOptions,
  type PayBookRefund,
  type PayBooks,
  type PayBookTrade,
  type PayChannelSimulator,
  type PayRequestLogEntry,
  type WalletSpec,
} from './server';
export { channelOfAuthCode, type PlatformRules } from './platform';
export { VENDOR_NOTIFY_SCHEDULE_MS } from './notifier';
export type { Channel, NotificationRow, RefundRow, TradeRow, TradeState } from './ledger';
export type { LedgerTotals } from './statement';
export { FaultBook, type Fault, type FaultRule } from './faults';
export { platformSign, platformVerify } from './sign';
export { startJsonServer, parseObject, type Exchange, type JsonServer } from './http-server';
