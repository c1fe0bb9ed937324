import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MobileOrdersRepo } from '../../station/mobile-pay';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security';
import { openDatabase } from '../../station/store';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-cli-mobilepay-'));
  const db = openDatabase(path.join(dataDir, 'station.db'));
  const orders = new MobileOrdersRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'))));
  const at = new Date('2026-12-04T02:00:00.000Z');
  const patient = { idNo: '350203196804122036', idType: '01', name: '陈建国', psnNo: 'P1', insutype: '310' };
  orders.insert({ id: 'MP1', kind: 'inpatient', visitNo: 'ZY1', payAuthNo: 'A1', patient, medfeeFen: 130_000 }, at);
  orders.update('MP1', { state: 'paid', pay_ord_id: 'ORD1', fund_fen: 90_000, acct_fen: 30_000, own_fen: 10_000 }, at);
  orders.book('MP1', 'paid', 'resolver', at);
  db.close();
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const station = (...args: string[]) =>
  spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/host/cli/index.ts', ...args, '--data-dir', dataDir],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );

describe('npm run station -- mobilepay', { timeout: 60_000 }, () => {
  it('lists the orders with their shares and bookings, without personal data', () => {
    const r = station('mobilepay', 'list');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('MP1  住院 ZY1  paid  总额 1300.00  基金 900.00 账户 300.00 自付 100.00  中心订单 ORD1  记账 paid:resolver');
    expect(r.stdout).not.toContain('陈建国');
  });

  it('show names an unknown order and exits 1', () => {
    const r = station('mobilepay', 'show', 'NOPE');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('没有订单 NOPE');
  });
});
