import type { Migration } from './migration';

/**
 * Issue 13, item 6: shifts (交班). One row per operator's shift on this station; at most one open per operator.
 * A shift counts its operator's records from `covers_from` (the previous shift's close, so a bill that completes
 * between a close and the next sign-in is counted once, in the next shift) to its close. The summary is frozen
 * as JSON at the close, and a trigger refuses any change to a closed shift or any delete.
 */
export const m014Shifts: Migration = {
  version: 14,
  name: 'shifts: shift close and day close',
  sql: `
    CREATE TABLE shifts (
      id           TEXT PRIMARY KEY,
      station_id   TEXT NOT NULL,
      operator_id  TEXT NOT NULL REFERENCES operators(id),
      covers_from  TEXT NOT NULL,
      opened_at    TEXT NOT NULL,
      closed_at    TEXT,
      closed_by    TEXT,
      business_day TEXT,
      summary_json TEXT,
      CHECK ((closed_at IS NULL) = (summary_json IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX shifts_open_by_operator ON shifts(operator_id) WHERE closed_at IS NULL;
    CREATE INDEX shifts_by_day ON shifts(business_day, closed_at);
    CREATE INDEX shifts_by_operator ON shifts(operator_id, closed_at);
    -- a shift's refunds by when they finished, not a walk of every refund
    CREATE INDEX refunds_by_finished ON refunds(finished_at);
    CREATE TRIGGER shifts_closed_stay BEFORE UPDATE ON shifts WHEN OLD.closed_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a closed shift cannot change'); END;
    CREATE TRIGGER shifts_never_deleted BEFORE DELETE ON shifts
      BEGIN SELECT RAISE(ABORT, 'shifts are never deleted'); END;
  `,
};
