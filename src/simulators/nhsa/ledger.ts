/**
 * The centre's own ledger (SQLite): sign-ins, every message it accepted with the answer it gave, e-voucher
 * tokens, stored files, serial counters — and, in records.ts, the visits, fee lines and settlements. It is the
 * centre's truth, kept apart from the station's, so tests can reconcile the two.
 *
 * The schema is versioned (PRAGMA user_version) so a training data dir made by an older simulator keeps working.
 */
import Database from 'better-sqlite3';
import { cacheStatements } from '../statement-cache';

const MIGRATIONS: readonly string[] = [
  // 1: the first cut
  `
  CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS sign_in (
    sign_no TEXT PRIMARY KEY,
    fixmedins_code TEXT NOT NULL,
    opter TEXT NOT NULL,
    day TEXT NOT NULL,              -- yyyyMMdd, Beijing
    sign_time TEXT NOT NULL,
    sign_out_time TEXT
  );
  CREATE INDEX IF NOT EXISTS sign_in_open ON sign_in (fixmedins_code, opter, day) WHERE sign_out_time IS NULL;
  CREATE TABLE IF NOT EXISTS message (
    msgid TEXT PRIMARY KEY,
    infno TEXT NOT NULL,
    fixmedins_code TEXT NOT NULL,
    opter TEXT NOT NULL,
    inf_refmsgid TEXT NOT NULL,
    infcode INTEGER NOT NULL,
    err_msg TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ec_token (
    token TEXT PRIMARY KEY,
    psn_no TEXT NOT NULL,
    org_id TEXT NOT NULL,
    business_type TEXT NOT NULL,
    expires_at INTEGER NOT NULL     -- epoch ms
  );`,
  // 2: answers kept for repeated msgids, files, and the care records
  `
  CREATE TABLE message_answer (
    msgid TEXT PRIMARY KEY REFERENCES message (msgid),
    input_digest TEXT NOT NULL,     -- SHA-256 of the decrypted input text
    answer TEXT NOT NULL            -- JSON of what was answered
  );
  CREATE TABLE stored_file (
    file_qury_no TEXT PRIMARY KEY,
    owner TEXT NOT NULL,            -- fixmedins_code, or '' for files any institution may fetch (catalogues)
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    expires_at INTEGER NOT NULL     -- epoch ms
  );
  CREATE TABLE visit (
    mdtrt_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,             -- outpatient | inpatient
    fixmedins_code TEXT NOT NULL,
    psn_no TEXT NOT NULL,
    insutype TEXT NOT NULL,
    insuplc_admdvs TEXT NOT NULL,
    med_type TEXT NOT NULL,
    begntime TEXT NOT NULL,
    endtime TEXT NOT NULL DEFAULT '',
    ipt_otp_no TEXT NOT NULL,
    dept_name TEXT NOT NULL DEFAULT '',
    dr_name TEXT NOT NULL DEFAULT '',
    dise_codg TEXT NOT NULL DEFAULT '',
    dise_name TEXT NOT NULL DEFAULT '',
    main_cond_dscr TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,            -- registered | admitted | discharged | cancelled
    opened_by_msgid TEXT NOT NULL,
    discharged_by_msgid TEXT
  );
  CREATE UNIQUE INDEX visit_number ON visit (fixmedins_code, kind, ipt_otp_no) WHERE state <> 'cancelled';
  CREATE INDEX visit_person ON visit (psn_no, begntime);
  CREATE INDEX visit_opened_by ON visit (opened_by_msgid);
  CREATE INDEX visit_discharged_by ON visit (discharged_by_msgid);
  CREATE TABLE diagnosis (
    mdtrt_id TEXT NOT NULL REFERENCES visit (mdtrt_id),
    diag_type TEXT NOT NULL,
    diag_srt_no INTEGER NOT NULL,
    diag_code TEXT NOT NULL,
    diag_name TEXT NOT NULL,
    diag_dept TEXT NOT NULL,
    dise_dor_no TEXT NOT NULL,
    dise_dor_name TEXT NOT NULL,
    diag_time TEXT NOT NULL,
    vali_flag TEXT NOT NULL,
    maindiag_flag TEXT NOT NULL
  );
  CREATE INDEX diagnosis_visit ON diagnosis (mdtrt_id);
  CREATE TABLE fee_line (
    id INTEGER PRIMARY KEY,
    mdtrt_id TEXT NOT NULL REFERENCES visit (mdtrt_id),
    feedetl_sn TEXT NOT NULL,
    init_feedetl_sn TEXT NOT NULL,
    chrg_bchno TEXT NOT NULL,
    psn_no TEXT NOT NULL,
    med_type TEXT NOT NULL,
    fee_ocur_time TEXT NOT NULL,
    med_list_codg TEXT NOT NULL,
    medins_list_codg TEXT NOT NULL,
    cnt TEXT NOT NULL,
    pric TEXT NOT NULL,
    det_item_fee_sumamt INTEGER NOT NULL,
    fulamt_ownpay_amt INTEGER NOT NULL,
    overlmt_amt INTEGER NOT NULL,
    preselfpay_amt INTEGER NOT NULL,
    inscp_scp_amt INTEGER NOT NULL,
    selfpay_prop TEXT NOT NULL,
    pric_uplmt_amt TEXT NOT NULL,
    chrgitm_lv TEXT NOT NULL,
    med_chrgitm_type TEXT NOT NULL,
    state TEXT NOT NULL,            -- active | cancelled
    setl_id TEXT,                   -- the settlement that consumed it
    uploaded_by_msgid TEXT NOT NULL
  );
  CREATE UNIQUE INDEX fee_line_sn ON fee_line (mdtrt_id, feedetl_sn) WHERE state = 'active';
  CREATE INDEX fee_line_setl ON fee_line (setl_id);
  -- Settlement entries, append-only: a settlement, and for each cancel or reversal a twin with the negated
  -- amounts (refd_setl_flag 1). Everything a person consumed is the sum of their entries.
  CREATE TABLE setl_entry (
    setl_id TEXT PRIMARY KEY,
    init_setl_id TEXT,              -- for a twin: the entry it negates
    refd_setl_flag TEXT NOT NULL,   -- 0 settlement, 1 cancel / reversal twin
    setl_cnt INTEGER NOT NULL,      -- +1 puts a settlement in force, -1 takes one out (the count 3201 compares)
    state TEXT NOT NULL,            -- active | voided (negated by a later twin)
    fixmedins_code TEXT NOT NULL,
    mdtrt_id TEXT NOT NULL REFERENCES visit (mdtrt_id),
    psn_no TEXT NOT NULL,
    insutype TEXT NOT NULL,
    clr_type TEXT NOT NULL,         -- 11 outpatient, 21 inpatient
    clr_optins TEXT NOT NULL,       -- the insured region's clearing institution
    med_type TEXT NOT NULL,
    mdtrt_cert_type TEXT NOT NULL,  -- the certificate the settlement was made with
    mid_setl_flag TEXT NOT NULL,
    setl_time TEXT NOT NULL,        -- yyyy-MM-dd HH:mm:ss, Beijing
    setl_day TEXT NOT NULL,         -- yyyy-MM-dd, the clearing day
    policy_year TEXT NOT NULL,      -- the year whose deductible and caps it consumes (a twin keeps its original's)
    msgid TEXT NOT NULL,            -- the message that created the entry
    medfee_sumamt INTEGER NOT NULL,
    fulamt_ownpay_amt INTEGER NOT NULL,
    overlmt_selfpay INTEGER NOT NULL,
    preselfpay_amt INTEGER NOT NULL,
    inscp_scp_amt INTEGER NOT NULL,
    act_pay_dedc INTEGER NOT NULL,
    hifp_pay INTEGER NOT NULL,
    cvlserv_pay INTEGER NOT NULL,
    hifmi_pay INTEGER NOT NULL,
    fund_pay_sumamt INTEGER NOT NULL,
    psn_part_amt INTEGER NOT NULL,
    acct_pay INTEGER NOT NULL,
    psn_cash_pay INTEGER NOT NULL,
    balc INTEGER NOT NULL,
    serious_illness_base INTEGER NOT NULL,
    setldetail TEXT NOT NULL,       -- JSON, FundDetail[]
    line_ids TEXT NOT NULL          -- JSON, the fee_line ids it settled (so a reversed cancel can bind them again)
  );
  CREATE INDEX setl_entry_person ON setl_entry (psn_no, policy_year, clr_type);
  CREATE INDEX setl_entry_msgid ON setl_entry (msgid);
  CREATE INDEX setl_entry_day ON setl_entry (fixmedins_code, setl_day);
  CREATE INDEX setl_entry_visit ON setl_entry (mdtrt_id);
  CREATE TABLE reversal (
    omsgid TEXT PRIMARY KEY,
    oinfno TEXT NOT NULL,
    psn_no TEXT NOT NULL,
    msgid TEXT NOT NULL,
    reversed_at TEXT NOT NULL
  );`,
  // 3: monthly cross-region clearing (3261 confirmations, rolled back by 3262)
  `
  CREATE TABLE clearing_confirm (
    msgid TEXT PRIMARY KEY,         -- the 3261 that confirmed
    fixmedins_code TEXT NOT NULL,
    trt_month TEXT NOT NULL,        -- yyyy-MM
    totalrow INTEGER NOT NULL,
    cnfm_cnt INTEGER NOT NULL,      -- rows confirmed (cnfm_flag 1)
    medfee_sumamt INTEGER NOT NULL, -- of the confirmed rows, fen
    optins_pay_sumamt INTEGER NOT NULL,
    confirmed_at TEXT NOT NULL,
    rolled_back_by TEXT             -- the 3262's msgid
  );
  CREATE INDEX clearing_confirm_period ON clearing_confirm (fixmedins_code, trt_month) WHERE rolled_back_by IS NULL;`,
];

export interface SignInRow {
  sign_no: string;
  fixmedins_code: string;
  opter: string;
  day: string;
  sign_time: string;
  sign_out_time: string | null;
}

export interface MessageRow {
  msgid: string;
  infno: string;
  fixmedins_code: string;
  opter: string;
  inf_refmsgid: string;
  infcode: number;
  err_msg: string;
  received_at: string;
}

export interface TokenRow {
  token: string;
  psn_no: string;
  org_id: string;
  business_type: string;
  expires_at: number;
}

export interface StoredAnswer {
  input_digest: string;
  /** JSON of the centre's Answer. */
  answer: string;
}

export interface StoredFile {
  file_qury_no: string;
  owner: string;
  filename: string;
  content: Buffer;
  expires_at: number;
}

export class Ledger {
  readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    cacheStatements(this.db);
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) throw new Error(`centre ledger schema ${current} is newer than this simulator`);
    MIGRATIONS.forEach((sql, index) => {
      if (index < current) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${index + 1}`);
      })();
    });
  }

  /** Prepared once, reused (a bounded cache, see ../statement-cache): the simulator answers thousands of requests a second. */
  stmt<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    return this.db.prepare<P, R>(sql);
  }

  close(): void {
    this.db.close();
  }

  /** 1, 2, 3, ... per name, persistent across restarts of a file-backed centre. */
  nextSerial(name: string): number {
    const row = this.stmt<[string], { value: number }>(
      `INSERT INTO counter (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ).get(name);
    if (!row) throw new Error(`counter ${name} did not advance`);
    return row.value;
  }

  openSignIn(fixmedinsCode: string, opter: string, day: string): SignInRow | undefined {
    return this.stmt<[string, string, string], SignInRow>(
      `SELECT * FROM sign_in WHERE fixmedins_code = ? AND opter = ? AND day = ? AND sign_out_time IS NULL`,
    ).get(fixmedinsCode, opter, day);
  }

  findSignIn(signNo: string): SignInRow | undefined {
    return this.stmt<[string], SignInRow>(`SELECT * FROM sign_in WHERE sign_no = ?`).get(signNo);
  }

  insertSignIn(row: Omit<SignInRow, 'sign_out_time'>): void {
    this.stmt(
      `INSERT INTO sign_in (sign_no, fixmedins_code, opter, day, sign_time) VALUES (@sign_no, @fixmedins_code, @opter, @day, @sign_time)`,
    ).run(row);
  }

  closeSignIn(signNo: string, signOutTime: string): void {
    this.stmt(`UPDATE sign_in SET sign_out_time = ? WHERE sign_no = ?`).run(signOutTime, signNo);
  }

  findMessage(msgid: string): MessageRow | undefined {
    return this.stmt<[string], MessageRow>(`SELECT * FROM message WHERE msgid = ?`).get(msgid);
  }

  answerTo(msgid: string): StoredAnswer | undefined {
    return this.stmt<[string], StoredAnswer>(`SELECT input_digest, answer FROM message_answer WHERE msgid = ?`).get(msgid);
  }

  recordMessage(row: MessageRow, answer: StoredAnswer): void {
    this.stmt(`INSERT INTO message VALUES (@msgid, @infno, @fixmedins_code, @opter, @inf_refmsgid, @infcode, @err_msg, @received_at)`).run(
      row,
    );
    this.stmt(`INSERT INTO message_answer VALUES (?, ?, ?)`).run(row.msgid, answer.input_digest, answer.answer);
  }

  messages(): MessageRow[] {
    return this.stmt<[], MessageRow>(`SELECT * FROM message ORDER BY rowid`).all();
  }

  insertToken(row: TokenRow): void {
    this.stmt(`INSERT INTO ec_token VALUES (@token, @psn_no, @org_id, @business_type, @expires_at)`).run(row);
  }

  findToken(token: string): TokenRow | undefined {
    return this.stmt<[string], TokenRow>(`SELECT * FROM ec_token WHERE token = ?`).get(token);
  }

  storeFile(file: StoredFile): void {
    this.stmt(`INSERT INTO stored_file VALUES (@file_qury_no, @owner, @filename, @content, @expires_at)`).run(file);
  }

  findFile(fileQuryNo: string): StoredFile | undefined {
    return this.stmt<[string], StoredFile>(`SELECT * FROM stored_file WHERE file_qury_no = ?`).get(fileQuryNo);
  }

  /** Runs `fn` in one SQLite transaction: a request's effects and its message row land together. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
