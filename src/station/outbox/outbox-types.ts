/** What the outbox's callers see: a movement's result, and the refusal of an order locked by one in doubt. */
export type RunResult<O> =
  | { state: 'succeeded'; intentId: string; output: O }
  | { state: 'failed'; intentId: string; detail: string }
  | { state: 'unknown'; intentId: string; detail: string };

export class OrderLockedError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} has a movement whose outcome is unknown`);
    this.name = 'OrderLockedError';
  }
}
