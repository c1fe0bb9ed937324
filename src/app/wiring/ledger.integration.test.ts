/** Which hospital ledger a composed station ships to: embedded by default, and never a hospital's from training. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStationCore } from '../core-entry';
import { openDatabase } from '../../station/store';
import { FinanceFilter } from '../../shared/finance-lists';
import { openHospitalLedger, openOfficeFinanceQuery, stationHospitalLookup } from './ledger';

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

  it('the hospital-wide lookup key comes from the key files: a station tokens with the current one, an office without one refuses a patient', async () => {
    const key = { id: 'HK20261201-01', key: '7c'.repeat(32) };
    const older = { id: 'HK20250101-01', key: '8d'.repeat(32) };
    fs.writeFileSync(
      path.join(dataDir, 'ledger-keys.json'),
      JSON.stringify({ user: 'w01', password: 'w01-secret-123', lookupKeys: [key, older] }),
    );
    fs.writeFileSync(path.join(dataDir, 'office.json'), JSON.stringify({ user: 'office', password: 'office-secret-1' }));
    const url = 'postgres://127.0.0.1:1/yibao';
    expect(stationHospitalLookup(dataDir, undefined)).toBeUndefined(); // embedded: this station's own ledger
    expect(stationHospitalLookup(dataDir, { url })?.keyId).toBe(key.id);
    const office = openOfficeFinanceQuery(dataDir, { url, officeKeyFile: 'office.json' }, 'Asia/Shanghai')!;
    try {
      const filter = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-01', patient: '张三' });
      // refused before any query: the message says what is missing and where it goes
      await expect(
        office.page({ list: 'payments', filter, sort: 'time-desc', limit: 10, offset: 0 }, { roles: ['admin'] }),
      ).rejects.toThrow('keys lookup-import');
    } finally {
      await office.close();
    }
  });
});
