/** The simulated NHSA centre and e-voucher service (tests, training mode, standalone runs). */
export { startNhsaCentre, type CentreControl, type NhsaCentre, type NhsaCentreOptions, type RequestLogEntry } from './centre';
export type { CentreKeys } from './centre-crypto';
export type { Fault, FaultRule } from './faults';
export type { MessageRow } from './ledger';
export { POPULATION, TRAINING_VOUCHERS, type InsuredPerson } from './population';
export { INVALID_SIGN_NO, UNKNOWN_PERSON } from './transactions';
export { startCentreWithFreshKeys, type CentreFixture } from './fixtures';
