import type { Migration } from './migration';

/**
 * Issue 13's lists on a big database (bench/lists.ts, 1,000,000 orders): the month's count and the channel filter
 * probe each order's payments, an operator's refunds walked every order of the operator in the range, and a range
 * sorted by amount sorted all of it. Covering indexes make those index-only: the creation-time range with the order
 * id, the operator's range by state, an order's payments by channel and state, and the amounts in order with their
 * time (a page of a month by amount walks it from the top and stops after 50 matches).
 */
export const m023ListCoveringIndexes: Migration = {
  version: 23,
  name: 'list covering indexes: orders by time with id, by operator and state, by amount with time; payments by order, channel and state',
  sql: `
    CREATE INDEX outpatient_orders_by_created_id ON outpatient_orders(created_at, id);
    DROP INDEX IF EXISTS outpatient_orders_by_created;
    CREATE INDEX outpatient_orders_by_operator_state_created ON outpatient_orders(operator_id, state, created_at);
    CREATE INDEX payments_by_order_channel_state ON payments(order_id, channel, state);
    CREATE INDEX outpatient_orders_by_total_created ON outpatient_orders(total_fen, created_at, id);
  `,
};
