import type { Migration } from './migration';

/**
 * Issue 11, item 8: what an order says about a patient's health and money is sealed like the rest — the doctor,
 * the department, each line's item (a drug's name and code tell the illness) and the account balance; the
 * remote's own words in a reason (a centre's free text can hold a name or an ID number) are sealed in place.
 * A blind index of the doctor's name keeps the doctor station's "my patients today" an indexed look-up.
 *
 * SQL cannot seal (the key lives outside the database), so the rows written before stay as they were until the
 * station's start seals them (outpatient/seal-legacy-rows.ts); the partial indexes find those few rows without
 * walking a year of history, and are empty afterwards.
 */
export const m011SealedCare: Migration = {
  version: 11,
  name: 'doctor, department, items, balances and remote texts sealed',
  sql: `
    ALTER TABLE outpatient_orders ADD COLUMN care_sealed TEXT;      -- {doctorName, deptCode, deptName}
    ALTER TABLE outpatient_orders ADD COLUMN doctor_index TEXT;     -- blind index of the doctor's name
    ALTER TABLE outpatient_orders ADD COLUMN balance_sealed TEXT;   -- the account balance after settling, fen as text
    ALTER TABLE outpatient_order_lines ADD COLUMN item_sealed TEXT; -- {hisItemCode, medListCodg, name, spec, unit}
    CREATE INDEX outpatient_orders_by_doctor ON outpatient_orders(doctor_index, updated_at);
    CREATE INDEX outpatient_orders_unsealed ON outpatient_orders(id) WHERE care_sealed IS NULL;
    CREATE INDEX outpatient_order_lines_unsealed ON outpatient_order_lines(order_id) WHERE item_sealed IS NULL;
  `,
};
