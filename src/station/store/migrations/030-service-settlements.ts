import type { Migration } from './migration';

/**
 * Issue 16 item 1: a phone's discharge settlement through the mobile-payment port (HM-06/09) and the refund
 * applications against it (HM-10). The pay order's id is the port's; amounts in fen as the pre-settlement priced
 * them; the security checks the phone passed (HM-11) kept with the settlement.
 */
export const m030ServiceSettlements: Migration = {
  version: 30,
  name: 'settlement service: phone settlements and refund applications',
  sql: `
    CREATE TABLE service_settlements (
      id            TEXT PRIMARY KEY,
      app_id        TEXT NOT NULL,
      stay_id       TEXT NOT NULL,
      ipt_no        TEXT NOT NULL,
      pay_order_id  TEXT,
      state         TEXT NOT NULL CHECK (state IN ('preparing', 'paying', 'paid', 'failed', 'unknown', 'refunding', 'refunded')),
      medfee_fen    INTEGER NOT NULL,
      fund_fen      INTEGER NOT NULL,
      acct_fen      INTEGER NOT NULL,
      cash_fen      INTEGER NOT NULL,
      checks_json   TEXT NOT NULL,
      detail        TEXT,
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX service_settlements_one_live_per_stay ON service_settlements (stay_id)
      WHERE state IN ('preparing', 'paying', 'paid', 'unknown', 'refunding');
    CREATE TABLE service_refund_applications (
      id            TEXT PRIMARY KEY,
      settlement_id TEXT NOT NULL REFERENCES service_settlements (id),
      reason        TEXT NOT NULL,
      state         TEXT NOT NULL CHECK (state IN ('applied', 'refunded', 'refused', 'unknown')),
      detail        TEXT,
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL
    );
  `,
};
