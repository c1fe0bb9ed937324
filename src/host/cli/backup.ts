/**
 * `npm run station -- backup now | list | restore FILE | check [--data-dir DIR]`
 *
 * IT's backup commands. `now` copies the database online (beside a running station) and the key apart;
 * `restore` refuses while a station runs on the dir, keeps the replaced database aside and marks the restored
 * one, so the next start looks at the centre for what happened after the backup; `check` runs SQLite's
 * quick_check on the database and the newest backup and compares the key with its copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StationConfigSchema, STATION_CONFIG_FILE, backupSettingsOf } from '../../station/config';
import { checkDatabaseFile, listBackups, openDatabase, StationMetaRepo } from '../../station/store';
import { DATA_KEY_FILE } from '../../station/security';
import {
  backupHealth,
  backupNow,
  DB_FILE,
  keysDirOf,
  recordBackupOutcome,
  restoreBackup,
  type BackupHealth,
  type BackupSettings,
} from '../../station/backup';
import { silentLogger } from '../../station/log';
import { openStationDb } from './station-db';
import type { CliArgs } from './args';

/** The data dir's backup settings: its configuration's `backup` section, or the defaults (training dirs). */
export function backupSettingsForDir(dataDir: string): BackupSettings {
  const file = path.join(dataDir, STATION_CONFIG_FILE);
  const raw: unknown = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { backup?: unknown }).backup : undefined;
  return backupSettingsOf({ backup: StationConfigSchema.shape.backup.parse(raw) }, dataDir);
}

export async function runBackupCommand(args: CliArgs): Promise<void> {
  const [command, file] = args.positional;
  const { dataDir } = args;
  const settings = backupSettingsForDir(dataDir);
  const dbFile = path.join(dataDir, DB_FILE);
  switch (command) {
    case 'now': {
      const station = openStationDb(dataDir);
      if (!station) return;
      const { db } = station;
      const meta = new StationMetaRepo(db);
      try {
        const taken = await backupNow(db, dataDir, settings, new Date());
        recordBackupOutcome(meta, { ok: true, file: taken.name }, new Date(), silentLogger);
        console.log(`backup ${taken.file}`);
        console.log(`key copy ${path.join(settings.keyDir, DATA_KEY_FILE)}`);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        recordBackupOutcome(meta, { ok: false, error }, new Date(), silentLogger);
        fail(`backup failed: ${error}`);
      } finally {
        db.close();
      }
      return;
    }
    case 'list': {
      const backups = listBackups(settings.dir);
      console.log(`backups in ${settings.dir} (keep ${settings.keep}, every ${settings.everyMinutes} min)`);
      if (backups.length === 0) console.log('  no backups');
      for (const b of backups) console.log(`  ${b.name}  ${b.takenAt.toISOString()}  ${fs.statSync(b.file).size} bytes`);
      const keyCopy = path.join(settings.keyDir, DATA_KEY_FILE);
      console.log(`key copy ${fs.existsSync(keyCopy) ? keyCopy : 'MISSING'}`);
      return;
    }
    case 'restore': {
      if (!file) args.usage();
      try {
        const r = restoreBackup(dataDir, settings, file, new Date());
        console.log(`restored ${r.marker.file} (taken ${r.marker.takenAt}) into ${dbFile}`);
        if (r.keptAside) console.log(`the replaced database is kept in ${r.keptAside}`);
        if (r.keyRestored) console.log('the data key was missing and was restored from its copy');
        console.log('on its next start the station lists the centre settlements made after the backup for a person to reconcile');
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
      return;
    }
    case 'check': {
      const problems: string[] = [];
      const dbFindings = fs.existsSync(dbFile) ? checkDatabaseFile(dbFile) : ['no station database'];
      problems.push(...dbFindings.map((f) => `database: ${f}`));
      if (fs.existsSync(dbFile)) {
        const problem = scheduleProblem(dbFile, settings);
        if (problem) problems.push(problem);
      }
      const latest = listBackups(settings.dir)[0];
      if (!latest) problems.push(`no backup in ${settings.dir}`);
      else problems.push(...checkDatabaseFile(latest.file).map((f) => `backup ${latest.name}: ${f}`));
      const key = path.join(keysDirOf(dataDir), DATA_KEY_FILE);
      const keyCopy = path.join(settings.keyDir, DATA_KEY_FILE);
      if (!fs.existsSync(key)) problems.push(`no data key ${key}`);
      else if (!fs.existsSync(keyCopy)) problems.push(`no key copy ${keyCopy}`);
      else if (!fs.readFileSync(key).equals(fs.readFileSync(keyCopy))) problems.push(`the key copy ${keyCopy} differs from the data key`);
      console.log(`database ${dbFindings.length === 0 ? 'ok' : 'FAILED'}; latest backup ${latest?.name ?? 'none'}`);
      for (const p of problems) console.log(`  ${p}`);
      if (problems.length > 0) process.exitCode = 1;
      else console.log('ok');
      return;
    }
    default:
      args.usage();
  }
}

/** The scheduled backups' last outcome as the station recorded it: failing or overdue is a problem for IT. */
function scheduleProblem(dbFile: string, settings: BackupSettings): string | null {
  const db = openDatabase(dbFile);
  let health: BackupHealth;
  try {
    health = backupHealth(new StationMetaRepo(db), settings, new Date());
  } finally {
    db.close();
  }
  if (health.state === 'failing') return `backups failing since ${health.since} (last good ${health.lastOkAt ?? 'never'}): ${health.error}`;
  if (health.state === 'overdue') return `no backup since ${health.lastOkAt} (every ${settings.everyMinutes} min): is the station running?`;
  return null;
}

function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}
