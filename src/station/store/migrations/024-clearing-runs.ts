import type { Migration } from './migration';

/**
 * Issue 14 item 1 (ZS-07): each monthly cross-region clearing run (3260 check, 3261 confirm, 3262 roll-back) as the
 * office ran it, with the centre's rows matched against the ledger (settlement and visit ids and amounts only: no
 * person). Never changed; whether a confirmation stands is read from the last confirm or roll-back that went through.
 */
export const m024ClearingRuns: Migration = {
  version: 24,
  name: 'monthly cross-region clearing runs',
  sql: `
    CREATE TABLE clearing_runs (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      month        TEXT NOT NULL,
      at           TEXT NOT NULL,
      operator_id  TEXT NOT NULL,
      action       TEXT NOT NULL CHECK (action IN ('check', 'confirm', 'rollback')),
      outcome      TEXT NOT NULL CHECK (outcome IN ('done', 'failed')),
      error        TEXT,
      inf_refmsgid TEXT,
      totals_json  TEXT NOT NULL,
      rows_json    TEXT NOT NULL
    );
    CREATE INDEX clearing_runs_by_month ON clearing_runs (month, id);
    CREATE TRIGGER clearing_runs_kept_update BEFORE UPDATE ON clearing_runs
      BEGIN SELECT RAISE(ABORT, 'clearing runs are never changed'); END;
  `,
};
