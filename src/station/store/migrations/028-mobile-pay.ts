import type { Migration } from './migration';

/**
 * Issue 16: NHSA mobile payment (医保移动支付). One row per bill the patient settles on the phone, keyed by the
 * hospital's order number (medOrgOrd, which the centre knows it by): the centre's ids and pre-settled split once
 * 6201 answered, the paid parts once 6202 (or 6301) did, the refund's serial. The patient's identity is sealed.
 * An inpatient bill names its HIS stay (住院号, the last line it covers): HIS books the discharge settlement after the
 * pay, under a settle id fixed before the first attempt.
 * `mobile_pay_bookings` holds each business effect once (UNIQUE): a duplicated or late callback finds it there.
 */
export const m028MobilePay: Migration = {
  version: 28,
  name: 'mobile insurance payment orders and their bookings',
  sql: `
    CREATE TABLE mobile_pay_orders (
      id              TEXT PRIMARY KEY,
      kind            TEXT NOT NULL CHECK (kind IN ('inpatient', 'outpatient')),
      visit_no        TEXT NOT NULL,
      state           TEXT NOT NULL,
      pay_auth_no     TEXT NOT NULL,
      patient_sealed  TEXT NOT NULL,
      medfee_fen      INTEGER NOT NULL,
      pay_ord_id      TEXT UNIQUE,
      pay_token       TEXT,
      mdtrt_id        TEXT,
      fund_fen        INTEGER,
      acct_fen        INTEGER,
      own_fen         INTEGER,
      hi_doc_sn       TEXT,
      refund_sn       TEXT UNIQUE,
      ward_ipt_no     TEXT,
      ward_upto_line  INTEGER,
      his_settle_id   TEXT UNIQUE,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    );
    CREATE INDEX mobile_pay_orders_state ON mobile_pay_orders (state, updated_at);
    CREATE TABLE mobile_pay_bookings (
      order_id  TEXT NOT NULL REFERENCES mobile_pay_orders(id),
      effect    TEXT NOT NULL CHECK (effect IN ('paid', 'his-booked', 'refunded')),
      source    TEXT NOT NULL,
      at        TEXT NOT NULL,
      PRIMARY KEY (order_id, effect)
    );
  `,
};
