/** What the outbox's callers see: a movement's result, the events it announces, the refusal of a locked order. */
import type { FinalState } from './movement';

export type RunResult<O> =
  | { state: 'succeeded'; intentId: string; output: O }
  | { state: 'failed'; intentId: string; detail: string }
  | { state: 'unknown'; intentId: string; detail: string };

export interface OutboxEvents {
  /** After every change of the open set; the station turns this into the alarm on every screen. */
  changed(summary: { inDoubt: number; escalated: number }): void;
  /**
   * After the resolver (or a person) committed an intent's final state, so the workflow can take its next step —
   * outside the transaction. Not called for answers `run()` returns itself.
   */
  finished(intent: { id: string; kind: string; orderId: string; final: FinalState }): void;
  /** The resolver's writes: refused by storage (the error), or working again after a refusal (null). */
  storage(error: unknown): void;
}

export class OrderLockedError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} has a movement whose outcome is unknown`);
    this.name = 'OrderLockedError';
  }
}
