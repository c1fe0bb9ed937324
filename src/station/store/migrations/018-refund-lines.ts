import type { Migration } from './migration';

/**
 * Issue 13, item 2: the refund of some lines of a bill (部分退费). Each line keeps HIS's own line number (HIS's
 * refund.apply names lines by prescription and line) and, once a partial refund took it back, that refund's id: the
 * order's lines and total are then what remains. A refund says whether it is partial and which lines it takes back,
 * and the HIS settle id under which the remaining lines are booked again. 016 and 017 are other branches' numbers.
 */
export const m018RefundLines: Migration = {
  version: 18,
  name: 'refunds by line',
  sql: `
    ALTER TABLE outpatient_order_lines ADD COLUMN his_line_no INTEGER;
    ALTER TABLE outpatient_order_lines ADD COLUMN refunded_by TEXT REFERENCES refunds(id);
    ALTER TABLE refunds ADD COLUMN partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1));
    ALTER TABLE refunds ADD COLUMN resettle_id TEXT;
    CREATE TABLE refund_lines (
      refund_id  TEXT NOT NULL REFERENCES refunds(id),
      seq        INTEGER NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
      PRIMARY KEY (refund_id, seq)
    );
  `,
};
