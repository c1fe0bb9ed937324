import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from './database';
import { OperatorsRepo } from './operators-repo';
import { holdsSealedRows, StationMetaRepo } from './station-meta';

const TRAINING_IDS = ['sf001', 'admin'];
const NOW = new Date('2026-12-04T08:00:00Z');
let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-meta-'));
  db = openDatabase(path.join(dir, 'station.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a database belongs to one mode', () => {
  it('records the mode of its first start and refuses the other mode afterwards, in Chinese', () => {
    new StationMetaRepo(db).claimMode('training', TRAINING_IDS, NOW);
    db.close();
    db = openDatabase(path.join(dir, 'station.db'));
    const meta = new StationMetaRepo(db);
    expect(meta.get('mode')).toBe('training');
    expect(() => meta.claimMode('live', TRAINING_IDS, NOW)).toThrow(/属于培训模式，不能以正式模式启动/);
    expect(() => meta.claimMode('training', TRAINING_IDS, NOW)).not.toThrow();
  });

  it('judges an unmarked database by its operators: training accounts refuse live, hospital accounts refuse training', () => {
    const ops = new OperatorsRepo(db);
    ops.insert({ id: 'sf001', name: '培训收费员', roles: ['cashier'], passwordHash: 'x' }, NOW);
    expect(() => new StationMetaRepo(db).claimMode('live', TRAINING_IDS, NOW)).toThrow(/属于培训模式/);
    db.prepare('DELETE FROM operators').run();
    ops.insert({ id: 'zhang01', name: '张收费', roles: ['cashier'], passwordHash: 'x' }, NOW);
    expect(() => new StationMetaRepo(db).claimMode('training', TRAINING_IDS, NOW)).toThrow(/属于正式模式/);
    new StationMetaRepo(db).claimMode('live', TRAINING_IDS, NOW);
    expect(new StationMetaRepo(db).get('mode')).toBe('live');
  });
});

describe('holdsSealedRows', () => {
  it('is false for a fresh schema and for operators added by IT before the first start; true once sealed data is stored', () => {
    new StationMetaRepo(db).claimMode('live', TRAINING_IDS, NOW);
    expect(holdsSealedRows(db)).toBe(false);
    new OperatorsRepo(db).insert({ id: 'zhang01', name: '张收费', roles: ['cashier'], passwordHash: 'x' }, NOW);
    expect(holdsSealedRows(db)).toBe(false);
    db.prepare(`INSERT INTO persons (psn_no, certno_index, sealed, updated_at) VALUES ('P1', 'i', 's1:x', ?)`).run(NOW.toISOString());
    expect(holdsSealedRows(db)).toBe(true);
  });
});
