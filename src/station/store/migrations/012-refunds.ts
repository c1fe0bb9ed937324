import type { Migration } from './migration';

/**
 * Issue 13, item 2: the refund of a completed bill (退费). One row per refund with where it stands and what goes
 * back by channel (fund, personal account, self-pay); one row per payment returned to its own channel, its
 * out_refund_no fixed with the refund before anything is sent. The reason the cashier gave and the remotes' words
 * live in the order's sealed reason, not here: amounts, ids and states stay clear for reconciliation.
 */
export const m012Refunds: Migration = {
  version: 12,
  name: 'refunds of completed bills',
  sql: `
    CREATE TABLE refunds (
      id              TEXT PRIMARY KEY,
      order_id        TEXT NOT NULL REFERENCES outpatient_orders(id),
      state           TEXT NOT NULL CHECK (state IN
                        ('applying','applied','centre-cancelled','withdrawing','refused','waiting','refunded')),
      his_apply_id    TEXT NOT NULL UNIQUE,   -- HIS refund.apply / refund.cancel id
      his_confirm_id  TEXT NOT NULL UNIQUE,   -- HIS settle.cancel id
      fund_fen        INTEGER NOT NULL,
      acct_fen        INTEGER NOT NULL,
      cash_fen        INTEGER NOT NULL,
      operator_id     TEXT NOT NULL,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      finished_at     TEXT
    );
    CREATE INDEX refunds_by_order ON refunds(order_id, created_at);
    CREATE TABLE refund_payments (
      out_refund_no   TEXT PRIMARY KEY,
      refund_id       TEXT NOT NULL REFERENCES refunds(id),
      out_trade_no    TEXT NOT NULL,
      channel         TEXT NOT NULL,
      amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
      state           TEXT NOT NULL CHECK (state IN ('pending','refunded','failed')),
      platform_refund_id TEXT,
      updated_at      TEXT NOT NULL
    );
    CREATE INDEX refund_payments_by_refund ON refund_payments(refund_id);
  `,
};
