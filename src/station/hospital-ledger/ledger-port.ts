/**
 * The hospital ledger port: where a station's events end up. `EmbeddedLedger` (the station's own SQLite, the
 * default) and `PostgresLedger` (one server for the hospital) both keep each (stationId, eventId) once, insert-only.
 * Reconciliation (3201/3202), statements and the office screen read through `HospitalLedgerReader`.
 */
import type { LedgerEvent } from './ledger-event';

export interface HospitalLedger {
  readonly name: 'embedded' | 'postgres';
  /**
   * Stores the events, in the order given, each at most once: a repeat of a stored (stationId, eventId) is
   * ignored. Returns how many were new. Throws when the ledger cannot be reached (nothing is then assumed stored).
   */
  append(events: readonly LedgerEvent[]): Promise<{ inserted: number }>;
  close(): Promise<void>;
}

/** What the office reads: every station's events whose final state fell in [from, until), oldest first. */
export interface HospitalLedgerReader {
  eventsBetween(from: Date, until: Date): Promise<LedgerEvent[]>;
}
