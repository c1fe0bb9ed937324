/** The admin's lists and exports over the station's own ledger (issue 13, items 4–5). */
export { OrderSearch, type After, type Viewer } from './order-search';
export { dayRangeUtc } from './local-days';
export { OrderExports, type ExportAudit, type ExportRequest, type OrderExportsDeps } from './order-exports';
export { EXPORT_HEADERS } from './export-columns';
export { LedgerService, type LedgerDeps } from './ledger-service';
export { ledgerHandlers } from './ledger-handlers';
export { FinanceSearch } from './finance-search';
export { PAYMENTS, REFUNDS, REGISTRATIONS } from './finance-specs';
export { QuickReversal, type QuickReversalDeps } from './quick-reversal';
export { openRowWriter, type RowWriter } from './export-writers';
export type { Cell } from './export-columns';
export type { FinanceQuery, FinanceQueryPage, FinanceQueryPort } from './finance-query-port';
export { StationFinanceQuery, type FinanceLists } from './station-finance-query';
