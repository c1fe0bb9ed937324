/** The station's SQLite store: the database, its migrations and one repository per table group. The only place better-sqlite3 is imported. */
export { migrate, openDatabase, type Db } from './database';
export { durable, durableFetch, useGroupCommit, FLUSH_EVERY_MS, WalBarrier, type Fsync } from './group-commit';
export { MIGRATIONS, type Migration } from './migrations';
export { AuditRepo, type AuditOutcome } from './audit-repo';
export { isStorageError, probeWrite, storageErrorCode } from './storage-errors';
export {
  verifyAuditChain,
  chainPendingAudit,
  auditHash,
  auditHead,
  auditHeadOfFile,
  checkAuditAnchor,
  AUDIT_GENESIS,
  type AuditAnchor,
  type AuditVerification,
} from './audit-chain';
export { NhsaRepo, type CallState } from './nhsa-repo';
export { OperatorsRepo, operatorView, rolesOf, type AttemptReservation, type OperatorRow } from './operators-repo';
export { indexPersonNames, personNameIndex, PersonsRepo, type StoredPerson } from './persons-repo';
export { StationMetaRepo, holdsSealedRows, type RestoreMarker, type StationMode } from './station-meta';
export { backupDatabase, backupName, checkDatabaseFile, listBackups, pruneBackups, quickCheck, type BackupFile } from './backup-files';
