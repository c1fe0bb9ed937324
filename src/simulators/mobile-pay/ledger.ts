/**
 * The mobile-payment centre's own ledger (SQLite): authorisations (payAuthNo), orders (one per 6201 upload, by
 * the hospital's medOrgOrd), refunds and settlement callbacks. Its truth, apart from the station's, so tests
 * reconcile the two. Amounts are integer fen; times epoch ms.
 *
 * ordStas as this simulator uses the codes (the real meaning of each is not public; protocol-research.md §3.5
 * groups 0–2 in progress, 3–6 settled, 7–13 cancelled): 0 uploaded, 4 settled, 7 upload cancelled (6401),
 * 8 refunded (6203, whole).
 */
import { SqliteLedger } from '../pay-channel/sqlite-ledger';

export type OrdStas = '0' | '4' | '7' | '8';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS auth (
  pay_auth_no TEXT PRIMARY KEY,
  psn_no TEXT NOT NULL,
  id_no TEXT NOT NULL,
  user_name TEXT NOT NULL,
  wallet_fen INTEGER NOT NULL,       -- what the patient's phone wallet pays the self-pay part from
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS pay_order (
  pay_ord_id TEXT PRIMARY KEY,
  med_org_ord TEXT NOT NULL UNIQUE,
  pay_auth_no TEXT NOT NULL REFERENCES auth(pay_auth_no),
  pay_token TEXT NOT NULL,
  mdtrt_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,          -- the upload's fee lines: the same medOrgOrd with other lines is refused
  ord_stas TEXT NOT NULL,
  fee_sumamt INTEGER NOT NULL,
  fund_pay INTEGER NOT NULL,
  psn_acct_pay INTEGER NOT NULL,
  own_pay_amt INTEGER NOT NULL,
  acct_used INTEGER,                  -- set by 6202
  hi_doc_sn TEXT UNIQUE,              -- 医保交易流水号, set by 6202
  created_at INTEGER NOT NULL,
  paid_at INTEGER,
  ended_at INTEGER
);
-- What the NHSA centre books a paid order under (nhsa-books.ts); its own table, so a ledger file from before it opens.
CREATE TABLE IF NOT EXISTS order_terms (
  pay_ord_id TEXT PRIMARY KEY REFERENCES pay_order(pay_ord_id),
  med_type TEXT NOT NULL,
  insutype TEXT NOT NULL,
  insuplc_admdvs TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS refund (
  app_refd_sn TEXT PRIMARY KEY,
  pay_ord_id TEXT NOT NULL REFERENCES pay_order(pay_ord_id),
  totl_fen INTEGER NOT NULL,
  fund_fen INTEGER NOT NULL,
  acct_fen INTEGER NOT NULL,
  cash_fen INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS callback (
  pay_ord_id TEXT PRIMARY KEY REFERENCES pay_order(pay_ord_id),
  url TEXT NOT NULL,
  state TEXT NOT NULL,                -- pending | acked | gave-up
  attempts INTEGER NOT NULL DEFAULT 0,
  deliveries INTEGER NOT NULL DEFAULT 0  -- bodies that reached the hospital (duplicates included)
);
`;

export interface AuthRow {
  pay_auth_no: string;
  psn_no: string;
  id_no: string;
  user_name: string;
  wallet_fen: number;
  created_at: number;
}

export interface OrderRow {
  pay_ord_id: string;
  med_org_ord: string;
  pay_auth_no: string;
  pay_token: string;
  mdtrt_id: string;
  fingerprint: string;
  ord_stas: OrdStas;
  fee_sumamt: number;
  fund_pay: number;
  psn_acct_pay: number;
  own_pay_amt: number;
  acct_used: number | null;
  hi_doc_sn: string | null;
  created_at: number;
  paid_at: number | null;
  ended_at: number | null;
}

export interface OrderTermsRow {
  pay_ord_id: string;
  med_type: string;
  insutype: string;
  insuplc_admdvs: string;
}

export interface RefundRow {
  app_refd_sn: string;
  pay_ord_id: string;
  totl_fen: number;
  fund_fen: number;
  acct_fen: number;
  cash_fen: number;
  created_at: number;
}

export interface CallbackRow {
  pay_ord_id: string;
  url: string;
  state: 'pending' | 'acked' | 'gave-up';
  attempts: number;
  deliveries: number;
}

export class MobilePayLedger extends SqliteLedger {
  constructor(path: string) {
    super(path, { schema: SCHEMA, foreignKeys: true });
  }

  insertAuth(row: AuthRow): void {
    this.db
      .prepare(
        `INSERT INTO auth (pay_auth_no, psn_no, id_no, user_name, wallet_fen, created_at)
         VALUES (@pay_auth_no, @psn_no, @id_no, @user_name, @wallet_fen, @created_at)`,
      )
      .run(row);
  }

  auth(payAuthNo: string): AuthRow | undefined {
    return this.db.prepare<[string], AuthRow>(`SELECT * FROM auth WHERE pay_auth_no = ?`).get(payAuthNo);
  }

  debitWallet(payAuthNo: string, fen: number): void {
    this.db.prepare(`UPDATE auth SET wallet_fen = wallet_fen - ? WHERE pay_auth_no = ?`).run(fen, payAuthNo);
  }

  insertOrder(row: OrderRow): void {
    this.db
      .prepare(
        `INSERT INTO pay_order (pay_ord_id, med_org_ord, pay_auth_no, pay_token, mdtrt_id, fingerprint, ord_stas, fee_sumamt,
           fund_pay, psn_acct_pay, own_pay_amt, acct_used, hi_doc_sn, created_at, paid_at, ended_at)
         VALUES (@pay_ord_id, @med_org_ord, @pay_auth_no, @pay_token, @mdtrt_id, @fingerprint, @ord_stas, @fee_sumamt,
           @fund_pay, @psn_acct_pay, @own_pay_amt, @acct_used, @hi_doc_sn, @created_at, @paid_at, @ended_at)`,
      )
      .run(row);
  }

  order(payOrdId: string): OrderRow | undefined {
    return this.db.prepare<[string], OrderRow>(`SELECT * FROM pay_order WHERE pay_ord_id = ?`).get(payOrdId);
  }

  orderByMedOrgOrd(medOrgOrd: string): OrderRow | undefined {
    return this.db.prepare<[string], OrderRow>(`SELECT * FROM pay_order WHERE med_org_ord = ?`).get(medOrgOrd);
  }

  orders(): OrderRow[] {
    return this.db.prepare<[], OrderRow>(`SELECT * FROM pay_order ORDER BY created_at, pay_ord_id`).all();
  }

  updateOrder(
    payOrdId: string,
    change: Partial<Pick<OrderRow, 'ord_stas' | 'acct_used' | 'hi_doc_sn' | 'paid_at' | 'ended_at' | 'psn_acct_pay' | 'own_pay_amt'>>,
  ): void {
    const sets = Object.keys(change).map((k) => `${k} = @${k}`);
    this.db.prepare(`UPDATE pay_order SET ${sets.join(', ')} WHERE pay_ord_id = @pay_ord_id`).run({ ...change, pay_ord_id: payOrdId });
  }

  insertTerms(row: OrderTermsRow): void {
    this.db
      .prepare(
        `INSERT INTO order_terms (pay_ord_id, med_type, insutype, insuplc_admdvs) VALUES (@pay_ord_id, @med_type, @insutype, @insuplc_admdvs)`,
      )
      .run(row);
  }

  terms(payOrdId: string): OrderTermsRow | undefined {
    return this.db.prepare<[string], OrderTermsRow>(`SELECT * FROM order_terms WHERE pay_ord_id = ?`).get(payOrdId);
  }

  insertRefund(row: RefundRow): void {
    this.db
      .prepare(
        `INSERT INTO refund (app_refd_sn, pay_ord_id, totl_fen, fund_fen, acct_fen, cash_fen, created_at)
         VALUES (@app_refd_sn, @pay_ord_id, @totl_fen, @fund_fen, @acct_fen, @cash_fen, @created_at)`,
      )
      .run(row);
  }

  refund(appRefdSn: string): RefundRow | undefined {
    return this.db.prepare<[string], RefundRow>(`SELECT * FROM refund WHERE app_refd_sn = ?`).get(appRefdSn);
  }

  refunds(): RefundRow[] {
    return this.db.prepare<[], RefundRow>(`SELECT * FROM refund ORDER BY created_at, app_refd_sn`).all();
  }

  insertCallback(payOrdId: string, url: string): void {
    this.db.prepare(`INSERT OR IGNORE INTO callback (pay_ord_id, url, state) VALUES (?, ?, 'pending')`).run(payOrdId, url);
  }

  callback(payOrdId: string): CallbackRow | undefined {
    return this.db.prepare<[string], CallbackRow>(`SELECT * FROM callback WHERE pay_ord_id = ?`).get(payOrdId);
  }

  callbacks(): CallbackRow[] {
    return this.db.prepare<[], CallbackRow>(`SELECT * FROM callback ORDER BY pay_ord_id`).all();
  }

  recordCallback(payOrdId: string, state: CallbackRow['state'], delivered: number): void {
    this.db
      .prepare(`UPDATE callback SET state = ?, attempts = attempts + 1, deliveries = deliveries + ? WHERE pay_ord_id = ?`)
      .run(state, delivered, payOrdId);
  }
}
