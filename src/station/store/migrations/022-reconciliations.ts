import type { Migration } from './migration';

/**
 * Issue 14 item 3: each reconciliation run of a day with the centre (3201 per group, 3202's differences), kept as
 * the office ran it. The differences name the centre's person numbers: sealed. Rows are never changed; a day run
 * again is a new row. \`statement_json\`: the payment platform's statement matched with the ledger (DQ-07; trade
 * numbers and amounts only), null when the station has no platform.
 */
export const m022Reconciliations: Migration = {
  version: 22,
  name: 'reconciliation runs of a day with the centre',
  sql: `
    CREATE TABLE reconciliations (
      id                 INTEGER PRIMARY KEY AUTOINCREMENT,
      day                TEXT NOT NULL,
      at                 TEXT NOT NULL,
      operator_id        TEXT NOT NULL,
      trigger            TEXT NOT NULL CHECK (trigger IN ('manual', 'auto')),
      outcome            TEXT NOT NULL CHECK (outcome IN ('balanced', 'unbalanced', 'failed')),
      error              TEXT,
      events             INTEGER NOT NULL,
      groups_json        TEXT NOT NULL,
      differences_sealed TEXT NOT NULL,
      statement_json     TEXT
    );
    CREATE INDEX reconciliations_by_day ON reconciliations (day, id);
    CREATE TRIGGER reconciliations_kept_update BEFORE UPDATE ON reconciliations
      BEGIN SELECT RAISE(ABORT, 'reconciliation runs are never changed'); END;
  `,
};
