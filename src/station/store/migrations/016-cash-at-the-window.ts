import type { Migration } from './migration';

/**
 * Issue 13, item 3: cash and bank card at the window. A cash payment is a `payments` row of mode 'cash' (channel
 * 'cash') with what the patient handed over and the change given; a card payment one of mode 'card' keyed by the
 * POS terminal's REF. The table is rebuilt because SQLite cannot widen a CHECK.
 * Nothing references `payments` by foreign key. A shift's close records the drawer count (钱箱清点) and the
 * opening float; the expected cash and the difference (长款/短款) follow from them and the frozen summary.
 */
export const m016CashAtTheWindow: Migration = {
  version: 16,
  name: 'cash payments with tendered and change; the drawer count at a shift close',
  sql: `
    CREATE TABLE payments_new (
      id            TEXT PRIMARY KEY,
      order_id      TEXT NOT NULL REFERENCES outpatient_orders(id),
      mode          TEXT NOT NULL CHECK (mode IN ('micropay','precreate','cash','card')),
      channel       TEXT NOT NULL,
      out_trade_no  TEXT NOT NULL UNIQUE,
      amount_fen    INTEGER NOT NULL,
      state         TEXT NOT NULL,
      transaction_id TEXT,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      code_url      TEXT,
      expires_at    TEXT,
      tendered_fen  INTEGER CHECK (tendered_fen IS NULL OR tendered_fen >= amount_fen),
      change_fen    INTEGER CHECK (change_fen IS NULL OR change_fen = tendered_fen - amount_fen)
    ) STRICT;
    INSERT INTO payments_new (id, order_id, mode, channel, out_trade_no, amount_fen, state, transaction_id, created_at,
      updated_at, code_url, expires_at)
      SELECT id, order_id, mode, channel, out_trade_no, amount_fen, state, transaction_id, created_at, updated_at,
        code_url, expires_at FROM payments;
    DROP TABLE payments;
    ALTER TABLE payments_new RENAME TO payments;
    CREATE INDEX payments_by_order ON payments(order_id);

    ALTER TABLE shifts ADD COLUMN drawer_counted_fen INTEGER;
    ALTER TABLE shifts ADD COLUMN drawer_float_fen INTEGER;
  `,
};
