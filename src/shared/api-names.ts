/**
 * The names of the StationApi's operations and events, without their schemas: the Electron preload imports
 * this (a sandboxed preload is one small bundle, and zod would add ~440 kB to every window). api.ts checks
 * that its operation table has exactly these keys.
 */
export const OPERATION_NAMES = [
  'stationInfo',
  'login',
  'logout',
  'currentOperator',
  'listDevices',
  'getConnectivity',
  'identifyPatient',
  'testDevice',
  'recentDeviceFrames',
  'listOrders',
  'preSettleOrder',
  'settleOrder',
  'payOrderByCode',
  'payOrderByCash',
  'payOrderByCard',
  'cancelOrderSettlement',
  'refundOrder',
  'payOrderByQr',
  'cancelOrderPayment',
  'selfPayOrder',
  'listTodayOrders',
  'getReceipt',
  'exportReceiptPdf',
  'printReceipt',
  'getPrintSettings',
  'setPrintSettings',
  'listSystemPrinters',
  'printTestPage',
  'outboxSummary',
  'storageStatus',
  'listIntents',
  'retryIntent',
  'decideIntent',
  'listOperators',
  'addOperator',
  'resetOperatorPassword',
  'unlockOperator',
  'disableOperator',
  'enableOperator',
  'setUpFirstAdmin',
  'changePassword',
  'lockSession',
  'unlockSession',
  'listAudit',
  'currentShift',
  'closeShift',
  'dayClose',
  'printShiftSlip',
  'printDaySlip',
  'searchOrders',
  'orderFeeLines',
  'exportOrders',
  'cancelExport',
  'searchFinance',
  'exportFinance',
  'quickReverse',
  'getReversalSettings',
  'setReversalSettings',
  'eVoucherReport',
  'exportEVoucherReport',
  'runReconciliation',
  'listReconciliations',
  'exportReconciliation',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export const EVENT_NAMES = [
  'deviceStatus',
  'deviceWarning',
  'scan',
  'connectivity',
  'outboxAlarm',
  'storageAlarm',
  'orderUpdated',
  'sessionEnded',
  'exportProgress',
] as const;
export type StationEventName = (typeof EVENT_NAMES)[number];

/** `scan` -> `onScan`: the preload and the WebSocket client name subscriptions by this rule. */
export function subscriptionName<E extends StationEventName>(event: E): `on${Capitalize<E>}` {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
}
