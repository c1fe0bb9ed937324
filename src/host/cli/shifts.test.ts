import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditRepo, OperatorsRepo, openDatabase } from '../../station/store';
import { ShiftService } from '../../station/shifts';
import { runStation } from '../../../test/harness/station-cli';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-shifts-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  let clock = new Date('2026-12-04T01:00:00.000Z');
  const operators = new OperatorsRepo(db);
  operators.insert({ id: 'sf001', name: '张敏', roles: ['cashier'], passwordHash: '!' }, clock);
  operators.insert({ id: 'sf002', name: '李娜', roles: ['cashier'], passwordHash: '!' }, clock);
  const shifts = new ShiftService({
    db,
    audit: new AuditRepo(db, 'st-1'),
    info: { stationId: 'st-1', institutionName: '医院', trainingMode: true },
    now: () => clock,
    timeZone: 'Asia/Shanghai',
    print: () => Promise.reject(new Error('no printer')),
  });
  const shift = shifts.open({ id: 'sf001', name: '张敏', role: 'cashier' });
  clock = new Date('2026-12-04T09:00:00.000Z');
  shifts.close({ id: 'sf001', name: '张敏', role: 'cashier', roles: ['cashier'] }, shift.id);
  shifts.open({ id: 'sf002', name: '李娜', role: 'cashier' });
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) => runStation(dataDir, ...args);

describe('npm run station -- shifts day', { timeout: 60_000 }, () => {
  it("lists the day's closed shifts and their totals by channel, and names the shifts still open", () => {
    const r = station('shifts', 'day', '2026-12-04');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('日结 2026-12-04 工作站 training：已交班 1 个');
    expect(r.stdout).toContain('张敏（sf001） 交班 2026-12-04T09:00:00.000Z  0 笔  净收 0.00 元');
    expect(r.stdout).toContain('微信：0 笔 0.00 元，退费 0 笔 0.00 元');
    expect(r.stdout).toContain('未交班（未计入）：李娜（sf002）');
    expect(station('shifts', 'day', '2026-12-03').stdout).toContain('已交班 0 个');
  });

  it('a day that is not yyyy-MM-dd is a wrong command line: the usage, exit 2', () => {
    const r = station('shifts', 'day', '12/04');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('shifts');
  });
});
