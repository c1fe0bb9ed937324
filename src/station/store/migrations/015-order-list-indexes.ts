import type { Migration } from './migration';

/**
 * Issue 13, item 4: the admin's list of orders filters a date range by creation time, alone or with the operator
 * or the patient (persons' blind index, already indexed, → psn_no); each of these is an index range, not a walk of a year of orders.
 * Numbered 015: 014 is taken by another branch of this round.
 */
export const m015OrderListIndexes: Migration = {
  version: 15,
  name: 'order list indexes: by creation time, by operator, by patient',
  sql: `
    CREATE INDEX outpatient_orders_by_created ON outpatient_orders(created_at);
    CREATE INDEX outpatient_orders_by_operator_created ON outpatient_orders(operator_id, created_at);
    CREATE INDEX outpatient_orders_by_psn_created ON outpatient_orders(psn_no, created_at);
  `,
};
