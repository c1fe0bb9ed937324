/**
 * Numbered, forward-only migrations, one file each. `PRAGMA user_version` records the last one applied; each
 * runs in its own transaction, so a crash mid-upgrade leaves the previous version intact.
 */
import type { Migration } from './migration';
import { m001Initial } from './001-initial';
import { m002Outbox } from './002-outbox';
import { m003Outpatient } from './003-outpatient';
import { m004PaymentsAndResults } from './004-payments-and-results';
import { m005Eligibility } from './005-eligibility';
import { m006OrderReasons } from './006-order-reasons';
import { m007HistoryIndexes } from './007-history-indexes';
import { m008OperatorRoles } from './008-operator-roles';
import { m009StationMeta } from './009-station-meta';
import { m010AuditChain } from './010-audit-chain';
import { m011SealedCare } from './011-sealed-care';
import { m012Refunds } from './012-refunds';
import { m013ReceiptPrints } from './013-receipt-prints';
import { m014Shifts } from './014-shifts';
import { m015OrderListIndexes } from './015-order-list-indexes';
import { m016CashAtTheWindow } from './016-cash-at-the-window';
import { m017FinanceLists } from './017-finance-lists';
import { m018RefundLines } from './018-refund-lines';
import { m019IdentificationsByMethod } from './019-identifications-by-method';
import { m020LedgerEvents } from './020-ledger-events';
import { m021InpatientStays } from './021-inpatient-stays';
import { m022Reconciliations } from './022-reconciliations';
import { m023ListCoveringIndexes } from './023-list-covering-indexes';
import { m024ClearingRuns } from './024-clearing-runs';
import { m025ReconciliationHis } from './025-reconciliation-his';
import { m026StayShortfallPayments } from './026-stay-shortfall-payments';
import { m027WindowCashPayouts } from './027-window-cash-payouts';
import { m028MobilePay } from './028-mobile-pay';
import { m029ServiceRequests } from './029-service-requests';
import { m030ServiceSettlements } from './030-service-settlements';
import { m031StaySettlements } from './031-stay-settlements';
import { m032MobilePayClinic } from './032-mobile-pay-clinic';
import { m033MobilePayClinicCancel } from './033-mobile-pay-clinic-cancel';
import { m034StayPaymentsToDeposits } from './034-stay-payments-to-deposits';
import { m035StayUndos } from './035-stay-undos';
import { m036MobilePayPsn } from './036-mobile-pay-psn';
import { m037EBills } from './037-ebills';
import { m038EBillsReissueAsked } from './038-ebills-reissue-asked';
import { m039StayEBills } from './039-stay-ebills';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  m001Initial,
  m002Outbox,
  m003Outpatient,
  m004PaymentsAndResults,
  m005Eligibility,
  m006OrderReasons,
  m007HistoryIndexes,
  m008OperatorRoles,
  m009StationMeta,
  m010AuditChain,
  m011SealedCare,
  m012Refunds,
  m013ReceiptPrints,
  m014Shifts,
  m015OrderListIndexes,
  m016CashAtTheWindow,
  m017FinanceLists,
  m018RefundLines,
  m019IdentificationsByMethod,
  m020LedgerEvents,
  m021InpatientStays,
  m022Reconciliations,
  m023ListCoveringIndexes,
  m024ClearingRuns,
  m025ReconciliationHis,
  m026StayShortfallPayments,
  m027WindowCashPayouts,
  m028MobilePay,
  m029ServiceRequests,
  m030ServiceSettlements,
  m031StaySettlements,
  m032MobilePayClinic,
  m033MobilePayClinicCancel,
  m034StayPaymentsToDeposits,
  m035StayUndos,
  m036MobilePayPsn,
  m037EBills,
  m038EBillsReissueAsked,
  m039StayEBills,
];
