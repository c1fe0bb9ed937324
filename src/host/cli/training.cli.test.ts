/** The trainer's commands as run: a spawned `station` CLI on a real data dir (issue 12, item 3). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openDatabase, StationMetaRepo } from '../../station/store';
import { TRAINING_KEY_FILE } from '../../app/training-rig';
import { TRAINING_ROSTER } from '../../app/training-roster';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
let dataDir: string;

function station(...args: string[]) {
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const r = spawnSync(process.execPath, [tsx, path.join(root, 'src/host/cli/index.ts'), 'training', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** A stopped data dir as training leaves it: its keys, a database in `mode`, the simulators' ledgers. */
function trainingDir(mode: 'training' | 'live'): void {
  fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, TRAINING_KEY_FILE), '{"kept":true}');
  const db = openDatabase(path.join(dataDir, 'station.db'));
  new StationMetaRepo(db).set('mode', mode, new Date());
  db.close();
  fs.mkdirSync(path.join(dataDir, 'simulators'));
  fs.writeFileSync(path.join(dataDir, 'simulators', 'his.db'), 'ledger');
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-training-cli-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run station -- training', { timeout: 60_000 }, () => {
  it('reset removes the training database and ledgers, keeps the keys', () => {
    trainingDir('training');
    const r = station('reset');
    expect(r.out).toContain('培训数据已还原');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'station.db'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'simulators'))).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, TRAINING_KEY_FILE), 'utf8')).toBe('{"kept":true}');
  });

  it('reset refuses a live database and touches nothing', () => {
    trainingDir('live');
    const r = station('reset');
    expect(r.out).toContain('正式模式的数据库');
    expect(r.code).toBe(1);
    expect(fs.existsSync(path.join(dataDir, 'station.db'))).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'simulators', 'his.db'), 'utf8')).toBe('ledger');
  });

  it('refill adds nothing while every patient still has an unpaid order (a new HIS seeds one round each)', () => {
    trainingDir('training');
    fs.rmSync(path.join(dataDir, 'simulators'), { recursive: true });
    const r = station('refill');
    expect(r.out).toContain('未新开');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'simulators', 'his.db'))).toBe(true);
  });

  it('list prints every training patient with ID number and scenario', () => {
    const r = station('list');
    expect(r.code).toBe(0);
    for (const p of TRAINING_ROSTER) expect(r.out).toContain(`${p.idNo}  `);
    expect(r.out.trim().split('\n')).toHaveLength(TRAINING_ROSTER.length);
  });
});
