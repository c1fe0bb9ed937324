import type { Migration } from './migration';

/**
 * Issue 6, second half: the merchant-presented QR (HX-22), self-pay-only orders (HX-20), what HIS booked and its
 * details (HX-25), and the patient message (HX-27). The QR's code_url is no personal data (it names a platform
 * order, not a person) and stays in clear so the screen can draw it again after a restart.
 */
export const m004PaymentsAndResults: Migration = {
  version: 4,
  name: 'QR payments, self-pay orders, HIS settlement details, patient messages',
  sql: `
    ALTER TABLE payments ADD COLUMN code_url TEXT;
    ALTER TABLE payments ADD COLUMN expires_at TEXT;

    ALTER TABLE outpatient_orders ADD COLUMN settle_mode TEXT NOT NULL DEFAULT 'insurance'
      CHECK (settle_mode IN ('insurance','self-pay'));
    ALTER TABLE outpatient_orders ADD COLUMN his_settle_id TEXT;     -- our idempotency key for HIS (settle.confirm / selfpay)
    ALTER TABLE outpatient_orders ADD COLUMN his_settlement_sealed TEXT; -- HIS details (HX-25): settle no, invoice, pickup
    ALTER TABLE outpatient_orders ADD COLUMN completed_at TEXT;
    ALTER TABLE outpatient_orders ADD COLUMN push_state TEXT NOT NULL DEFAULT 'none'
      CHECK (push_state IN ('none','pending','sent'));
    CREATE INDEX outpatient_orders_by_completed ON outpatient_orders(completed_at);
  `,
};
