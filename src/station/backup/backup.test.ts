import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { checkDatabaseFile, listBackups, openDatabase, OperatorsRepo, StationMetaRepo, type Db } from '../store';
import { DATA_KEY_FILE, loadOrCreateDataKeys } from '../security';
import { silentLogger } from '../log';
import { backupHealth, backupNow, keysDirOf, lockDataDir, recordBackupOutcome, restoreBackup, type BackupSettings } from './index';

let dataDir: string;
let settings: BackupSettings;
let db: Db;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 4, 8, minute, 0, 0));
const addOperator = (id: string) => new OperatorsRepo(db).insert({ id, name: id, roles: ['cashier'], passwordHash: 'x' }, at(0));
const operatorIds = (d: Db) => (d.prepare('SELECT id FROM operators ORDER BY id').all() as { id: string }[]).map((r) => r.id);

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-backup-'));
  const dir = path.join(dataDir, 'backups');
  settings = { dir, keyDir: path.join(dataDir, 'key-copies'), everyMinutes: 60, keep: 2 };
  db = openDatabase(path.join(dataDir, 'station.db'));
  loadOrCreateDataKeys(keysDirOf(dataDir), { databaseHoldsRows: false, latestBackup: null });
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('backups', () => {
  it('copies the live database online, keeps the newest N and copies the key apart, owner-only', async () => {
    addOperator('a');
    for (const m of [1, 2, 3]) await backupNow(db, dataDir, settings, at(m));
    const kept = listBackups(settings.dir);
    expect(kept.map((b) => b.takenAt.toISOString())).toEqual([at(3).toISOString(), at(2).toISOString()]);
    expect(checkDatabaseFile(kept[0]!.file)).toEqual([]);
    const copy = openDatabase(kept[0]!.file);
    expect(operatorIds(copy)).toEqual(['a']);
    copy.close();
    expect(fs.readFileSync(path.join(settings.keyDir, DATA_KEY_FILE))).toEqual(
      fs.readFileSync(path.join(keysDirOf(dataDir), DATA_KEY_FILE)),
    );
    expect(fs.readdirSync(settings.dir).filter((n) => n.includes('key'))).toEqual([]);
    expect(fs.statSync(kept[0]!.file).mode & 0o777).toBe(0o600);
  });

  it('restores a backup: the replaced database kept aside, a restore marker, the key put back when missing', async () => {
    addOperator('before');
    const taken = await backupNow(db, dataDir, settings, at(5));
    addOperator('after');
    db.close();
    fs.rmSync(keysDirOf(dataDir), { recursive: true });

    const result = restoreBackup(dataDir, settings, taken.name, at(9));
    expect(result.keyRestored).toBe(true);
    expect(result.marker).toEqual({ file: taken.name, takenAt: at(5).toISOString(), restoredAt: at(9).toISOString() });
    db = openDatabase(path.join(dataDir, 'station.db'));
    expect(operatorIds(db)).toEqual(['before']);
    expect(new StationMetaRepo(db).restoreMarker()).toEqual(result.marker);
    const aside = openDatabase(path.join(result.keptAside!, 'station.db'));
    expect(operatorIds(aside)).toEqual(['after', 'before']);
    aside.close();
    expect(fs.existsSync(path.join(keysDirOf(dataDir), DATA_KEY_FILE))).toBe(true);
  });

  it('refuses to restore under a running station (its lock names a live pid)', async () => {
    const taken = await backupNow(db, dataDir, settings, at(5));
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dataDir, 'station.lock'), String(other.pid));
      expect(() => restoreBackup(dataDir, settings, taken.name, at(9))).toThrow(/工作站正在使用数据目录/);
      expect(() => lockDataDir(dataDir)).toThrow(/正由另一个工作站进程/);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // The holder is gone: its lock is stale and taken over.
    lockDataDir(dataDir).release();
    expect(fs.existsSync(path.join(dataDir, 'station.lock'))).toBe(false);
  });
});

describe('the scheduled backups’ health for IT', () => {
  it('never → ok → failing (since the first failure, last good kept) → ok again → overdue after two missed intervals', () => {
    const meta = new StationMetaRepo(db);
    expect(backupHealth(meta, settings, at(0))).toEqual({ state: 'never' });
    recordBackupOutcome(meta, { ok: true, file: 'b1.db' }, at(0), silentLogger);
    expect(backupHealth(meta, settings, at(59))).toEqual({ state: 'ok', lastOkAt: at(0).toISOString(), file: 'b1.db' });
    recordBackupOutcome(meta, { ok: false, error: 'ENOENT backups' }, at(1), silentLogger);
    recordBackupOutcome(meta, { ok: false, error: 'ENOSPC backups' }, at(2), silentLogger);
    expect(backupHealth(meta, settings, at(3))).toEqual({
      state: 'failing',
      since: at(1).toISOString(),
      error: 'ENOSPC backups',
      lastOkAt: at(0).toISOString(),
    });
    recordBackupOutcome(meta, { ok: true, file: 'b2.db' }, at(4), silentLogger);
    expect(backupHealth(meta, settings, at(5)).state).toBe('ok');
    const later = new Date(at(4).getTime() + 2 * 60 * 60_000 + 1);
    expect(backupHealth(meta, settings, later)).toEqual({ state: 'overdue', lastOkAt: at(4).toISOString(), file: 'b2.db' });
  });
});

describe('the data key', () => {
  it('is never created anew while the database holds rows: the refusal names the backup to restore', () => {
    const keys = path.join(dataDir, 'fresh-keys');
    expect(() => loadOrCreateDataKeys(keys, { databaseHoldsRows: true, latestBackup: 'station-20261204T080500000Z.db' })).toThrow(
      /不会生成新密钥[\s\S]*station-20261204T080500000Z\.db/,
    );
    expect(fs.existsSync(keys)).toBe(false);
    const created = loadOrCreateDataKeys(keys, { databaseHoldsRows: false, latestBackup: null });
    expect(loadOrCreateDataKeys(keys, { databaseHoldsRows: true, latestBackup: null })).toEqual(created);
    expect(fs.statSync(path.join(keys, DATA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(keys)).toEqual([DATA_KEY_FILE]);
  });
});
