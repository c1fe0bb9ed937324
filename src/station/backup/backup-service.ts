/**
 * Scheduled online backups of a running station: every `everyMinutes` a consistent copy of the database into
 * the backup folder, the newest `keep` kept, and the data key copied into its own folder beside them (never
 * inside a database copy: whoever holds one file must not hold both by accident of a single copy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, listBackups, pruneBackups, StationMetaRepo, type BackupFile, type Db } from '../store';
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

/**
 * A backup that fails is logged, recorded for IT (`backupHealth`, shown by `backup check`) and tried again at the
 * next tick: the station keeps serving the window. A backup folder on a share that went away fails quietly for
 * days otherwise — nobody reads the log until a restore is needed.
 */
export function scheduleBackups(db: Db, dataDir: string, settings: BackupSettings, now: () => Date, log: Logger): BackupSchedule {
  let running = false;
  const meta = new StationMetaRepo(db);
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    backupNow(db, dataDir, settings, now())
      .then((b) => {
        log.info('backup written', { file: b.file });
        recordBackupOutcome(meta, { ok: true, file: b.name }, now(), log);
      })
      .catch((e: unknown) => {
        log.error('backup failed', errorFields(e));
        recordBackupOutcome(meta, { ok: false, error: e instanceof Error ? e.message : String(e) }, now(), log);
      })
      .finally(() => {
        running = false;
      });
  }, settings.everyMinutes * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

const LAST_OK = 'backup_last_ok';
const FAILING = 'backup_failing';

/** Kept in station_meta so the IT command sees it without the running station; a full disk may refuse it too. */
export function recordBackupOutcome(
  meta: StationMetaRepo,
  outcome: { ok: true; file: string } | { ok: false; error: string },
  at: Date,
  log: Logger,
): void {
  try {
    if (outcome.ok) {
      meta.set(LAST_OK, JSON.stringify({ at: at.toISOString(), file: outcome.file }), at);
      meta.delete(FAILING);
    } else {
      const since = (JSON.parse(meta.get(FAILING) ?? 'null') as { since: string } | null)?.since ?? at.toISOString();
      meta.set(FAILING, JSON.stringify({ since, at: at.toISOString(), error: outcome.error.slice(0, 500) }), at);
    }
  } catch (e) {
    log.error('backup outcome not recorded', errorFields(e));
  }
}

export type BackupHealth =
  | { state: 'ok'; lastOkAt: string; file: string }
  | { state: 'never' }
  | { state: 'overdue'; lastOkAt: string; file: string }
  | { state: 'failing'; since: string; error: string; lastOkAt: string | null };

/**
 * What IT needs to know of the scheduled backups: failing since when and why, or overdue (no success within
 * two intervals, e.g. the station was not running), or fine. `never` is a station that has not reached its first.
 */
export function backupHealth(meta: StationMetaRepo, settings: Pick<BackupSettings, 'everyMinutes'>, now: Date): BackupHealth {
  const lastOk = JSON.parse(meta.get(LAST_OK) ?? 'null') as { at: string; file: string } | null;
  const failing = JSON.parse(meta.get(FAILING) ?? 'null') as { since: string; error: string } | null;
  if (failing) return { state: 'failing', since: failing.since, error: failing.error, lastOkAt: lastOk?.at ?? null };
  if (!lastOk) return { state: 'never' };
  const overdue = now.getTime() - Date.parse(lastOk.at) > 2 * settings.everyMinutes * 60_000;
  return { state: overdue ? 'overdue' : 'ok', lastOkAt: lastOk.at, file: lastOk.file };
}
