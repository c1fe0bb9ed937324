import type { Migration } from './migration';

/**
 * HM-07: a discharge settlement undone after its shortfall was paid at the bedside. HIS's cancel turns each payment
 * into a deposit (转预交金) on the payment's channel and trade number; `to_deposit_no` is that deposit's number, set in
 * the transaction that records HIS's cancel. Such a payment is no longer the settlement's: the next booking takes the
 * deposit instead, so the money is counted once.
 */
export const m034StayPaymentsToDeposits: Migration = {
  version: 34,
  name: 'stay payments turned into deposits',
  sql: `ALTER TABLE stay_payments ADD COLUMN to_deposit_no TEXT;`,
};
