/**
 * HIS's inpatient books (住院子系统): wards and beds, stays, the fee lines nurses execute day by day, deposits
 * (预交金) with the channel and trade number they came by, settlements (mid-stay and discharge) and the refunds of
 * deposits. Its own SQLite file beside the outpatient one, as a hospital's inpatient subsystem usually is; patients
 * are looked up in the outpatient books by patient_id. Money is integer fen; times are epoch ms of the simulator.
 */
import { SqliteLedger } from '../pay-channel/sqlite-ledger';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ward (
  ward_code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  dept_code TEXT NOT NULL,
  dept_name TEXT NOT NULL,
  doctor_code TEXT NOT NULL,
  doctor_name TEXT NOT NULL,
  beds INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS stay (
  ipt_no TEXT PRIMARY KEY,              -- 住院号
  patient_id TEXT NOT NULL,
  ward_code TEXT NOT NULL REFERENCES ward(ward_code),
  bed_no TEXT NOT NULL,
  state TEXT NOT NULL,                  -- in | discharge-ordered | settled | cancelled
  admitted_at INTEGER NOT NULL,
  discharge_ordered_at INTEGER,
  diagnosis_code TEXT NOT NULL,
  diagnosis_name TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS stay_bed_in_use ON stay (ward_code, bed_no) WHERE state IN ('in', 'discharge-ordered');
CREATE TABLE IF NOT EXISTS fee_line (
  ipt_no TEXT NOT NULL REFERENCES stay(ipt_no),
  line_no INTEGER NOT NULL,             -- 1, 2, 3 ... per stay, in the order executed
  fee_day TEXT NOT NULL,                -- yyyy-MM-dd (Beijing), the day it was executed
  executed_at INTEGER NOT NULL,
  item_type TEXT NOT NULL,
  hosp_code TEXT NOT NULL,
  med_list_codg TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  unit TEXT NOT NULL,
  quantity TEXT NOT NULL,               -- decimal text; negative for a line taken back (退费冲减)
  unit_price_fen INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL,          -- negative for a line taken back
  reverses_line INTEGER,                -- the line a negative line takes back
  settle_id TEXT,                       -- the settlement that covered it (mid-stay or discharge)
  PRIMARY KEY (ipt_no, line_no)
);
CREATE TABLE IF NOT EXISTS deposit (
  deposit_no TEXT PRIMARY KEY,          -- 预交金收据号
  ipt_no TEXT NOT NULL REFERENCES stay(ipt_no),
  channel TEXT NOT NULL,                -- cash | card | wechat | alipay
  out_trade_no TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  paid_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ward_settlement (
  settle_id TEXT PRIMARY KEY,           -- the station's id: the idempotency key
  ipt_no TEXT NOT NULL REFERENCES stay(ipt_no),
  kind TEXT NOT NULL,                   -- midway | discharge
  fingerprint TEXT NOT NULL,
  his_settle_no TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,                  -- settled | cancelled
  upto_line INTEGER NOT NULL,
  medfee_fen INTEGER NOT NULL,
  fund_fen INTEGER NOT NULL,
  acct_fen INTEGER NOT NULL,
  cash_fen INTEGER NOT NULL,
  mdtrt_id TEXT NOT NULL,
  setl_id TEXT NOT NULL,
  deposits TEXT NOT NULL,               -- JSON [{deposit_no, amount_fen}]: deposits applied to the cash part
  payments TEXT NOT NULL,               -- JSON [{pay_channel, out_trade_no, transaction_id, amount_fen}]: the shortfall paid
  invoice_no TEXT NOT NULL,
  settled_at INTEGER NOT NULL,
  cancel_id TEXT,
  cancelled_at INTEGER
);
-- 费别 of a stay admitted self-pay (自费), and its turn to insured once the station registered it at the centre
-- (自费转医保); a stay without a row is insured as its patient is.
CREATE TABLE IF NOT EXISTS stay_insurance (
  ipt_no TEXT PRIMARY KEY REFERENCES stay(ipt_no),
  self_pay INTEGER NOT NULL,            -- 1 while self-pay
  psn_no TEXT NOT NULL,                 -- '' while self-pay
  mdtrt_id TEXT NOT NULL,               -- the centre's stay, once insured
  changed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS deposit_refund (
  refund_id TEXT PRIMARY KEY,           -- the station's id: the idempotency key
  deposit_no TEXT NOT NULL REFERENCES deposit(deposit_no),
  fingerprint TEXT NOT NULL,
  channel TEXT NOT NULL,                -- the deposit's channel (back to where it came from), or cash at the window
  amount_fen INTEGER NOT NULL,
  refund_trade_no TEXT NOT NULL,        -- the channel's refund number ('' for cash)
  refunded_at INTEGER NOT NULL
);
`;

export type StayState = 'in' | 'discharge-ordered' | 'settled' | 'cancelled';
export type DepositChannel = 'cash' | 'card' | 'wechat' | 'alipay';

export interface WardRow {
  ward_code: string;
  name: string;
  dept_code: string;
  dept_name: string;
  doctor_code: string;
  doctor_name: string;
  beds: number;
}

export interface StayRow {
  ipt_no: string;
  patient_id: string;
  ward_code: string;
  bed_no: string;
  state: StayState;
  admitted_at: number;
  discharge_ordered_at: number | null;
  diagnosis_code: string;
  diagnosis_name: string;
  changed_at: number;
}

export interface FeeLineRow {
  ipt_no: string;
  line_no: number;
  fee_day: string;
  executed_at: number;
  item_type: 'drug' | 'item';
  hosp_code: string;
  med_list_codg: string;
  name: string;
  spec: string;
  unit: string;
  quantity: string;
  unit_price_fen: number;
  amount_fen: number;
  reverses_line: number | null;
  settle_id: string | null;
}

export interface DepositRow {
  deposit_no: string;
  ipt_no: string;
  channel: DepositChannel;
  out_trade_no: string;
  transaction_id: string;
  amount_fen: number;
  paid_at: number;
}

export interface WardSettlementRow {
  settle_id: string;
  ipt_no: string;
  kind: 'midway' | 'discharge';
  fingerprint: string;
  his_settle_no: string;
  state: 'settled' | 'cancelled';
  upto_line: number;
  medfee_fen: number;
  fund_fen: number;
  acct_fen: number;
  cash_fen: number;
  mdtrt_id: string;
  setl_id: string;
  deposits: string;
  payments: string;
  invoice_no: string;
  settled_at: number;
  cancel_id: string | null;
  cancelled_at: number | null;
}

export interface StayInsuranceRow {
  ipt_no: string;
  self_pay: 0 | 1;
  psn_no: string;
  mdtrt_id: string;
  changed_at: number;
}

export interface DepositRefundRow {
  refund_id: string;
  deposit_no: string;
  fingerprint: string;
  channel: DepositChannel;
  amount_fen: number;
  refund_trade_no: string;
  refunded_at: number;
}

/**
 * The deposit a cancelled settlement's payment became (转预交金): one per payment, numbered from HIS's settle number so
 * a repeated cancel finds the same records.
 */
export const paymentDepositNo = (hisSettleNo: string, index: number) => `YJ${hisSettleNo.slice(2)}-${index + 1}`;

/** A deposit applied to a settlement's cash part. */
export interface AppliedDeposit {
  deposit_no: string;
  amount_fen: number;
}

export class WardLedger extends SqliteLedger {
  constructor(path: string) {
    super(path, { schema: SCHEMA, foreignKeys: true });
  }

  hasWards(): boolean {
    return this.db.prepare(`SELECT 1 FROM ward LIMIT 1`).get() !== undefined;
  }

  insertWard(row: WardRow): void {
    this.db.prepare(`INSERT INTO ward VALUES (@ward_code, @name, @dept_code, @dept_name, @doctor_code, @doctor_name, @beds)`).run(row);
  }

  wards(): WardRow[] {
    return this.db.prepare<[], WardRow>(`SELECT * FROM ward ORDER BY ward_code`).all();
  }

  ward(code: string): WardRow | undefined {
    return this.db.prepare<[string], WardRow>(`SELECT * FROM ward WHERE ward_code = ?`).get(code);
  }

  bedsInUse(wardCode: string): Set<string> {
    const rows = this.db
      .prepare<[string], { bed_no: string }>(`SELECT bed_no FROM stay WHERE ward_code = ? AND state IN ('in', 'discharge-ordered')`)
      .all(wardCode);
    return new Set(rows.map((r) => r.bed_no));
  }

  insertStay(row: StayRow): void {
    this.db
      .prepare(
        `INSERT INTO stay VALUES (@ipt_no, @patient_id, @ward_code, @bed_no, @state, @admitted_at, @discharge_ordered_at, @diagnosis_code, @diagnosis_name, @changed_at)`,
      )
      .run(row);
  }

  stay(iptNo: string): StayRow | undefined {
    return this.db.prepare<[string], StayRow>(`SELECT * FROM stay WHERE ipt_no = ?`).get(iptNo);
  }

  /** The patient's current stay (in the ward or ordered home), if any. */
  currentStayOf(patientId: string): StayRow | undefined {
    return this.db
      .prepare<[string], StayRow>(
        `SELECT * FROM stay WHERE patient_id = ? AND state IN ('in', 'discharge-ordered') ORDER BY admitted_at DESC`,
      )
      .get(patientId);
  }

  stays(where: { wardCode?: string; states?: readonly StayState[] } = {}): StayRow[] {
    const states = where.states ?? ['in', 'discharge-ordered', 'settled', 'cancelled'];
    return this.db
      .prepare<[{ ward: string | null }], StayRow>(
        `SELECT * FROM stay WHERE (@ward IS NULL OR ward_code = @ward) AND state IN (${states.map((s) => `'${s}'`).join(',')})
         ORDER BY ward_code, bed_no, ipt_no`,
      )
      .all({ ward: where.wardCode ?? null });
  }

  /** 转科/转床 or a changed admission diagnosis: the stay's place and diagnosis as they are now. */
  moveStay(iptNo: string, to: { ward_code: string; bed_no: string; diagnosis_code: string; diagnosis_name: string }, at: number): void {
    this.db
      .prepare(
        `UPDATE stay SET ward_code = @ward_code, bed_no = @bed_no, diagnosis_code = @diagnosis_code, diagnosis_name = @diagnosis_name,
           changed_at = @at WHERE ipt_no = @ipt_no`,
      )
      .run({ ...to, at, ipt_no: iptNo });
  }

  setStayState(iptNo: string, state: StayState, at: number, dischargeOrderedAt?: number | null): void {
    this.db
      .prepare(
        `UPDATE stay SET state = ?, changed_at = ?, discharge_ordered_at = CASE WHEN ? THEN ? ELSE discharge_ordered_at END WHERE ipt_no = ?`,
      )
      .run(state, at, dischargeOrderedAt !== undefined ? 1 : 0, dischargeOrderedAt ?? null, iptNo);
  }

  stayInsurance(iptNo: string): StayInsuranceRow | undefined {
    return this.db.prepare<[string], StayInsuranceRow>(`SELECT * FROM stay_insurance WHERE ipt_no = ?`).get(iptNo);
  }

  putStayInsurance(row: StayInsuranceRow): void {
    this.db.prepare(`INSERT OR REPLACE INTO stay_insurance VALUES (@ipt_no, @self_pay, @psn_no, @mdtrt_id, @changed_at)`).run(row);
  }

  lastLineNo(iptNo: string): number {
    const row = this.db.prepare<[string], { n: number | null }>(`SELECT MAX(line_no) AS n FROM fee_line WHERE ipt_no = ?`).get(iptNo);
    return row?.n ?? 0;
  }

  insertFeeLine(row: FeeLineRow): void {
    const columns = Object.keys(row);
    this.db.prepare(`INSERT INTO fee_line (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  }

  feeLine(iptNo: string, lineNo: number): FeeLineRow | undefined {
    return this.db.prepare<[string, number], FeeLineRow>(`SELECT * FROM fee_line WHERE ipt_no = ? AND line_no = ?`).get(iptNo, lineNo);
  }

  /** The negative line that took `lineNo` back, if any (a line is taken back at most once). */
  takingBackOf(iptNo: string, lineNo: number): FeeLineRow | undefined {
    return this.db
      .prepare<[string, number], FeeLineRow>(`SELECT * FROM fee_line WHERE ipt_no = ? AND reverses_line = ?`)
      .get(iptNo, lineNo);
  }

  /** Lines after `afterLine`, in execution order, at most `limit` of them. */
  feeLines(iptNo: string, afterLine: number, limit: number): FeeLineRow[] {
    return this.db
      .prepare<[string, number, number], FeeLineRow>(`SELECT * FROM fee_line WHERE ipt_no = ? AND line_no > ? ORDER BY line_no LIMIT ?`)
      .all(iptNo, afterLine, limit);
  }

  /** What no settlement covers yet, up to a line: the total and how many lines. */
  unsettled(iptNo: string, uptoLine: number): { totalFen: number; lines: number; firstLine: number | null } {
    const row = this.db
      .prepare<[string, number], { total: number; n: number; first: number | null }>(
        `SELECT COALESCE(SUM(amount_fen), 0) AS total, COUNT(*) AS n, MIN(line_no) AS first
         FROM fee_line WHERE ipt_no = ? AND settle_id IS NULL AND line_no <= ?`,
      )
      .get(iptNo, uptoLine)!;
    return { totalFen: row.total, lines: row.n, firstLine: row.first };
  }

  markLinesSettled(iptNo: string, uptoLine: number, settleId: string): void {
    this.db
      .prepare(`UPDATE fee_line SET settle_id = ? WHERE ipt_no = ? AND settle_id IS NULL AND line_no <= ?`)
      .run(settleId, iptNo, uptoLine);
  }

  unmarkLinesSettled(settleId: string): void {
    this.db.prepare(`UPDATE fee_line SET settle_id = NULL WHERE settle_id = ?`).run(settleId);
  }

  insertDeposit(row: DepositRow): void {
    this.db
      .prepare(`INSERT INTO deposit VALUES (@deposit_no, @ipt_no, @channel, @out_trade_no, @transaction_id, @amount_fen, @paid_at)`)
      .run(row);
  }

  deposit(depositNo: string): DepositRow | undefined {
    return this.db.prepare<[string], DepositRow>(`SELECT * FROM deposit WHERE deposit_no = ?`).get(depositNo);
  }

  deposits(iptNo: string): DepositRow[] {
    return this.db.prepare<[string], DepositRow>(`SELECT * FROM deposit WHERE ipt_no = ? ORDER BY paid_at, deposit_no`).all(iptNo);
  }

  /** A deposit's amount less what standing settlements applied of it and what was refunded of it. */
  depositBalance(depositNo: string): number {
    const deposit = this.deposit(depositNo);
    if (!deposit) return 0;
    const applied = this.settlementsOf(deposit.ipt_no)
      .filter((s) => s.state === 'settled')
      .flatMap((s) => JSON.parse(s.deposits) as AppliedDeposit[])
      .filter((a) => a.deposit_no === depositNo)
      .reduce((sum, a) => sum + a.amount_fen, 0);
    const refunded = this.db
      .prepare<[string], { n: number }>(`SELECT COALESCE(SUM(amount_fen), 0) AS n FROM deposit_refund WHERE deposit_no = ?`)
      .get(depositNo)!.n;
    return deposit.amount_fen - applied - refunded;
  }

  /** Deposits in = applied by standing settlements + refunded + held (the balances): the books of one stay. */
  depositBooks(iptNo: string): { inFen: number; appliedFen: number; refundedFen: number; heldFen: number } {
    const deposits = this.deposits(iptNo);
    const mine = new Set(deposits.map((d) => d.deposit_no));
    const appliedFen = this.settlementsOf(iptNo)
      .filter((s) => s.state === 'settled')
      .flatMap((s) => JSON.parse(s.deposits) as AppliedDeposit[])
      .reduce((sum, a) => sum + a.amount_fen, 0);
    const refundedFen = this.depositRefunds()
      .filter((r) => mine.has(r.deposit_no))
      .reduce((sum, r) => sum + r.amount_fen, 0);
    return {
      inFen: deposits.reduce((sum, d) => sum + d.amount_fen, 0),
      appliedFen,
      refundedFen,
      heldFen: deposits.reduce((sum, d) => sum + this.depositBalance(d.deposit_no), 0),
    };
  }

  insertSettlement(row: WardSettlementRow): void {
    const columns = Object.keys(row);
    this.db.prepare(`INSERT INTO ward_settlement (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  }

  settlement(settleId: string): WardSettlementRow | undefined {
    return this.db.prepare<[string], WardSettlementRow>(`SELECT * FROM ward_settlement WHERE settle_id = ?`).get(settleId);
  }

  settlementsOf(iptNo: string): WardSettlementRow[] {
    return this.db
      .prepare<[string], WardSettlementRow>(`SELECT * FROM ward_settlement WHERE ipt_no = ? ORDER BY settled_at, rowid`)
      .all(iptNo);
  }

  settlements(): WardSettlementRow[] {
    return this.db.prepare<[], WardSettlementRow>(`SELECT * FROM ward_settlement ORDER BY settled_at, rowid`).all();
  }

  cancelSettlement(settleId: string, cancelId: string, at: number): void {
    this.db
      .prepare(`UPDATE ward_settlement SET state = 'cancelled', cancel_id = ?, cancelled_at = ? WHERE settle_id = ?`)
      .run(cancelId, at, settleId);
  }

  insertDepositRefund(row: DepositRefundRow): void {
    this.db
      .prepare(
        `INSERT INTO deposit_refund VALUES (@refund_id, @deposit_no, @fingerprint, @channel, @amount_fen, @refund_trade_no, @refunded_at)`,
      )
      .run(row);
  }

  depositRefund(refundId: string): DepositRefundRow | undefined {
    return this.db.prepare<[string], DepositRefundRow>(`SELECT * FROM deposit_refund WHERE refund_id = ?`).get(refundId);
  }

  depositRefunds(): DepositRefundRow[] {
    return this.db.prepare<[], DepositRefundRow>(`SELECT * FROM deposit_refund ORDER BY refunded_at, rowid`).all();
  }
}
