import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReceiptsConfig, RECEIPTS_DEFAULTS } from './print-settings';

const dirs: string[] = [];
function dataDir(config?: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'print-settings-'));
  dirs.push(dir);
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'station.config.json'), JSON.stringify(config));
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('readReceiptsConfig', () => {
  it('gives the defaults (system default printer, A5, one copy) to a station without a configuration', () => {
    expect(readReceiptsConfig(dataDir())).toEqual({ keepDays: 30, paper: 'A5', copies: 1 });
    expect(RECEIPTS_DEFAULTS).toEqual({ keepDays: 30, paper: 'A5', copies: 1 });
  });

  it('reads the printer, paper and copies of the receipts section, and nothing else of the file', () => {
    const dir = dataDir({ stationId: 'w1', nhsa: 'not looked at', receipts: { printer: ' XP-80C ', paper: '80mm', copies: 2 } });
    expect(readReceiptsConfig(dir)).toEqual({ keepDays: 30, printer: 'XP-80C', paper: '80mm', copies: 2 });
    expect(readReceiptsConfig(dataDir({ stationId: 'w1' }))).toEqual(RECEIPTS_DEFAULTS);
  });

  it('refuses a wrong section, naming the field', () => {
    expect(() => readReceiptsConfig(dataDir({ receipts: { paper: '76mm' } }))).toThrow(/打印设置无效：receipts\.paper/);
    expect(() => readReceiptsConfig(dataDir({ receipts: { copies: 9 } }))).toThrow(/receipts\.copies/);
    expect(() => readReceiptsConfig(dataDir({ receipts: { printers: 'x' } }))).toThrow(/无效/);
  });
});
