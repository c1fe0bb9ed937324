/**
 * Issue 11, item 8: what an order says about a patient's health and money never reaches the disk in clear — the
 * doctor, the department, the items, the balance and a remote's own words — neither for new orders nor for rows
 * written before migration 11 (sealed at the next start). Checked on the bytes of the real database file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { MIGRATIONS, openDatabase, type Db } from '../store';
import { OrdersRepo } from './orders-repo';
import { sealLegacyRows } from './seal-legacy-rows';
import { sagaKit, type SagaKit } from './testing/saga-kit';

const ID_NUMBER = '350203198503120011';
/** What the saga kit's HIS order and the centre's answer carry, and a refusal that quotes the patient. */
const CLEAR = ['林医生', '内科', '阿莫西林胶囊', ID_NUMBER, '陈建国'];

let kit: SagaKit | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await kit?.close();
  kit = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every clear text that can be found in the database file and its WAL after a checkpoint. */
function clearTextOnDisk(db: Db, file: string): string[] {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
  return CLEAR.filter((text) => bytes.includes(Buffer.from(text, 'utf8')));
}

describe('personal and health data of an order at rest', () => {
  it('a settled order keeps its doctor, department, items, balance and the remote words sealed, and reads them back', async () => {
    kit = sagaKit();
    kit.centre.acceptsAll({ total: 5300, fund: 3000, acct: 1300, cash: 1000 });
    const id = await kit.awaitingPayment(5300);
    kit.orders.update(
      id,
      { reason: { code: 'his-refused', text: `陈建国(${ID_NUMBER})参保状态异常`, note: null, noteText: '' } },
      kit.clock.now,
    );

    expect(clearTextOnDisk(kit.db, path.join(kit.dir, 'station.db'))).toEqual([]);
    const raw = kit.db
      .prepare('SELECT doctor_name, dept_name, balance_after_fen, balance_sealed FROM outpatient_orders WHERE id = ?')
      .get(id);
    expect(raw).toEqual({ doctor_name: '', dept_name: '', balance_after_fen: null, balance_sealed: expect.stringMatching(/^s1:/) });

    const order = kit.orders.get(id)!;
    expect({ doctor: order.doctorName, dept: order.deptName, item: order.lines[0]!.name, code: order.lines[0]!.medListCodg }).toEqual({
      doctor: '林医生',
      dept: '内科',
      item: '阿莫西林胶囊',
      code: 'X01',
    });
    expect(order.split!.balanceAfterFen).toBe(10_000);
    expect(order.reason!.text).toBe(`陈建国(${ID_NUMBER})参保状态异常`);
  });

  it("the doctor station finds the doctor's orders through the blind index", async () => {
    kit = sagaKit();
    const id = kit.addOrder(1200);
    const since = new Date(kit.clock.now.getTime() - 60_000);
    expect(kit.orders.today(since, { operatorId: 'someone-else', doctorName: '林医生' }).map((o) => o.id)).toEqual([id]);
    expect(kit.orders.today(since, { operatorId: 'someone-else', doctorName: '王医生' })).toEqual([]);
  });

  it('rows written before migration 11 are sealed at the next start, and read the same before and after', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealed-legacy-'));
    dirs.push(dir);
    const file = path.join(dir, 'station.db');
    const old = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version < 11),
    );
    const at = '2026-11-30T02:00:00.000Z';
    old.exec(`
      INSERT INTO operators (id, name, role, password_hash, created_at) VALUES ('sf001', '张敏', 'cashier', 'x', '${at}');
      INSERT INTO persons (psn_no, certno_index, sealed, updated_at) VALUES ('P1', 'i', 's1:x', '${at}');
      INSERT INTO identifications (id, at, operator_id, method, cert_type, psn_no, insuplc_admdvs, msgid)
        VALUES ('ident-1', '${at}', 'sf001', 'idcard', '02', 'P1', '350200', 'M1');`);
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    old
      .prepare(
        `INSERT INTO outpatient_orders (id, his_order_no, identification_id, psn_no, insutype, insuplc_admdvs, cert_sealed, operator_id,
           doctor_name, dept_code, dept_name, state, total_fen, fund_fen, balance_after_fen, reason_code, reason_text, created_at, updated_at)
         VALUES ('o-1', 'MZ1', 'ident-1', 'P1', '310', '350200', ?, 'sf001', '林医生', '03', '内科', 'failed', 5300, 3000, 10000,
           'his-refused', ?, ?, ?)`,
      )
      .run(cipher.sealJson({ type: '02', no: ID_NUMBER }), `陈建国(${ID_NUMBER})参保状态异常`, at, at);
    old
      .prepare(
        `INSERT INTO outpatient_order_lines (order_id, seq, feedetl_sn, his_item_code, med_list_codg, name, spec, unit, quantity,
           unit_price_fen, amount_fen) VALUES ('o-1', 1, 'MZ1-1', 'H1', 'X01', '阿莫西林胶囊', '0.25g', '盒', '1', 5300, 5300)`,
      )
      .run();
    old.close();

    const db = openDatabase(file);
    const orders = new OrdersRepo(db, cipher);
    const before = orders.get('o-1');
    expect(before!.doctorName).toBe('林医生'); // readable between the upgrade and the sealing

    expect(sealLegacyRows(db, cipher)).toEqual({ orders: 1, lines: 1 });
    expect(sealLegacyRows(db, cipher)).toEqual({ orders: 0, lines: 0 });
    expect(orders.get('o-1')).toEqual(before);
    expect(db.prepare(`SELECT doctor_name, dept_code, balance_after_fen, reason_text FROM outpatient_orders`).get()).toEqual({
      doctor_name: '',
      dept_code: '',
      balance_after_fen: null,
      reason_text: expect.stringMatching(/^s1:/),
    });
    expect(db.prepare(`SELECT his_item_code, med_list_codg, name, spec FROM outpatient_order_lines`).get()).toEqual({
      his_item_code: '',
      med_list_codg: '',
      name: '',
      spec: '',
    });
    expect(orders.today(new Date('2026-11-30T00:00:00Z'), { operatorId: 'x', doctorName: '林医生' }).map((o) => o.id)).toEqual(['o-1']);
    expect(clearTextOnDisk(db, file)).toEqual([]);
    db.close();
  });
});
