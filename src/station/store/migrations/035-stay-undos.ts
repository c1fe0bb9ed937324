import type { Migration } from './migration';

/**
 * AQ-17 / HM-07: the window's undo of a discharge settlement is two or three movements (HIS's cancel, 2305, 2405 on
 * request). Who asked, why and whether back to the ward is written before the first is sent, so a stop between them
 * is carried on at start; a refusal of the centre's part stops it for a person (`stopped`, the reason). The row goes
 * in the final state's transaction of the last step.
 */
export const m035StayUndos: Migration = {
  version: 35,
  name: 'inpatient: discharge settlement undos under way',
  sql: `
    CREATE TABLE stay_undos (
      stay_id       TEXT PRIMARY KEY REFERENCES inpatient_stays (id),
      operator_id   TEXT NOT NULL,
      operator_name TEXT NOT NULL,
      operator_role TEXT NOT NULL,
      reason        TEXT NOT NULL,
      back_to_ward  INTEGER NOT NULL CHECK (back_to_ward IN (0, 1)),
      begun_at      TEXT NOT NULL,
      stopped       TEXT,
      stopped_at    TEXT
    );
  `,
};
