import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditRepo, backupDatabase, openDatabase } from '../../station/store';
import { restoreBackup } from '../../station/backup';
import { backupSettingsForDir } from './backup';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-audit-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const audit = new AuditRepo(db, 'window-03');
  for (let i = 1; i <= 4; i++) audit.append({ operatorId: 'sf001', action: `op${i}`, outcome: 'ok' }, new Date());
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const verify = () =>
  spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/host/cli/index.ts', 'audit', 'verify', '--data-dir', dataDir],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );

describe('npm run station -- audit verify', { timeout: 60_000 }, () => {
  it('reports an intact trail with exit 0, and the first broken row with exit 4', () => {
    const intact = verify();
    expect(intact.stdout).toContain('audit trail intact: 4 rows');
    expect(intact.status).toBe(0);

    const raw = new Database(path.join(dataDir, 'station.db'));
    raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET operator_id = 'admin' WHERE id = 2");
    raw.close();
    const broken = verify();
    expect(broken.stdout).toContain('audit trail BROKEN at row 2');
    expect(broken.status).toBe(4);
  });

  it('a trail cut short (the newest rows removed) still chains, but no longer holds the head a backup saw: exit 4', async () => {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    await backupDatabase(db, path.join(dataDir, 'backups'), new Date());
    db.close();
    expect(verify().status).toBe(0);

    const raw = new Database(path.join(dataDir, 'station.db'));
    raw.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= 3');
    raw.close();
    const cut = verify();
    expect(cut.stdout).toContain('audit trail BROKEN: 2 rows chain, but 1 backup(s) saw more or other rows');
    expect(cut.stdout).toContain('第 4 行在本库中已不存在');
    expect(cut.status).toBe(4);
  });

  it('backups of a database a restore replaced are not held against it', async () => {
    const t = Date.UTC(2026, 11, 4, 8, 0, 0);
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const a = await backupDatabase(db, path.join(dataDir, 'backups'), new Date(t));
    new AuditRepo(db, 'window-03').append({ operatorId: 'sf001', action: 'op5', outcome: 'ok' }, new Date());
    await backupDatabase(db, path.join(dataDir, 'backups'), new Date(t + 60_000)); // saw row 5
    db.close();
    restoreBackup(dataDir, backupSettingsForDir(dataDir), a.name, new Date(t + 120_000));
    const after = verify();
    expect(after.stdout).toContain('audit trail intact: 4 rows');
    expect(after.status).toBe(0);
  });
});
