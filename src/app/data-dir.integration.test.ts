/**
 * What a start refuses in a data dir (issue 11), on real files: a database of the other mode, a missing data
 * key beside rows, a damaged database. Each refusal is Chinese and says what to do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStationCore } from './core-entry';
import { openDatabase } from '../station/store';
import { backupNow } from '../station/backup';

const KDF = { N: 2 ** 14, r: 8, p: 1 };
let dataDir: string;
const start = (training: boolean) => startStationCore({ dataDir, training, shell: 'browser', kdfCost: KDF, nhsaTimeoutMs: 2000 });

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-datadir-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('a start refuses', () => {
  it('a training database for a live start (and keeps the files owner-only)', async () => {
    const training = await start(true);
    const config = training.config;
    await training.close();
    // Linux modes (CI runs Linux; on Windows the ACLs of docs/operations.md do this).
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'station.db')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'keys', 'station-data.key')).mode & 0o777).toBe(0o600);
    fs.writeFileSync(path.join(dataDir, 'station.config.json'), JSON.stringify(config));
    await expect(start(false)).rejects.toThrow(/属于培训模式，不能以正式模式启动/);
    expect(fs.existsSync(path.join(dataDir, 'station.lock'))).toBe(false);
  });

  it('to create a new data key beside sealed rows, naming the latest backup', async () => {
    await (await start(true)).close();
    const db = openDatabase(path.join(dataDir, 'station.db'));
    // a patient identified: a sealed row only the old key opens (operators alone would not need the key)
    db.prepare(`INSERT INTO persons (psn_no, certno_index, sealed, updated_at) VALUES ('P1', 'i', 's1:x', ?)`).run(
      new Date().toISOString(),
    );
    const backup = await backupNow(
      db,
      dataDir,
      { dir: path.join(dataDir, 'backups'), keyDir: path.join(dataDir, 'backups', 'keys'), everyMinutes: 60, keep: 5 },
      new Date(),
    );
    db.close();
    fs.rmSync(path.join(dataDir, 'keys', 'station-data.key'));
    const refusal = start(true);
    await expect(refusal).rejects.toThrow(/不会生成新密钥/);
    await expect(refusal).rejects.toThrow(backup.name);
    expect(fs.existsSync(path.join(dataDir, 'keys', 'station-data.key'))).toBe(false);
  });

  it('a database that fails its integrity check', async () => {
    await (await start(true)).close();
    const file = path.join(dataDir, 'station.db');
    const db = openDatabase(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    // Overwrite every page after the schema's first two with garbage: the tables' b-trees no longer parse.
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 2 * pageSize);
    fs.writeFileSync(file, bytes);
    await expect(start(true)).rejects.toThrow(/数据库 .*station\.db 未通过完整性检查/);
  });
});
