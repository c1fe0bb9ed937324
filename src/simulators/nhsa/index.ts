/** The simulated NHSA centre and e-voucher service (tests, training mode, standalone runs). */
export { startNhsaCentre, type CentreControl, type NhsaCentre, type NhsaCentreOptions, type RequestLogEntry } from './centre';
export type { CentreKeys } from './centre-crypto';
export type { Fault, FaultRule } from './faults';
export type { MessageRow } from './ledger';
export type { MobileSettlement, MobileSettlementBook } from './mobile-settlements';
export type { CentreBooks, CentreFeeBatch, CentreReversal, CentreSettlement, CentreVisit } from './books';
export { POPULATION, TRAINING_VOUCHERS, seedInsured, type InsuredPerson } from './population';
export { syntheticInsured } from './synthetic-population';
export { INVALID_SIGN_NO, SUPPORTED_INFNOS, UNKNOWN_PERSON } from './transactions';
export { NO_SUCH_ORIGINAL, REVERSIBLE_BY_CENTRE } from './handlers/reversal';
export { DETAIL_RESULT } from './handlers/reconciliation';
export { CLEARING_PAGE_ROWS } from './handlers/clearing';
export { CATALOGUE, CATALOGUE_VERSIONS, type CatalogueItem } from './catalogue';
export { TRAINING_POLICY, tablesFor, type Policy, type PolicyTables } from './policy';
export { FIXTURE_INSTITUTION, startCentreWithFreshKeys, type CentreFixture } from './fixtures';
