import type { Migration } from './migration';

/**
 * Issue 12, item 4: every print of a settlement slip, so the second and later ones carry 补打 with their time and
 * the station knows who printed each. Numbered 013: 012 is taken by another branch of this round.
 */
export const m013ReceiptPrints: Migration = {
  version: 13,
  name: 'receipt prints: each print of a slip, numbered per order',
  sql: `
    CREATE TABLE receipt_prints (
      order_id TEXT NOT NULL,
      print_no INTEGER NOT NULL CHECK (print_no >= 1),
      operator_id TEXT NOT NULL,
      printed_at TEXT NOT NULL,
      PRIMARY KEY (order_id, print_no)
    ) STRICT;
  `,
};
