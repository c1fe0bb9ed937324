/**
 * Opening a station's database before anything reads or writes it: sound (quick_check, or a message naming the
 * backup to restore), bound to its mode (training apart from live), and opened with the key that sealed it.
 */
import path from 'node:path';
import { holdsSealedRows, openDatabase, quickCheck, StationMetaRepo, type Db } from '../../station/store';
import { chmodOwnerOnly, DB_FILE, keysDirOf, latestBackup, type BackupSettings } from '../../station/backup';
import { NhsaRepo } from '../../station/store/nhsa-repo';
import { type OperatorsRepo } from '../../station/store/operators-repo';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security/field-cipher';
import { hashPassword, type KdfCost } from '../../station/security/passwords';
import { TRAINING_OPERATORS, TRAINING_PASSWORD } from '../../station/auth/training-operators';
import { compactSecond } from '../../station/clock';

export async function seedTrainingOperators(repo: OperatorsRepo, cost: KdfCost, now: Date): Promise<void> {
  if (repo.count() > 0) return;
  for (const op of TRAINING_OPERATORS) {
    repo.insert({ id: op.id, name: op.name, roles: [op.role], passwordHash: await hashPassword(TRAINING_PASSWORD, cost) }, now);
  }
}

/** SQLite's own words for a file it cannot read as a database at all. */
const UNREADABLE = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export function openDamagedAware(dbFile: string, backups: BackupSettings): Db {
  try {
    return openDatabase(dbFile);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREADABLE.has(code))
      throw damaged(dbFile, [(e as Error).message], latestBackup(backups)?.name ?? null);
    throw e;
  }
}

function damaged(dbFile: string, findings: readonly string[], latest: string | null): Error {
  const restore = latest ? `请用 “npm run station -- backup restore ${latest}” 恢复最近的备份。` : '未找到任何备份。';
  return new Error(`数据库 ${dbFile} 未通过完整性检查（${findings.slice(0, 3).join('; ')}）。${restore}`);
}

/**
 * Before anything reads or writes the database: it must be sound, belong to this mode, and open with the key
 * that sealed it (a missing key is never silently replaced while rows exist). Each refusal names the backup to
 * restore.
 */
export function openStoreSafely(
  db: Db,
  dataDir: string,
  backups: BackupSettings,
  training: boolean,
  now: Date,
  timeZone: string,
): FieldCipher {
  const dbFile = path.join(dataDir, DB_FILE);
  chmodOwnerOnly([dbFile, `${dbFile}-wal`, `${dbFile}-shm`]);
  const latest = latestBackup(backups)?.name ?? null;
  const findings = quickCheck(db);
  if (findings.length > 0) throw damaged(dbFile, findings, latest);
  const meta = new StationMetaRepo(db);
  meta.claimMode(
    training ? 'training' : 'live',
    TRAINING_OPERATORS.map((o) => o.id),
    now,
  );
  // A restored sequence would repeat the msgids sent since the backup; nothing has been sent yet this start.
  if (meta.pendingRestore()) new NhsaRepo(db).skipMsgidsThrough(compactSecond(now, timeZone));
  return new FieldCipher(loadOrCreateDataKeys(keysDirOf(dataDir), { databaseHoldsRows: holdsSealedRows(db), latestBackup: latest }));
}
