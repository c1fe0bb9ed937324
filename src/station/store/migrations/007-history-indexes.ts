import type { Migration } from './migration';

/**
 * Issue 17: a year of a busy window (≈ 400,000 orders, millions of intents) must not slow the start, the
 * sweeps, the resolver or the first calls. Every query they run finds its rows through an index whose leading
 * column sorts the few live rows apart from history:
 *
 * - intents by state: the resolver's due list and next wake-up, the crash leftovers at start, the open counts
 *   behind the alarm (after every movement), the QRs waiting for a patient. The partial index of 002 cannot
 *   serve these: SQLite uses a partial index only when the query's WHERE repeats its condition, and an
 *   `IN` of a subset of its states does not (every query planned a full scan of intents); it goes.
 * - intents by creation: the admin's and IT's latest-first lists stop after their LIMIT.
 * - orders by (state, completed_at): the completion sweep's last day of completed orders, not all of them
 *   (replaces the index on state alone, which is its prefix).
 * - orders by identification (the patient's orders after identifying) and by last change (today's list).
 */
export const m007HistoryIndexes: Migration = {
  version: 7,
  name: 'indexes that keep the sweeps, the resolver and the first calls off history',
  sql: `
    CREATE INDEX intents_by_state ON intents(state, next_at);
    CREATE INDEX intents_by_created ON intents(created_at);
    DROP INDEX intents_open;
    CREATE INDEX outpatient_orders_by_state_completed ON outpatient_orders(state, completed_at);
    DROP INDEX outpatient_orders_by_state;
    CREATE INDEX outpatient_orders_by_identification ON outpatient_orders(identification_id);
    CREATE INDEX outpatient_orders_by_updated ON outpatient_orders(updated_at);
  `,
};
