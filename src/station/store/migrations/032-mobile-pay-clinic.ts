import type { Migration } from './migration';

/**
 * Issue 16, ZS-09: an outpatient bill paid by NHSA mobile payment from the internet hospital / official account.
 * The order names the HIS outpatient order it pays and the HIS patient it belongs to (the patient's paid records);
 * one live mobile order per HIS order, so a bill is never paid twice whatever the phones send.
 */
export const m032MobilePayClinic: Migration = {
  version: 32,
  name: 'mobile payment of outpatient bills',
  sql: `
    ALTER TABLE mobile_pay_orders ADD COLUMN his_order_no TEXT;
    ALTER TABLE mobile_pay_orders ADD COLUMN his_patient_id TEXT;
    CREATE UNIQUE INDEX mobile_pay_orders_live_his_order ON mobile_pay_orders (his_order_no)
      WHERE his_order_no IS NOT NULL AND state NOT IN ('upload-failed', 'cancelled', 'refunded');
    CREATE INDEX mobile_pay_orders_his_patient ON mobile_pay_orders (his_patient_id, created_at) WHERE his_patient_id IS NOT NULL;
  `,
};
