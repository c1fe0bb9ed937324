/** The backup commands as IT runs them: a spawned `station` CLI on a real data dir. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { openDatabase, OperatorsRepo, StationMetaRepo } from '../../station/store';
import { loadOrCreateDataKeys } from '../../station/security';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
let dataDir: string;

function station(...args: string[]) {
  // tsx's CLI under this Node, not `npx` (which adds its own start-up to each of the many spawns here).
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const r = spawnSync(process.execPath, [tsx, path.join(root, 'src/host/cli/index.ts'), 'backup', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

function operatorIds(): string[] {
  const db = openDatabase(path.join(dataDir, 'station.db'));
  try {
    return (db.prepare('SELECT id FROM operators ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

function addOperator(id: string): void {
  const db = openDatabase(path.join(dataDir, 'station.db'));
  new OperatorsRepo(db).insert({ id, name: id, roles: ['cashier'], passwordHash: 'x' }, new Date());
  db.close();
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-backup-cli-'));
  loadOrCreateDataKeys(path.join(dataDir, 'keys'), { databaseHoldsRows: false, latestBackup: null });
  addOperator('before');
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Each case spawns the CLI several times: seconds each on a loaded 2-core machine.
describe('npm run station -- backup', { timeout: 90_000 }, () => {
  it('backs up, lists, checks, refuses a restore under a running station, then restores and keeps the old file aside', async () => {
    expect(station('check').code).toBe(1); // no backup yet
    const now = station('now');
    expect(now.code).toBe(0);
    const name = /backup .*(station-\d{8}T\d{9}Z\.db)/.exec(now.out)![1]!;
    expect(station('list').out).toContain(name);
    const check = station('check');
    expect(check.out).toContain('ok');
    expect(check.code).toBe(0);

    addOperator('after');
    const running = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dataDir, 'station.lock'), String(running.pid));
      const refused = station('restore', name);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('工作站正在使用数据目录');
      expect(operatorIds()).toEqual(['after', 'before']);
    } finally {
      running.kill('SIGKILL');
      await new Promise((resolve) => running.once('exit', resolve));
    }

    const restored = station('restore', name);
    expect(restored.code).toBe(0);
    expect(operatorIds()).toEqual(['before']);
    const aside = /kept in (\S+)/.exec(restored.out)![1]!;
    expect(fs.existsSync(path.join(aside, 'station.db'))).toBe(true);
    const db = openDatabase(path.join(dataDir, 'station.db'));
    expect(new StationMetaRepo(db).restoreMarker()?.file).toBe(name);
    db.close();
  });

  it('check fails when the key copy no longer matches the data key', () => {
    expect(station('now').code).toBe(0);
    fs.writeFileSync(path.join(dataDir, 'backups', 'keys', 'station-data.key'), '{}');
    const check = station('check');
    expect(check.code).toBe(1);
    expect(check.out).toContain('differs from the data key');
  });

  it('a backup that fails (the backup folder gone) is recorded: check names the failure until the next backup works', () => {
    expect(station('now').code).toBe(0);
    const backups = path.join(dataDir, 'backups');
    fs.renameSync(backups, `${backups}.away`);
    fs.writeFileSync(backups, 'a file where the folder was: the share is not mounted'); // mkdir and writes fail
    const failed = station('now');
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('backup failed');
    fs.rmSync(backups);
    fs.renameSync(`${backups}.away`, backups);
    const check = station('check');
    expect(check.code).toBe(1);
    expect(check.out).toMatch(/backups failing since \S+ \(last good \S+\): /);

    expect(station('now').code).toBe(0);
    expect(station('check').code).toBe(0);
  });
});
