import type { Migration } from './migration';

/**
 * HX-44/45: the station's finance lists find a phone's payment and refund by the patient as the window's — through
 * the persons' blind indexes by the insured person number, which the window's orders keep in clear too. Orders made
 * before this get it from their sealed patient when mobile payment is wired at start (MobileOrdersRepo.fillPersonNumbers).
 */
export const m036MobilePayPsn: Migration = {
  version: 36,
  name: 'mobile payment: the insured person number in clear and the bookings by day, for the finance lists',
  sql: `
    ALTER TABLE mobile_pay_orders ADD COLUMN psn_no TEXT;
    -- the lists' day range on the phone's side: when each order was paid or refunded
    CREATE INDEX mobile_pay_bookings_by_effect_at ON mobile_pay_bookings (effect, at);
  `,
};
