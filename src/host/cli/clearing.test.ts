import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../station/store';
import { runStation } from '../../../test/harness/station-cli';

let dataDir: string;

const rows = [
  {
    status: 'agree',
    setlId: 'S-1',
    mdtrtId: 'M-1',
    centre: { medfeeFen: 5300, optinsFen: 3000 },
    station: null,
    confirmed: true,
    memo: '',
  },
  {
    status: 'differ',
    setlId: 'S-2',
    mdtrtId: 'M-2',
    centre: { medfeeFen: 5300, optinsFen: 3000 },
    station: null,
    confirmed: false,
    memo: '统筹对不上',
  },
];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-clearing-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const insert = db.prepare(
    `INSERT INTO clearing_runs (month, at, operator_id, action, outcome, error, inf_refmsgid, totals_json, rows_json) VALUES (?, ?, 'yb01', ?, ?, ?, ?, ?, ?)`,
  );
  const totals = JSON.stringify({ rows: 2, confirmed: 1, medfeeFen: 5300, optinsFen: 3000, differences: 1 });
  insert.run(
    '2026-11',
    '2026-12-05T01:00:00.000Z',
    'confirm',
    'done',
    null,
    '350200202612050900000000000001',
    totals,
    JSON.stringify(rows),
  );
  insert.run(
    '2026-11',
    '2026-12-05T02:00:00.000Z',
    'confirm',
    'failed',
    '异地清分结果确认 (3261)被拒绝：2026-11清分结果已确认',
    null,
    totals,
    '[]',
  );
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) => runStation(dataDir, ...args);

describe('npm run station -- clearing show', { timeout: 60_000 }, () => {
  it('shows the month as kept: confirmed (a refused second confirm does not undo it), each run, the differences', () => {
    const r = station('clearing', 'show', '2026-11');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('异地清分 2026-11：已确认，受理时间 2026-12-05 至 2026-12-08');
    expect(r.stdout).toContain('确认 完成  中心 2 笔，纳入 1 笔 53.00 元，差异 1 笔');
    expect(r.stdout).toContain('确认 未成：异地清分结果确认 (3261)被拒绝');
    expect(r.stdout).toContain('金额不一致 S-2 统筹对不上');
    expect(r.stdout).not.toContain('S-1');
    expect(station('clearing', 'show', '2026-10').stdout).toContain('异地清分 2026-10：未确认，受理时间 2026-11-05 至 2026-11-08');
  });

  it('a month that is not yyyy-MM is a wrong command line: the usage, exit 2', () => {
    const r = station('clearing', 'show', '2026-13');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('clearing');
  });
});
