import type { Migration } from './migration';

/**
 * Issue 16, ZS-09: a registration fee paid on the phone and refunded (退号) — after the 6203 refund, HIS cancels the
 * booking (the registration) under a cancel id fixed before the first attempt; when it did, the order records it.
 */
export const m033MobilePayClinicCancel: Migration = {
  version: 33,
  name: 'mobile payment: HIS cancel of a refunded outpatient bill',
  sql: `
    ALTER TABLE mobile_pay_orders ADD COLUMN his_cancel_id TEXT;
    ALTER TABLE mobile_pay_orders ADD COLUMN his_cancelled_at TEXT;
  `,
};
