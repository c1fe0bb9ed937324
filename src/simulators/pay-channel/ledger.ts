/**
 * The platform's own ledger (SQLite): wallets, trades, refunds and notifications. It is the platform's truth,
 * kept apart from the station's, so tests and the chaos harness can reconcile the two. Times are epoch ms of
 * the simulator's clock; amounts are integer fen.
 */
import { SqliteLedger } from './sqlite-ledger';

export type Channel = 'WECHAT' | 'ALIPAY';
export type TradeType = 'NATIVE' | 'MICROPAY';
export type TradeState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'PAYERROR' | 'CLOSED' | 'REVOKED';
export type ReverseAction = 'CLOSE' | 'REFUND' | 'NONE';
export type RefundState = 'PROCESSING' | 'SUCCESS' | 'CHANGE';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS wallet (
  auth_code TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  payer_id TEXT NOT NULL,
  balance INTEGER NOT NULL,
  password INTEGER NOT NULL,          -- 1: the patient must confirm on the phone (USERPAYING)
  used_by TEXT                        -- a payment code is single-use: the out_trade_no that consumed it
);
CREATE TABLE IF NOT EXISTS trade (
  out_trade_no TEXT PRIMARY KEY,
  mch_id TEXT NOT NULL,
  trade_type TEXT NOT NULL,
  channel TEXT,                       -- NULL until an aggregate QR is paid
  total_fee INTEGER NOT NULL,
  body TEXT NOT NULL,
  auth_code TEXT,
  notify_url TEXT,
  expire_at INTEGER,
  fingerprint TEXT NOT NULL,          -- the creating request's business fields; '' for a tombstone
  state TEXT NOT NULL,
  fail_code TEXT,
  code_url TEXT UNIQUE,
  transaction_id TEXT UNIQUE,
  payer_id TEXT,
  created_at INTEGER NOT NULL,
  paid_at INTEGER,
  ended_at INTEGER,
  reverse_action TEXT,
  refunded_fee INTEGER NOT NULL DEFAULT 0  -- refunds accepted (processing or done)
);
CREATE TABLE IF NOT EXISTS refund (
  out_refund_no TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL REFERENCES trade(out_trade_no),
  refund_id TEXT NOT NULL UNIQUE,
  refund_fee INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  succeeded_at INTEGER
);
CREATE TABLE IF NOT EXISTS notification (
  notify_id TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL,
  url TEXT NOT NULL,
  state TEXT NOT NULL,                -- pending | acked | gave-up
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  acked_at INTEGER
);
CREATE TABLE IF NOT EXISTS notify_attempt (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  notify_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL
);
`;

export interface WalletRow {
  auth_code: string;
  channel: Channel;
  payer_id: string;
  balance: number;
  password: number;
  used_by: string | null;
}

export interface TradeRow {
  out_trade_no: string;
  mch_id: string;
  trade_type: TradeType;
  channel: Channel | null;
  total_fee: number;
  body: string;
  auth_code: string | null;
  notify_url: string | null;
  expire_at: number | null;
  fingerprint: string;
  state: TradeState;
  fail_code: string | null;
  code_url: string | null;
  transaction_id: string | null;
  payer_id: string | null;
  created_at: number;
  paid_at: number | null;
  ended_at: number | null;
  reverse_action: ReverseAction | null;
  refunded_fee: number;
}

export interface RefundRow {
  out_refund_no: string;
  out_trade_no: string;
  refund_id: string;
  refund_fee: number;
  fingerprint: string;
  state: RefundState;
  created_at: number;
  succeeded_at: number | null;
}

export interface NotificationRow {
  notify_id: string;
  out_trade_no: string;
  url: string;
  state: 'pending' | 'acked' | 'gave-up';
  attempts: number;
  created_at: number;
  acked_at: number | null;
}

export class PayLedger extends SqliteLedger {
  constructor(path: string) {
    super(path, { schema: SCHEMA, foreignKeys: false });
  }

  insertWallet(row: WalletRow): void {
    this.db.prepare(`INSERT INTO wallet VALUES (@auth_code, @channel, @payer_id, @balance, @password, @used_by)`).run(row);
  }

  wallet(authCode: string): WalletRow | undefined {
    return this.db.prepare<[string], WalletRow>(`SELECT * FROM wallet WHERE auth_code = ?`).get(authCode);
  }

  walletOfPayer(payerId: string): WalletRow | undefined {
    return this.db.prepare<[string], WalletRow>(`SELECT * FROM wallet WHERE payer_id = ?`).get(payerId);
  }

  moveBalance(authCode: string, deltaFen: number): void {
    this.db.prepare(`UPDATE wallet SET balance = balance + ? WHERE auth_code = ?`).run(deltaFen, authCode);
  }

  useWallet(authCode: string, outTradeNo: string): void {
    this.db.prepare(`UPDATE wallet SET used_by = ? WHERE auth_code = ?`).run(outTradeNo, authCode);
  }

  trade(outTradeNo: string): TradeRow | undefined {
    return this.db.prepare<[string], TradeRow>(`SELECT * FROM trade WHERE out_trade_no = ?`).get(outTradeNo);
  }

  tradeByCodeUrl(codeUrl: string): TradeRow | undefined {
    return this.db.prepare<[string], TradeRow>(`SELECT * FROM trade WHERE code_url = ?`).get(codeUrl);
  }

  insertTrade(row: TradeRow): void {
    const columns = Object.keys(row);
    this.db.prepare(`INSERT INTO trade (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  }

  updateTrade(outTradeNo: string, changes: Partial<Omit<TradeRow, 'out_trade_no'>>): void {
    const columns = Object.keys(changes);
    if (columns.length === 0) return;
    this.db
      .prepare(`UPDATE trade SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE out_trade_no = @out_trade_no`)
      .run({ ...changes, out_trade_no: outTradeNo });
  }

  trades(): TradeRow[] {
    return this.db.prepare<[], TradeRow>(`SELECT * FROM trade ORDER BY created_at, out_trade_no`).all();
  }

  refund(outRefundNo: string): RefundRow | undefined {
    return this.db.prepare<[string], RefundRow>(`SELECT * FROM refund WHERE out_refund_no = ?`).get(outRefundNo);
  }

  insertRefund(row: RefundRow): void {
    this.db
      .prepare(
        `INSERT INTO refund VALUES (@out_refund_no, @out_trade_no, @refund_id, @refund_fee, @fingerprint, @state, @created_at, @succeeded_at)`,
      )
      .run(row);
  }

  updateRefund(outRefundNo: string, state: RefundState, succeededAt: number | null): void {
    this.db.prepare(`UPDATE refund SET state = ?, succeeded_at = ? WHERE out_refund_no = ?`).run(state, succeededAt, outRefundNo);
  }

  refunds(): RefundRow[] {
    return this.db.prepare<[], RefundRow>(`SELECT * FROM refund ORDER BY created_at, out_refund_no`).all();
  }

  insertNotification(row: Omit<NotificationRow, 'attempts' | 'acked_at'>): void {
    this.db
      .prepare(
        `INSERT INTO notification (notify_id, out_trade_no, url, state, created_at) VALUES (@notify_id, @out_trade_no, @url, @state, @created_at)`,
      )
      .run(row);
  }

  notification(notifyId: string): NotificationRow | undefined {
    return this.db.prepare<[string], NotificationRow>(`SELECT * FROM notification WHERE notify_id = ?`).get(notifyId);
  }

  notifications(): NotificationRow[] {
    return this.db.prepare<[], NotificationRow>(`SELECT * FROM notification ORDER BY created_at, notify_id`).all();
  }

  recordAttempt(notifyId: string, at: number, outcome: string, final: 'pending' | 'acked' | 'gave-up'): void {
    this.db.prepare(`INSERT INTO notify_attempt (notify_id, at, outcome) VALUES (?, ?, ?)`).run(notifyId, at, outcome);
    this.db
      .prepare(
        `UPDATE notification SET attempts = attempts + 1, state = ?, acked_at = CASE WHEN ? = 'acked' THEN ? ELSE acked_at END WHERE notify_id = ?`,
      )
      .run(final, final, at, notifyId);
  }

  attempts(notifyId: string): { at: number; outcome: string }[] {
    return this.db
      .prepare<[string], { at: number; outcome: string }>(`SELECT at, outcome FROM notify_attempt WHERE notify_id = ? ORDER BY id`)
      .all(notifyId);
  }
}
