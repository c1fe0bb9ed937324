/** Which hospital ledger a composed station ships to: embedded by default, and never a hospital's from training. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStationCore } from '../core-entry';
import { openDatabase } from '../../station/store';
import { openHospitalLedger } from './ledger';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-wiring-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the hospital ledger a station joins', () => {
  it('training refuses to join a hospital ledger before it opens anything of the hospital', async () => {
    await expect(
      startStationCore({
        dataDir,
        training: true,
        shell: 'browser',
        kdfCost: { N: 2 ** 14, r: 8, p: 1 },
        ledger: { url: 'postgres://ledger.example/yibao' },
      }),
    ).rejects.toThrow('培训模式不接入医院总账');
  });

  it('the embedded ledger by default; a named ledger whose key file is missing stops the start, naming the file', () => {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    try {
      expect(openHospitalLedger(db, dataDir, undefined, () => new Date()).name).toBe('embedded');
      expect(() =>
        openHospitalLedger(db, dataDir, { url: 'postgres://localhost/yibao', keyFile: 'missing.json' }, () => new Date()),
      ).toThrow(path.join(dataDir, 'missing.json'));
    } finally {
      db.close();
    }
  });
});
