import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneReceipts } from './receipt-retention';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2026-12-04T04:00:00Z');
function slip(name: string, ageDays: number): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '%PDF-1.7');
  const at = new Date(NOW.getTime() - ageDays * 86_400_000);
  fs.utimesSync(file, at, at);
}

describe('saved slips are kept for their days only', () => {
  it("removes the station's slips older than keepDays and nothing else", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipts-'));
    slip('结算单-MZ001-20261001093000.pdf', 64);
    slip('结算单-MZ002-20261103093000.pdf', 31);
    slip('结算单-MZ003-20261120093000.pdf', 14);
    slip('结算单-MZ004-20261204093000.pdf', 0);
    slip('医院通知.pdf', 90); // not the station's
    fs.mkdirSync(path.join(dir, '结算单-folder.pdf')); // not a file
    expect(pruneReceipts(dir, 30, NOW).removed.sort()).toEqual(['结算单-MZ001-20261001093000.pdf', '结算单-MZ002-20261103093000.pdf']);
    expect(fs.readdirSync(dir).sort()).toEqual([
      '医院通知.pdf',
      '结算单-MZ003-20261120093000.pdf',
      '结算单-MZ004-20261204093000.pdf',
      '结算单-folder.pdf',
    ]);
    expect(pruneReceipts(dir, 30, NOW).removed).toEqual([]);
  });

  it('a missing folder is nothing to do', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipts-'));
    expect(pruneReceipts(path.join(dir, 'none'), 30, NOW)).toEqual({ removed: [] });
  });
});
