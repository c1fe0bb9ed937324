/** Reconciliation with the centre (对账): the hospital ledger's totals and entries in 3201's and 3202's terms. */
export { DETAIL_RESULTS, detailRound } from './detail-round';
export { groupKey, settlementEntries, totalsByGroup, type GroupTotals, type LedgerSettlementEntry, type ReconGroup } from './ledger-totals';
export { reconcileDay, type DayReconciliation, type Difference, type DifferenceKind, type GroupResult } from './reconcile-day';
export { AUTO_RECONCILER, ReconciliationRuns, stationReconciliation, type ReconciliationRunsDeps } from './reconciliation-runs';
export { reconciliationHandlers } from './reconciliation-handlers';
export { resolveDifference, type ResolveDifferenceDeps } from './resolve-difference';
export { matchStatement } from './statement-match';
export { ClearingRuns, clearingState, readClearingRuns, type ClearingRunsDeps } from './clearing-runs';
export { matchClearing, monthPicture, standingCrossRegion } from './month-clearing';
