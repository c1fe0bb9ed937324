import type { Migration } from './migration';

/**
 * AQ-15 / SX-02 / SX-03: the fiscal e-bill of each HIS booking of an outpatient order, and its red bill after a refund. Only the
 * bill's numbers are kept (the request, with the payer's name and ID number, lives sealed in its intent).
 * Amounts: INTEGER fen.
 */
export const m037EBills: Migration = {
  version: 37,
  name: 'fiscal e-bills of outpatient orders and their red-flushes',
  sql: `
    CREATE TABLE ebills (
      bus_no          TEXT PRIMARY KEY,               -- the station's key at the platform: HIS's settle id
      order_id        TEXT NOT NULL REFERENCES outpatient_orders(id),
      state           TEXT NOT NULL CHECK (state IN ('issuing', 'issued', 'refused', 'red-flushed', 'red-flush-refused')),
      total_fen       INTEGER NOT NULL,
      bill_code       TEXT,                           -- 票据代码
      bill_no         TEXT,                           -- 票据号码
      check_code      TEXT,                           -- 校验码
      url             TEXT,                           -- the patient's page of the bill
      issued_at       TEXT,
      red_code        TEXT,                           -- the red bill's, once red-flushed (absent when the platform
      red_no          TEXT,                           -- answered "already red-flushed")
      red_check_code  TEXT,
      red_url         TEXT,
      red_at          TEXT,
      attempts        INTEGER NOT NULL DEFAULT 1,     -- issue requests sent under this busNo (IT's re-issues after a refusal)
      reissue_asked_at TEXT,                          -- IT asked to issue a refused bill again (npm run station -- ebill reissue)
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    );
    -- an order's bills: one per HIS booking (a refund by line books the rest again, under a new settle id)
    CREATE INDEX ebills_by_order ON ebills (order_id, created_at);
    -- the sweep's bills still to red-flush
    CREATE INDEX ebills_by_state ON ebills (state);
  `,
};
