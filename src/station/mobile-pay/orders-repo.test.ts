/**
 * The insured person number the finance lists find a phone's order by (migration 036): written with every new order,
 * and filled in once from the sealed patient for an order written before the column existed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { openDatabase, type Db } from '../store';
import { MobileOrdersRepo } from './orders-repo';

let dir: string;
let db: Db;
let orders: MobileOrdersRepo;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobile-orders-repo-'));
  db = openDatabase(path.join(dir, 'station.db'));
  orders = new MobileOrdersRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const order = (id: string, psnNo: string) => ({
  id,
  kind: 'outpatient' as const,
  visitNo: `V${id}`,
  payAuthNo: 'AUTH',
  patient: { idNo: '350211195203054010', idType: '01', name: '黄志强', psnNo, insutype: '390' },
  medfeeFen: 12_000,
});

describe('a mobile order’s person number', () => {
  it('is written with the order, and filled in once for an order from before migration 036', () => {
    orders.insert(order('MP1', 'P-NEW'), new Date());
    orders.insert(order('MP2', 'P-OLD'), new Date());
    db.prepare(`UPDATE mobile_pay_orders SET psn_no = NULL WHERE id = 'MP2'`).run();
    expect([orders.get('MP1')!.psn_no, orders.get('MP2')!.psn_no]).toEqual(['P-NEW', null]);
    expect(orders.fillPersonNumbers()).toBe(1);
    expect([orders.get('MP1')!.psn_no, orders.get('MP2')!.psn_no]).toEqual(['P-NEW', 'P-OLD']);
    expect(orders.fillPersonNumbers()).toBe(0);
  });
});
