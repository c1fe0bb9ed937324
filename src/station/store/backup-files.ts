/**
 * The database's file-level care: online backups (SQLite's backup API copies a consistent snapshot while the
 * station keeps writing), integrity checks, and the backup folder's names and retention. The backup carries
 * its time in its name, because a restore must know which movements it cannot know about.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './database';

const NAME = /^station-(\d{8}T\d{6}\d{3}Z)\.db$/;

export interface BackupFile {
  file: string;
  name: string;
  takenAt: Date;
}

/** `PRAGMA quick_check`: an empty list means the file is sound; otherwise SQLite's own findings. */
export function quickCheck(db: Db): string[] {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const findings = rows.map((r) => r.quick_check);
  return findings.length === 1 && findings[0] === 'ok' ? [] : findings;
}

/** quick_check of a database file nobody else is writing (a backup, a file about to be restored). */
export function checkDatabaseFile(file: string): string[] {
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return quickCheck(db);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  } finally {
    db?.close();
  }
}

export function backupName(takenAt: Date): string {
  return `station-${takenAt.toISOString().replace(/[-:.]/g, '')}.db`;
}

/** An online copy into `dir`, written under a temporary name and renamed once whole and checked. */
export async function backupDatabase(db: Db, dir: string, now: Date): Promise<BackupFile> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = backupName(now);
  const file = path.join(dir, name);
  const temp = `${file}.partial`;
  await db.backup(temp);
  fs.chmodSync(temp, 0o600);
  const findings = checkDatabaseFile(temp);
  if (findings.length > 0) {
    fs.rmSync(temp, { force: true });
    throw new Error(`备份文件未通过完整性检查：${findings.join('; ')}`);
  }
  fs.renameSync(temp, file);
  return { file, name, takenAt: now };
}

/** The backups in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((name) => {
      const m = NAME.exec(name);
      if (!m) return [];
      const s = m[1]!;
      const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
      return [{ file: path.join(dir, name), name, takenAt: new Date(iso) }];
    })
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/** Keeps the newest `keep` backups; returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(keep);
  for (const b of old) fs.rmSync(b.file, { force: true });
  return old.map((b) => b.name);
}
