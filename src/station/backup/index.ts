/** Where a station's data lives and how it survives: the data dir's lock and file modes, backups, restore. */
export { dataDirHolder, lockDataDir, LOCK_FILE, type DataDirLock } from './data-dir-lock';
export { chmodOwnerOnly, restrictToOwner } from './private-files';
export {
  backupHealth,
  backupKeyFile,
  backupNow,
  keysDirOf,
  latestBackup,
  recordBackupOutcome,
  scheduleBackups,
  type BackupHealth,
  type BackupSchedule,
  type BackupSettings,
} from './backup-service';
export { DB_FILE, restoreBackup, type RestoreResult } from './restore';
export { RESTORE_DISCREPANCY_KIND, restoreDiscrepancyMovement } from './restore-discrepancy';
export {
  checkCentreAfterRestore,
  type CentreDetailRow,
  type CentreDetailsPort,
  type LocalSettlement,
  type RestoreCheckResult,
} from './restore-check';
