/**
 * The centre's own ledger (SQLite): sign-ins, every message it accepted, e-voucher tokens and its serial
 * counters. It is the centre's truth, kept apart from the station's, so tests can reconcile the two.
 */
import Database from 'better-sqlite3';

const SCHEMA = `
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
);
`;

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

export class Ledger {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** 1, 2, 3, ... per name, persistent across restarts of a file-backed centre. */
  nextSerial(name: string): number {
    const row = this.db
      .prepare<[string], { value: number }>(
        `INSERT INTO counter (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(name);
    if (!row) throw new Error(`counter ${name} did not advance`);
    return row.value;
  }

  openSignIn(fixmedinsCode: string, opter: string, day: string): SignInRow | undefined {
    return this.db
      .prepare<[string, string, string], SignInRow>(
        `SELECT * FROM sign_in WHERE fixmedins_code = ? AND opter = ? AND day = ? AND sign_out_time IS NULL`,
      )
      .get(fixmedinsCode, opter, day);
  }

  findSignIn(signNo: string): SignInRow | undefined {
    return this.db.prepare<[string], SignInRow>(`SELECT * FROM sign_in WHERE sign_no = ?`).get(signNo);
  }

  insertSignIn(row: Omit<SignInRow, 'sign_out_time'>): void {
    this.db
      .prepare(
        `INSERT INTO sign_in (sign_no, fixmedins_code, opter, day, sign_time) VALUES (@sign_no, @fixmedins_code, @opter, @day, @sign_time)`,
      )
      .run(row);
  }

  closeSignIn(signNo: string, signOutTime: string): void {
    this.db.prepare(`UPDATE sign_in SET sign_out_time = ? WHERE sign_no = ?`).run(signOutTime, signNo);
  }

  hasMessage(msgid: string): boolean {
    return this.db.prepare(`SELECT 1 FROM message WHERE msgid = ?`).get(msgid) !== undefined;
  }

  recordMessage(row: MessageRow): void {
    this.db
      .prepare(
        `INSERT INTO message VALUES (@msgid, @infno, @fixmedins_code, @opter, @inf_refmsgid, @infcode, @err_msg, @received_at)`,
      )
      .run(row);
  }

  messages(): MessageRow[] {
    return this.db.prepare<[], MessageRow>(`SELECT * FROM message ORDER BY rowid`).all();
  }

  insertToken(row: TokenRow): void {
    this.db
      .prepare(`INSERT INTO ec_token VALUES (@token, @psn_no, @org_id, @business_type, @expires_at)`)
      .run(row);
  }

  findToken(token: string): TokenRow | undefined {
    return this.db.prepare<[string], TokenRow>(`SELECT * FROM ec_token WHERE token = ?`).get(token);
  }

  /** Runs `fn` in one SQLite transaction: a request's effects and its message row land together. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
