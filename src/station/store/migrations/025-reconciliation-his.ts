import type { Migration } from './migration';

/**
 * Issue 14 item 3: a day's run also keeps HIS's own account of the day matched with the ledger's HIS bookings
 * (settle ids, HIS's numbers and amounts only); null for runs before, and for a station without HIS.
 */
export const m025ReconciliationHis: Migration = {
  version: 25,
  name: "the day's reconciliation with HIS's account",
  sql: `ALTER TABLE reconciliations ADD COLUMN his_json TEXT;`,
};
