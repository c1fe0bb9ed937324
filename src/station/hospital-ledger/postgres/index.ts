/** The hospital ledger on PostgreSQL (`pg` is imported only here): the station's writer and IT's administration. */
export { PostgresLedger, PostgresLedgerReader } from './postgres-ledger';
export {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  ledgerServerStatus,
  withLedgerClient,
  type LedgerClient,
  type LedgerClientConfig,
  type LedgerServerStatus,
} from './admin';
export { LEDGER_SCHEMA_VERSION } from './schema';
export {
  clientConfig,
  LedgerKeysSchema,
  LedgerUrlSchema,
  lookupsOf,
  parseLedgerUrl,
  readLedgerKeys,
  stationClientConfig,
  type LedgerAddress,
  type LedgerKeys,
} from './connection';
export { HOSPITAL_COUNT_CAP, HOSPITAL_PATIENT_REFUSAL, hospitalPatientNotice, PostgresFinanceQuery } from './finance-query';
