import type { Migration } from './migration';

/**
 * AQ-15 / SX-02 / SX-03, inpatient part: a discharge settlement HIS booked gets its bill too, so a bill belongs to an
 * outpatient order or to a stay (exactly one). SQLite cannot change a column's constraint in place: the table is built
 * again with the same rows. `red_asked_by`: who asked the refund or undo whose red-flush is owed (the red bill names
 * them, not the cashier who settled), kept on the row so a red-flush a stop interrupted still names them.
 */
export const m039StayEBills: Migration = {
  version: 39,
  name: 'fiscal e-bills of inpatient discharge settlements; who asked the red-flush',
  sql: `
    CREATE TABLE ebills_039 (
      bus_no          TEXT PRIMARY KEY,
      order_id        TEXT REFERENCES outpatient_orders(id),
      stay_id         TEXT REFERENCES inpatient_stays(id),
      state           TEXT NOT NULL CHECK (state IN ('issuing', 'issued', 'refused', 'red-flushed', 'red-flush-refused')),
      total_fen       INTEGER NOT NULL,
      bill_code       TEXT,
      bill_no         TEXT,
      check_code      TEXT,
      url             TEXT,
      issued_at       TEXT,
      red_code        TEXT,
      red_no          TEXT,
      red_check_code  TEXT,
      red_url         TEXT,
      red_at          TEXT,
      red_asked_by    TEXT,
      attempts        INTEGER NOT NULL DEFAULT 1,
      reissue_asked_at TEXT,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      CHECK ((order_id IS NULL) <> (stay_id IS NULL))
    );
    INSERT INTO ebills_039 (bus_no, order_id, state, total_fen, bill_code, bill_no, check_code, url, issued_at, red_code, red_no,
      red_check_code, red_url, red_at, attempts, reissue_asked_at, created_at, updated_at)
    SELECT bus_no, order_id, state, total_fen, bill_code, bill_no, check_code, url, issued_at, red_code, red_no,
      red_check_code, red_url, red_at, attempts, reissue_asked_at, created_at, updated_at FROM ebills;
    DROP TABLE ebills;
    ALTER TABLE ebills_039 RENAME TO ebills;
    CREATE INDEX ebills_by_order ON ebills (order_id, created_at);
    -- a stay's bills: one per discharge booking (an undone settlement settled again is booked under a new settle id)
    CREATE INDEX ebills_by_stay ON ebills (stay_id, created_at);
    CREATE INDEX ebills_by_state ON ebills (state);
    -- 038's partial index of IT's re-issue asks went with the old table
    CREATE INDEX ebills_reissue_asked ON ebills (state) WHERE reissue_asked_at IS NOT NULL;
    -- the bills' sweep looks at the stays changed lately only
    CREATE INDEX inpatient_stays_by_updated ON inpatient_stays (updated_at);
  `,
};
