/**
 * The hospital ledger (issue 14): every final money movement as an immutable event, written with the movement's
 * final state, shipped to the hospital's ledger (embedded SQLite by default, PostgreSQL for a hospital).
 * Not the station's local order search and exports — that is `../ledger`.
 */
export {
  LEDGER_EVENT_KINDS,
  LEDGER_EVENT_VERSION,
  LedgerEventSchema,
  type LedgerEvent,
  type LedgerEventKind,
  type NewLedgerEvent,
} from './ledger-event';
export { LEDGER_MOVEMENT_KINDS, ledgerEventsOf, SELF_PAY_SUFFIX, type OrderFacts } from './event-of-movement';
export { LedgerEventsRepo, patientTokensOf, type LedgerBacklog, type OrderSource, type PatientTokensOf } from './ledger-events-repo';
export type { HospitalLedger, HospitalLedgerReader } from './ledger-port';
export { EmbeddedLedger } from './embedded-ledger';
export { LedgerShipper, type ShipperOptions } from './ledger-shipper';
export * from './postgres';
export { createLookupKeyFile, exportLookupKey, importLookupKey, lookupKeyIds, readLookupKeyFile } from './lookup-key-file';
