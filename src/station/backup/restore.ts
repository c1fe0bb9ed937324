/**
 * Putting a backup back. Refused under a running station (its open database would keep writing the old file);
 * the database it replaces is kept aside, never deleted; the restored file is checked before and after and
 * carries a restore marker, so the next start looks at the centre for the movements made after the backup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkDatabaseFile, listBackups, openDatabase, quickCheck, StationMetaRepo, type RestoreMarker } from '../store';
import { DATA_KEY_FILE } from '../security';
import { dataDirHolder } from './data-dir-lock';
import { keysDirOf, type BackupSettings } from './backup-service';

export const DB_FILE = 'station.db';

export interface RestoreResult {
  marker: RestoreMarker;
  /** Where the replaced database went (null when the data dir had none). */
  keptAside: string | null;
  keyRestored: boolean;
}

/** `file`: a path, or a name in the backup folder. */
export function restoreBackup(dataDir: string, settings: Pick<BackupSettings, 'dir' | 'keyDir'>, file: string, now: Date): RestoreResult {
  const holder = dataDirHolder(dataDir);
  if (holder !== null) throw new Error(`工作站正在使用数据目录 ${dataDir}（pid ${holder}）：请先退出工作站再恢复。`);
  const source = fs.existsSync(file) ? path.resolve(file) : path.join(settings.dir, file);
  const backup = listBackups(path.dirname(source)).find((b) => b.file === source);
  if (!backup) throw new Error(`找不到备份 ${file}（备份目录 ${settings.dir}）`);
  const findings = checkDatabaseFile(source);
  if (findings.length > 0) throw new Error(`备份 ${backup.name} 未通过完整性检查，不能恢复：${findings.join('; ')}`);

  const target = path.join(dataDir, DB_FILE);
  let keptAside: string | null = null;
  if (fs.existsSync(target)) {
    const aside = path.join(dataDir, 'replaced', `${now.toISOString().replace(/[-:.]/g, '')}`);
    fs.mkdirSync(aside, { recursive: true, mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, path.join(aside, DB_FILE + suffix));
    }
    keptAside = aside;
  }
  const temp = `${target}.restoring`;
  fs.copyFileSync(source, temp);
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, target);

  const keyFile = path.join(keysDirOf(dataDir), DATA_KEY_FILE);
  const keyCopy = path.join(settings.keyDir, DATA_KEY_FILE);
  const keyRestored = !fs.existsSync(keyFile) && fs.existsSync(keyCopy);
  if (keyRestored) {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    fs.copyFileSync(keyCopy, keyFile);
    fs.chmodSync(keyFile, 0o600);
  }

  const marker: RestoreMarker = { file: backup.name, takenAt: backup.takenAt.toISOString(), restoredAt: now.toISOString() };
  const db = openDatabase(target);
  try {
    const after = quickCheck(db);
    if (after.length > 0) throw new Error(`恢复后的数据库未通过完整性检查：${after.join('; ')}`);
    new StationMetaRepo(db).set('restored_from', JSON.stringify(marker), now);
  } finally {
    db.close();
  }
  return { marker, keptAside, keyRestored };
}
