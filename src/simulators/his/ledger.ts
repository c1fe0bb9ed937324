/**
 * The HIS's own ledger (SQLite): patients, orders with their prescriptions and lines, and settlements. Money is
 * integer fen here; the wire carries yuan text. Times are epoch ms of the simulator's clock.
 */
import { SqliteLedger } from '../pay-channel/sqlite-ledger';

export type OrderState = 'unpaid' | 'paid' | 'expired' | 'refunded';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS patient (
  patient_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  card_no TEXT NOT NULL UNIQUE,
  id_no TEXT NOT NULL UNIQUE,
  psn_no TEXT,
  phone TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS his_order (
  order_no TEXT PRIMARY KEY,
  visit_no TEXT NOT NULL,
  patient_id TEXT NOT NULL REFERENCES patient(patient_id),
  dept_code TEXT NOT NULL,
  dept_name TEXT NOT NULL,
  doctor_code TEXT NOT NULL,
  doctor_name TEXT NOT NULL,
  state TEXT NOT NULL,
  total_fen INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expire_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  settle_id TEXT
);
CREATE TABLE IF NOT EXISTS prescription (
  rx_no TEXT PRIMARY KEY,
  order_no TEXT NOT NULL REFERENCES his_order(order_no),
  rx_type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS line (
  rx_no TEXT NOT NULL REFERENCES prescription(rx_no),
  line_no INTEGER NOT NULL,
  item_type TEXT NOT NULL,
  hosp_code TEXT NOT NULL,
  med_list_codg TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  unit TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit_price_fen INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,
  PRIMARY KEY (rx_no, line_no)
);
CREATE TABLE IF NOT EXISTS settlement (
  settle_id TEXT PRIMARY KEY,           -- the station's id: the idempotency key
  order_no TEXT NOT NULL REFERENCES his_order(order_no),
  kind TEXT NOT NULL,                   -- insured | selfpay
  fingerprint TEXT NOT NULL,
  his_settle_no TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,                  -- settled | cancelled
  medfee_fen INTEGER NOT NULL,
  fund_fen INTEGER NOT NULL,
  acct_fen INTEGER NOT NULL,
  cash_fen INTEGER NOT NULL,
  mdtrt_id TEXT NOT NULL,
  setl_id TEXT NOT NULL,
  payments TEXT NOT NULL,               -- JSON [{pay_channel, out_trade_no, transaction_id, amount_fen}]
  invoice_no TEXT NOT NULL,
  pickup_window TEXT NOT NULL,
  settled_at INTEGER NOT NULL,
  cancel_id TEXT,
  cancelled_at INTEGER
);
CREATE TABLE IF NOT EXISTS refund_application (
  refund_id TEXT PRIMARY KEY,           -- the station's id: the idempotency key
  settle_id TEXT NOT NULL REFERENCES settlement(settle_id),
  reason TEXT NOT NULL,
  state TEXT NOT NULL,                  -- approved | withdrawn | done
  applied_at INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
);
-- A registration (挂号): the order that carries its fee; once the doctor has seen the patient it cannot be undone (退号).
CREATE TABLE IF NOT EXISTS registration (
  order_no TEXT PRIMARY KEY REFERENCES his_order(order_no),
  consulted_at INTEGER
);
CREATE TABLE IF NOT EXISTS dispensed (
  order_no TEXT PRIMARY KEY REFERENCES his_order(order_no),
  dispensed_at INTEGER NOT NULL
);
-- The pharmacy hands out one line's drug (已发药): that line can no longer be refunded.
CREATE TABLE IF NOT EXISTS dispensed_line (
  rx_no TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  dispensed_at INTEGER NOT NULL,
  PRIMARY KEY (rx_no, line_no)
);
-- The lines a partial refund (部分退费) takes back; refunded once its application is done.
CREATE TABLE IF NOT EXISTS refund_line (
  refund_id TEXT NOT NULL REFERENCES refund_application(refund_id),
  rx_no TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  PRIMARY KEY (refund_id, rx_no, line_no)
);
-- A partial refund's confirmation: the booking of the lines that remain, under the station's new settle_id.
CREATE TABLE IF NOT EXISTS refund_resettlement (
  refund_id TEXT PRIMARY KEY REFERENCES refund_application(refund_id),
  settle_id TEXT NOT NULL REFERENCES settlement(settle_id)
);
`;

export interface PatientRow {
  patient_id: string;
  name: string;
  gender: '1' | '2';
  birth_date: string;
  card_no: string;
  id_no: string;
  psn_no: string | null;
  phone: string;
}

export interface OrderRow {
  order_no: string;
  visit_no: string;
  patient_id: string;
  dept_code: string;
  dept_name: string;
  doctor_code: string;
  doctor_name: string;
  state: OrderState;
  total_fen: number;
  created_at: number;
  expire_at: number;
  changed_at: number;
  settle_id: string | null;
}

export interface PrescriptionRow {
  rx_no: string;
  order_no: string;
  rx_type: string;
}

export interface LineRow {
  rx_no: string;
  line_no: number;
  item_type: 'drug' | 'item';
  hosp_code: string;
  med_list_codg: string;
  name: string;
  spec: string;
  unit: string;
  quantity: string;
  unit_price_fen: number;
  amount_fen: number;
}

/** A line of an order, named as HIS names it. */
export interface LineKey {
  rx_no: string;
  line_no: number;
}

export interface PaymentEntry {
  pay_channel: string;
  out_trade_no: string;
  transaction_id: string;
  amount_fen: number;
}

export interface SettlementRow {
  settle_id: string;
  order_no: string;
  kind: 'insured' | 'selfpay';
  fingerprint: string;
  his_settle_no: string;
  state: 'settled' | 'cancelled';
  medfee_fen: number;
  fund_fen: number;
  acct_fen: number;
  cash_fen: number;
  mdtrt_id: string;
  setl_id: string;
  payments: string;
  invoice_no: string;
  pickup_window: string;
  settled_at: number;
  cancel_id: string | null;
  cancelled_at: number | null;
}

export interface RefundApplicationRow {
  refund_id: string;
  settle_id: string;
  reason: string;
  state: 'approved' | 'withdrawn' | 'done';
  applied_at: number;
  changed_at: number;
}

export class HisLedger extends SqliteLedger {
  constructor(path: string) {
    super(path, { schema: SCHEMA, foreignKeys: true });
  }

  isEmpty(): boolean {
    return this.db.prepare(`SELECT 1 FROM patient LIMIT 1`).get() === undefined;
  }

  insertPatient(row: PatientRow): void {
    this.db.prepare(`INSERT INTO patient VALUES (@patient_id, @name, @gender, @birth_date, @card_no, @id_no, @psn_no, @phone)`).run(row);
  }

  patientBy(column: 'patient_id' | 'card_no' | 'id_no', value: string): PatientRow | undefined {
    return this.db.prepare<[string], PatientRow>(`SELECT * FROM patient WHERE ${column} = ?`).get(value);
  }

  patients(): PatientRow[] {
    return this.db.prepare<[], PatientRow>(`SELECT * FROM patient ORDER BY patient_id`).all();
  }

  insertOrder(order: OrderRow, prescriptions: { rx: PrescriptionRow; lines: LineRow[] }[]): void {
    this.db
      .prepare(
        `INSERT INTO his_order VALUES (@order_no, @visit_no, @patient_id, @dept_code, @dept_name, @doctor_code, @doctor_name, @state, @total_fen, @created_at, @expire_at, @changed_at, @settle_id)`,
      )
      .run(order);
    for (const { rx, lines } of prescriptions) {
      this.db.prepare(`INSERT INTO prescription VALUES (@rx_no, @order_no, @rx_type)`).run(rx);
      for (const line of lines) {
        this.db
          .prepare(
            `INSERT INTO line VALUES (@rx_no, @line_no, @item_type, @hosp_code, @med_list_codg, @name, @spec, @unit, @quantity, @unit_price_fen, @amount_fen)`,
          )
          .run(line);
      }
    }
  }

  insertRegistration(orderNo: string): void {
    this.db.prepare(`INSERT INTO registration (order_no) VALUES (?)`).run(orderNo);
  }

  /** The order's registration, if the order carries one's fee. */
  registration(orderNo: string): { consulted_at: number | null } | undefined {
    return this.db
      .prepare<[string], { consulted_at: number | null }>(`SELECT consulted_at FROM registration WHERE order_no = ?`)
      .get(orderNo);
  }

  markConsulted(orderNo: string, at: number): void {
    this.db.prepare(`UPDATE registration SET consulted_at = ? WHERE order_no = ?`).run(at, orderNo);
  }

  order(orderNo: string): OrderRow | undefined {
    return this.db.prepare<[string], OrderRow>(`SELECT * FROM his_order WHERE order_no = ?`).get(orderNo);
  }

  orders(where: { patientId?: string; state?: OrderState; changedSince?: number } = {}): OrderRow[] {
    return this.db
      .prepare<[{ patient: string | null; state: string | null; since: number | null }], OrderRow>(
        `SELECT * FROM his_order
         WHERE (@patient IS NULL OR patient_id = @patient) AND (@state IS NULL OR state = @state) AND (@since IS NULL OR changed_at >= @since)
         ORDER BY created_at, order_no`,
      )
      .all({ patient: where.patientId ?? null, state: where.state ?? null, since: where.changedSince ?? null });
  }

  setOrderState(orderNo: string, state: OrderState, at: number, settleId: string | null): void {
    this.db.prepare(`UPDATE his_order SET state = ?, changed_at = ?, settle_id = ? WHERE order_no = ?`).run(state, at, settleId, orderNo);
  }

  prescriptions(orderNo: string): { rx: PrescriptionRow; lines: LineRow[] }[] {
    const rxs = this.db.prepare<[string], PrescriptionRow>(`SELECT * FROM prescription WHERE order_no = ? ORDER BY rx_no`).all(orderNo);
    return rxs.map((rx) => ({
      rx,
      lines: this.db.prepare<[string], LineRow>(`SELECT * FROM line WHERE rx_no = ? ORDER BY line_no`).all(rx.rx_no),
    }));
  }

  insertSettlement(row: SettlementRow): void {
    const columns = Object.keys(row);
    this.db.prepare(`INSERT INTO settlement (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  }

  settlement(settleId: string): SettlementRow | undefined {
    return this.db.prepare<[string], SettlementRow>(`SELECT * FROM settlement WHERE settle_id = ?`).get(settleId);
  }

  settlementOfOrder(orderNo: string): SettlementRow | undefined {
    return this.db
      .prepare<[string], SettlementRow>(`SELECT * FROM settlement WHERE order_no = ? ORDER BY settled_at DESC LIMIT 1`)
      .get(orderNo);
  }

  cancelSettlement(settleId: string, cancelId: string, at: number): void {
    this.db
      .prepare(`UPDATE settlement SET state = 'cancelled', cancel_id = ?, cancelled_at = ? WHERE settle_id = ?`)
      .run(cancelId, at, settleId);
  }

  settlements(): SettlementRow[] {
    return this.db.prepare<[], SettlementRow>(`SELECT * FROM settlement ORDER BY settled_at, settle_id`).all();
  }

  insertRefundApplication(row: RefundApplicationRow): void {
    this.db.prepare(`INSERT INTO refund_application VALUES (@refund_id, @settle_id, @reason, @state, @applied_at, @changed_at)`).run(row);
  }

  refundApplication(refundId: string): RefundApplicationRow | undefined {
    return this.db.prepare<[string], RefundApplicationRow>(`SELECT * FROM refund_application WHERE refund_id = ?`).get(refundId);
  }

  approvedRefundOf(settleId: string): RefundApplicationRow | undefined {
    return this.db
      .prepare<[string], RefundApplicationRow>(`SELECT * FROM refund_application WHERE settle_id = ? AND state = 'approved'`)
      .get(settleId);
  }

  setRefundApplicationState(refundId: string, state: RefundApplicationRow['state'], at: number): void {
    this.db.prepare(`UPDATE refund_application SET state = ?, changed_at = ? WHERE refund_id = ?`).run(state, at, refundId);
  }

  refundApplications(): RefundApplicationRow[] {
    return this.db.prepare<[], RefundApplicationRow>(`SELECT * FROM refund_application ORDER BY applied_at, refund_id`).all();
  }

  insertRefundLines(refundId: string, lines: LineKey[]): void {
    for (const l of lines) this.db.prepare(`INSERT INTO refund_line VALUES (?, ?, ?)`).run(refundId, l.rx_no, l.line_no);
  }

  refundLines(refundId: string): LineKey[] {
    return this.db
      .prepare<[string], LineKey>(`SELECT rx_no, line_no FROM refund_line WHERE refund_id = ? ORDER BY rx_no, line_no`)
      .all(refundId);
  }

  /** The order's lines refunded by a finished partial refund. */
  refundedLines(orderNo: string): LineKey[] {
    return this.db
      .prepare<[string], LineKey>(
        `SELECT l.rx_no, l.line_no FROM refund_line l
         JOIN refund_application a ON a.refund_id = l.refund_id AND a.state = 'done'
         JOIN prescription p ON p.rx_no = l.rx_no
         WHERE p.order_no = ?`,
      )
      .all(orderNo);
  }

  insertResettlement(refundId: string, settleId: string): void {
    this.db.prepare(`INSERT INTO refund_resettlement VALUES (?, ?)`).run(refundId, settleId);
  }

  resettlementOf(refundId: string): string | undefined {
    return this.db.prepare<[string], { settle_id: string }>(`SELECT settle_id FROM refund_resettlement WHERE refund_id = ?`).get(refundId)
      ?.settle_id;
  }

  setOrderTotal(orderNo: string, totalFen: number, at: number): void {
    this.db.prepare(`UPDATE his_order SET total_fen = ?, changed_at = ? WHERE order_no = ?`).run(totalFen, at, orderNo);
  }

  markLineDispensed(line: LineKey, at: number): void {
    this.db.prepare(`INSERT OR IGNORE INTO dispensed_line VALUES (?, ?, ?)`).run(line.rx_no, line.line_no, at);
  }

  isLineDispensed(line: LineKey): boolean {
    return this.db.prepare(`SELECT 1 FROM dispensed_line WHERE rx_no = ? AND line_no = ?`).get(line.rx_no, line.line_no) !== undefined;
  }

  markDispensed(orderNo: string, at: number): void {
    this.db.prepare(`INSERT OR IGNORE INTO dispensed VALUES (?, ?)`).run(orderNo, at);
  }

  isDispensed(orderNo: string): boolean {
    return this.db.prepare(`SELECT 1 FROM dispensed WHERE order_no = ?`).get(orderNo) !== undefined;
  }
}
