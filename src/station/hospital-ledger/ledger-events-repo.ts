/**
 * The station's outbox of ledger events (migration 020): appended inside the transaction that records a money
 * movement final, read back in `seq` order by the shipper, marked shipped once the hospital ledger has them.
 */
import type { Db, PersonsRepo } from '../store';
import type { HospitalLookup, PatientTokens } from '../security';
import type { FinalMovement } from '../outbox';
import { LedgerEventSchema, type LedgerEvent, type NewLedgerEvent } from './ledger-event';
import { ledgerEventsOf, type OrderFacts } from './event-of-movement';

/** The outpatient orders repository fits. */
export interface OrderSource {
  get(orderId: string): Omit<OrderFacts, 'paid'> | undefined;
  payments: { paid(orderId: string): NonNullable<OrderFacts['paid']> };
}

/** The patient's hospital-wide lookup tokens by the centre's person number; none without the key or the person. */
export type PatientTokensOf = (psnNo: string) => PatientTokens | undefined;

/** A station's tokens of its stored persons under the hospital's lookup key (none without one). */
export function patientTokensOf(persons: PersonsRepo, lookup: HospitalLookup | undefined): PatientTokensOf {
  if (!lookup) return () => undefined;
  return (psnNo) => {
    const person = persons.find(psnNo);
    return person ? lookup.tokens(person) : undefined;
  };
}

interface Row {
  seq: number;
  body: string;
}

export interface LedgerBacklog {
  unshipped: number;
  oldestUnshippedAt: string | null;
  lastShippedSeq: number | null;
}

export class LedgerEventsRepo {
  constructor(private readonly db: Db) {}

  /** Appends one event; a second final state of the same intent cannot happen, so a repeat is a bug and throws. */
  append(event: NewLedgerEvent): number {
    const r = this.db
      .prepare('INSERT INTO ledger_events (event_id, kind, order_id, at, body) VALUES (?, ?, ?, ?, ?)')
      .run(event.eventId, event.kind, event.orderId, event.at, JSON.stringify(event));
    return Number(r.lastInsertRowid);
  }

  /**
   * The outbox's `onFinal` hook: the events of a final movement (if it is one), in the caller's transaction.
   * `orders` reads the order (and its paid payments) as the movement's settle left it.
   */
  recorder(stationId: string, orders: OrderSource, patientTokens: PatientTokensOf = () => undefined): (db: Db, m: FinalMovement) => void {
    return (_db, m) => {
      const order = orders.get(m.orderId);
      const patient = order?.psnNo ? patientTokens(order.psnNo) : undefined;
      for (const event of ledgerEventsOf(stationId, m, order ? { ...order, paid: orders.payments.paid(m.orderId) } : null, patient))
        this.append(event);
    };
  }

  /** Unshipped events after `afterSeq`, oldest first. */
  unshipped(limit: number, afterSeq = 0): LedgerEvent[] {
    const rows = this.db
      .prepare('SELECT seq, body FROM ledger_events WHERE shipped_at IS NULL AND seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit) as Row[];
    return rows.map((r) => LedgerEventSchema.parse({ ...(JSON.parse(r.body) as object), seq: r.seq }));
  }

  markShipped(seqs: readonly number[], at: Date): void {
    const mark = this.db.prepare('UPDATE ledger_events SET shipped_at = ? WHERE seq = ? AND shipped_at IS NULL');
    this.db.transaction(() => {
      for (const seq of seqs) mark.run(at.toISOString(), seq);
    })();
  }

  /**
   * The ledger the events go to from now on (`embedded`, or the PostgreSQL address). Another one than before:
   * every event is shipped again, in order — the new ledger lacks the history, and keeps each event once.
   * Returns true when that happened.
   */
  retarget(target: string): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT target FROM ledger_target WHERE id = 1').get() as { target: string } | undefined;
      if (row?.target === target) return false;
      this.db
        .prepare('INSERT INTO ledger_target (id, target) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET target = excluded.target')
        .run(target);
      if (!row) return false;
      this.db.prepare('UPDATE ledger_events SET shipped_at = NULL WHERE shipped_at IS NOT NULL').run();
      return true;
    })();
  }

  backlog(): LedgerBacklog {
    const u = this.db.prepare('SELECT COUNT(*) AS n, MIN(at) AS oldest FROM ledger_events WHERE shipped_at IS NULL').get() as {
      n: number;
      oldest: string | null;
    };
    const s = this.db.prepare('SELECT MAX(seq) AS seq FROM ledger_events WHERE shipped_at IS NOT NULL').get() as { seq: number | null };
    return { unshipped: u.n, oldestUnshippedAt: u.oldest, lastShippedSeq: s.seq };
  }

  /** Every event of an order, oldest first (tests, the support bundle). */
  ofOrder(orderId: string): LedgerEvent[] {
    const rows = this.db.prepare('SELECT seq, body FROM ledger_events WHERE order_id = ? ORDER BY seq').all(orderId) as Row[];
    return rows.map((r) => LedgerEventSchema.parse({ ...(JSON.parse(r.body) as object), seq: r.seq }));
  }
}
