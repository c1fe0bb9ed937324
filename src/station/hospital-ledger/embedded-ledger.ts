/** The default hospital ledger: the station's own SQLite (`station_events`, migration 020), so `npm start` needs no server. */
import type { Db } from '../store';
import { LedgerEventSchema, type LedgerEvent } from './ledger-event';
import type { HospitalLedger, HospitalLedgerReader } from './ledger-port';

export class EmbeddedLedger implements HospitalLedger, HospitalLedgerReader {
  readonly name = 'embedded';

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  append(events: readonly LedgerEvent[]): Promise<{ inserted: number }> {
    const insert = this.db.prepare(
      `INSERT INTO station_events (station_id, event_id, station_seq, kind, order_id, at, body, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (station_id, event_id) DO NOTHING`,
    );
    const received = this.now().toISOString();
    const inserted = this.db.transaction(() =>
      events.reduce(
        (n, e) => n + insert.run(e.stationId, e.eventId, e.seq, e.kind, e.orderId, e.at, JSON.stringify(e), received).changes,
        0,
      ),
    )();
    return Promise.resolve({ inserted });
  }

  /** The station's events as the ledger holds them, in arrival order (tests, `ledger status`). */
  count(stationId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM station_events WHERE station_id = ?').get(stationId) as { n: number }).n;
  }

  /** Every station's events whose final state fell in [from, until), oldest first: what a day's reconciliation reads. */
  eventsBetween(from: Date, until: Date): Promise<LedgerEvent[]> {
    const rows = this.db
      .prepare('SELECT body FROM station_events WHERE at >= ? AND at < ? ORDER BY at, id')
      .all(from.toISOString(), until.toISOString()) as { body: string }[];
    return Promise.resolve(rows.map((r) => LedgerEventSchema.parse(JSON.parse(r.body))));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
