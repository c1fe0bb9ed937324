import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDataKeys } from '../../station/security';
import { AuditRepo, MIGRATIONS, openDatabase } from '../../station/store';
import { openStationDb, stationConfigIfAny, stationDbFile } from './station-db';

let dir: string;
let stderr: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-db-'));
  stderr = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => void stderr.push(line));
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A data dir as a station leaves it: its database with a row, closed. */
function stationDir(): void {
  const db = openDatabase(stationDbFile(dir));
  new AuditRepo(db, 'test').append({ operatorId: null, action: 'test', outcome: 'ok', detail: '' }, new Date());
  db.close();
}

const userVersion = () => {
  const db = openDatabase(stationDbFile(dir), []);
  try {
    return db.pragma('user_version', { simple: true });
  } finally {
    db.close();
  }
};

describe('openStationDb', () => {
  it('says a missing database on stderr with exit code 1 and creates nothing', () => {
    expect(openStationDb(dir)).toBeNull();
    expect(stderr).toEqual([`no station database in ${dir} (use --data-dir)`]);
    expect(process.exitCode).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('passes over a missing database in silence when it is optional', () => {
    expect(openStationDb(dir, { optional: true })).toBeNull();
    expect(stderr).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });

  it('opens a present database read-write and migrated, as the station does', () => {
    fs.writeFileSync(stationDbFile(dir), '');
    const station = openStationDb(dir);
    expect(station).not.toBeNull();
    try {
      expect(station!.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      new AuditRepo(station!.db, 'cli').append({ operatorId: null, action: 'test', outcome: 'ok', detail: '' }, new Date());
      expect(station!.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    } finally {
      station!.db.close();
    }
    expect(process.exitCode).toBeUndefined();
  });

  it('reads the configuration before opening: one that throws leaves the database untouched', () => {
    fs.writeFileSync(stationDbFile(dir), '');
    const refused = () => {
      throw new Error('bad config');
    };
    expect(() => openStationDb(dir, { readConfig: refused })).toThrow('bad config');
    expect(userVersion()).toBe(0);
    const station = openStationDb(dir, { readConfig: stationConfigIfAny });
    expect(station?.config).toBeNull(); // a training dir: no config file
    station?.db.close();
  });

  it('reads the data key only when asked, and never makes a new one for a database with rows', () => {
    stationDir();
    const keys = path.join(dir, 'keys');
    const station = openStationDb(dir)!;
    try {
      expect(fs.existsSync(keys)).toBe(false);
      expect(() => station.cipher()).toThrow(/数据密钥文件 .* 不存在/);
      expect(fs.existsSync(keys)).toBe(false);
      loadOrCreateDataKeys(keys);
      const cipher = station.cipher();
      expect(station.cipher()).toBe(cipher);
    } finally {
      station.db.close();
    }
  });
});
