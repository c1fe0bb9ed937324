import type { Migration } from './migration';

/**
 * Why an order is where it is, as a code (src/shared/order-reasons.ts) instead of display text: the reason, the
 * remote's own words, and a note on an undo under way. Rows written before keep their text in `detail` and read
 * back as the 'legacy' reason.
 */
export const m006OrderReasons: Migration = {
  version: 6,
  name: 'order reasons as codes',
  sql: `
    ALTER TABLE outpatient_orders ADD COLUMN reason_code TEXT;
    ALTER TABLE outpatient_orders ADD COLUMN reason_text TEXT NOT NULL DEFAULT '';
    ALTER TABLE outpatient_orders ADD COLUMN reason_note TEXT;
    ALTER TABLE outpatient_orders ADD COLUMN reason_note_text TEXT NOT NULL DEFAULT '';
  `,
};
