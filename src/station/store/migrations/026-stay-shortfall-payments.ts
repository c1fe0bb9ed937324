import type { Migration } from './migration';

/**
 * Issue 15: a discharge's shortfall collected at the bedside. `shortfall_fen` is what the deposits left of the
 * settlement's self-pay part (written when the nurse settles); `stay_payments` holds each attempt to collect it —
 * the patient's payment code or a QR on the screen — keyed by the out_trade_no the platform knows it by, with the
 * QR's code so the screen can draw it again. Amounts: INTEGER fen.
 */
export const m026StayShortfallPayments: Migration = {
  version: 26,
  name: 'stay shortfall payments at the bedside',
  sql: `
    ALTER TABLE inpatient_stays ADD COLUMN shortfall_fen INTEGER NOT NULL DEFAULT 0 CHECK (shortfall_fen >= 0);
    CREATE TABLE stay_payments (
      id             TEXT PRIMARY KEY,
      stay_id        TEXT NOT NULL REFERENCES inpatient_stays(id),
      mode           TEXT NOT NULL CHECK (mode IN ('micropay','precreate')),
      channel        TEXT NOT NULL,                 -- wechat / alipay / unknown until paid
      out_trade_no   TEXT NOT NULL UNIQUE,
      amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
      state          TEXT NOT NULL CHECK (state IN ('pending','paid','failed','reversed','closed')),
      transaction_id TEXT,
      code_url       TEXT,
      expires_at     TEXT,
      created_at     TEXT NOT NULL,
      updated_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX stay_payments_by_stay ON stay_payments(stay_id);
  `,
};
