/** The simulated NHSA mobile-payment centre: its server, ledger and channel keys. */
export { startMobilePayCentre, MOBILE_PAY_BASE, type MobilePayCentre, type MobilePayCentreOptions, type MobilePayControl } from './server';
export type { CentreChannel } from './crypto';
export type { OrderRow, RefundRow, CallbackRow, OrdStas } from './ledger';
export type { CallbackBody } from './notifier';
