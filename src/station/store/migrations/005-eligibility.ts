import type { Migration } from './migration';

/** HX-11/12: the 2001 treatment check of an order's visit, kept sealed like the other answers of the centre. */
export const m005Eligibility: Migration = {
  version: 5,
  name: 'treatment check (2001) per order',
  sql: `ALTER TABLE outpatient_orders ADD COLUMN eligibility_sealed TEXT;`,
};
