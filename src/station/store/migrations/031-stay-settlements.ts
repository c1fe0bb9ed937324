import type { Migration } from './migration';

/**
 * Issue 15: a stay's mid-stay settlements (中途结算), one row per 2304 with mid_setl_flag 1 the centre made, booked
 * at HIS once HIS's 'midway' settlement holds it. The discharge settlement stays on the stay's own row.
 */
export const m031StaySettlements: Migration = {
  version: 31,
  name: 'inpatient: mid-stay settlements',
  sql: `
    CREATE TABLE stay_settlements (
      setl_id           TEXT PRIMARY KEY,
      stay_id           TEXT NOT NULL REFERENCES inpatient_stays (id),
      state             TEXT NOT NULL CHECK (state IN ('settled', 'booked')),
      upto_line         INTEGER NOT NULL,
      settlement_sealed TEXT NOT NULL,
      booking_sealed    TEXT,
      created_at        TEXT NOT NULL,
      updated_at        TEXT NOT NULL
    );
    CREATE INDEX stay_settlements_of_stay ON stay_settlements (stay_id, upto_line);
  `,
};
