/**
 * Seals what rows written before migration 011 hold in clear: the doctor and department, each line's item, the
 * balance and the remotes' own words. Runs at the station's start, in batches (each its own transaction, so a
 * kill mid-way leaves every row either clear or sealed, never half), and is a cheap no-op afterwards: the
 * partial indexes of 011 hold exactly the rows still to seal.
 */
import type { Db } from '../store';
import type { FieldCipher } from '../security';
import { isSealed } from '../security';
import type { Care, Item } from './order-row';

const BATCH = 500;

interface LegacyOrder {
  id: string;
  doctor_name: string;
  dept_code: string;
  dept_name: string;
  balance_after_fen: number | null;
  reason_text: string;
  reason_note_text: string;
  detail: string;
}

interface LegacyLine extends Omit<Item, 'hisItemCode' | 'medListCodg'> {
  order_id: string;
  seq: number;
  his_item_code: string;
  med_list_codg: string;
}

export function sealLegacyRows(db: Db, cipher: FieldCipher): { orders: number; lines: number } {
  const index = (name: string) => cipher.blindIndex(`doctor:${name}`);
  const text = (t: string) => (t && !isSealed(t) ? cipher.seal(t) : t);
  const nextOrders = db.prepare(
    `SELECT id, doctor_name, dept_code, dept_name, balance_after_fen, reason_text, reason_note_text, detail
     FROM outpatient_orders WHERE care_sealed IS NULL LIMIT ${BATCH}`,
  );
  const sealOrder = db.prepare(
    `UPDATE outpatient_orders SET care_sealed = ?, doctor_index = ?, doctor_name = '', dept_code = '', dept_name = '',
       balance_sealed = ?, balance_after_fen = NULL, reason_text = ?, reason_note_text = ?, detail = ? WHERE id = ?`,
  );
  const nextLines = db.prepare(
    `SELECT order_id, seq, his_item_code, med_list_codg, name, spec, unit FROM outpatient_order_lines
     WHERE item_sealed IS NULL LIMIT ${BATCH}`,
  );
  const sealLine = db.prepare(
    `UPDATE outpatient_order_lines SET item_sealed = ?, his_item_code = '', med_list_codg = '', name = '', spec = '', unit = ''
     WHERE order_id = ? AND seq = ?`,
  );
  let orders = 0;
  let lines = 0;
  for (;;) {
    const n = db.transaction(() => {
      const rows = nextOrders.all() as LegacyOrder[];
      for (const r of rows) {
        const care: Care = { doctorName: r.doctor_name, deptCode: r.dept_code, deptName: r.dept_name };
        sealOrder.run(
          cipher.sealJson(care),
          index(r.doctor_name),
          r.balance_after_fen === null ? null : cipher.seal(String(r.balance_after_fen)),
          text(r.reason_text),
          text(r.reason_note_text),
          text(r.detail),
          r.id,
        );
      }
      return rows.length;
    })();
    orders += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = db.transaction(() => {
      const rows = nextLines.all() as LegacyLine[];
      for (const r of rows) {
        const item: Item = { hisItemCode: r.his_item_code, medListCodg: r.med_list_codg, name: r.name, spec: r.spec, unit: r.unit };
        sealLine.run(cipher.sealJson(item), r.order_id, r.seq);
      }
      return rows.length;
    })();
    lines += n;
    if (n < BATCH) break;
  }
  return { orders, lines };
}
