import type { FinalState } from './movement';

/** What the outbox tells the station: the alarm's counts, a movement finished, the disk, the resolver idle. */
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
  /**
   * After the resolver's passes, nothing more due now (at least every IDLE_LOOK_MS while started): a workflow whose
   * next step is owed outside any intent (an undo stopped between two movements) looks for it here.
   */
  idle(): void;
}
