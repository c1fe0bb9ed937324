import type { Migration } from './migration';

/**
 * Issue 15: inpatient stays (住院) as the station knows them — the HIS stay (住院号) registered at the centre (2401,
 * its mdtrt_id), and how far its fee lines are uploaded (2301 batches): `uploaded_upto_line` is HIS's line number
 * of the last line the centre holds, written with the batch's final state so a restart resumes after it. The
 * certificate number is personal data: sealed like the outpatient orders' (cert_sealed), and so are the centre's
 * discharge settlement (2304, with its setl_id), what HIS booked of it (deposits applied, surplus) and where the
 * surplus went back (each deposit's refund and its state, or the window).
 */
export const m021InpatientStays: Migration = {
  version: 21,
  name: 'inpatient stays: admission at the centre and the fee upload position',
  sql: `
    CREATE TABLE inpatient_stays (
      id                 TEXT PRIMARY KEY,
      ipt_no             TEXT NOT NULL UNIQUE,
      his_patient_id     TEXT NOT NULL,
      psn_no             TEXT NOT NULL,
      insured_region     TEXT NOT NULL,
      insutype           TEXT NOT NULL,
      cert_sealed        TEXT NOT NULL,
      ward_code          TEXT NOT NULL,
      bed_no             TEXT NOT NULL,
      dept_code          TEXT NOT NULL,
      dept_name          TEXT NOT NULL,
      doctor_code        TEXT NOT NULL,
      doctor_name        TEXT NOT NULL,
      diag_code          TEXT NOT NULL,
      diag_name          TEXT NOT NULL,
      admitted_at        TEXT NOT NULL,
      state              TEXT NOT NULL CHECK (state IN ('registering', 'admitted', 'cancelled', 'in-doubt', 'discharged', 'settled', 'completed')),
      mdtrt_id           TEXT,
      uploaded_upto_line INTEGER NOT NULL DEFAULT 0,
      upload_problem     TEXT,
      settle_id          TEXT,
      settlement_sealed  TEXT,
      booking_sealed     TEXT,
      surplus_sealed     TEXT,
      operator_id        TEXT NOT NULL,
      created_at         TEXT NOT NULL,
      updated_at         TEXT NOT NULL
    ) STRICT;
    CREATE INDEX inpatient_stays_by_state ON inpatient_stays(state, ward_code);
  `,
};
