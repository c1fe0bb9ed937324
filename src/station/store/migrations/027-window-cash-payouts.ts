import type { Migration } from './migration';

/**
 * Issue 15: a discharge surplus paid out of a cashier's drawer (cash.deposit-refund). Written in the transaction
 * that records the payout final, with the cashier who confirmed it, so the shift's drawer count knows the cash left
 * (the outbox's payload is sealed and names no operator). Amounts: INTEGER fen.
 */
export const m027WindowCashPayouts: Migration = {
  version: 27,
  name: 'deposit surpluses paid out in cash at the window',
  sql: `
    CREATE TABLE window_cash_payouts (
      refund_id   TEXT PRIMARY KEY,
      stay_id     TEXT NOT NULL,
      operator_id TEXT NOT NULL,
      amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
      paid_at     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX window_cash_payouts_by_operator ON window_cash_payouts(operator_id, paid_at);
  `,
};
