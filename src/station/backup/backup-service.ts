/**
 * Scheduled online backups of a running station: every `everyMinutes` a consistent copy of the database into
 * the backup folder, the newest `keep` kept, and the data key copied into its own folder beside them (never
 * inside a database copy: whoever holds one file must not hold both by accident of a single copy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, listBackups, pruneBackups, type BackupFile, type Db } from '../store';
import { DATA_KEY_FILE, writeFileDurably } from '../security';
import { errorFields, type Logger } from '../log';

export interface BackupSettings {
  dir: string;
  /** The key file's copy; by default `<dir>/keys`. */
  keyDir: string;
  everyMinutes: number;
  keep: number;
}

export function keysDirOf(dataDir: string): string {
  return path.join(dataDir, 'keys');
}

/** One backup now: the database, then the key copy (refreshed only when it differs), then retention. */
export async function backupNow(db: Db, dataDir: string, settings: BackupSettings, now: Date): Promise<BackupFile> {
  const taken = await backupDatabase(db, settings.dir, now);
  backupKeyFile(dataDir, settings.keyDir);
  pruneBackups(settings.dir, settings.keep);
  return taken;
}

export function backupKeyFile(dataDir: string, keyDir: string): void {
  const source = path.join(keysDirOf(dataDir), DATA_KEY_FILE);
  if (!fs.existsSync(source)) return;
  const target = path.join(keyDir, DATA_KEY_FILE);
  const content = fs.readFileSync(source);
  if (fs.existsSync(target) && fs.readFileSync(target).equals(content)) return;
  writeFileDurably(target, content);
}

export function latestBackup(settings: Pick<BackupSettings, 'dir'>): BackupFile | null {
  return listBackups(settings.dir)[0] ?? null;
}

export interface BackupSchedule {
  stop(): void;
}

/** A backup that fails is logged and tried again at the next tick: the station keeps serving the window. */
export function scheduleBackups(db: Db, dataDir: string, settings: BackupSettings, now: () => Date, log: Logger): BackupSchedule {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    backupNow(db, dataDir, settings, now())
      .then((b) => log.info('backup written', { file: b.file }))
      .catch((e: unknown) => log.error('backup failed', errorFields(e)))
      .finally(() => {
        running = false;
      });
  }, settings.everyMinutes * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
