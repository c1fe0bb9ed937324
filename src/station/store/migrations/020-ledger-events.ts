import type { Migration } from './migration';

/**
 * Issue 14: the hospital ledger. `ledger_events` is the station's outbox of ledger events — written in the
 * transaction that records a money movement final, shipped in `seq` order, never changed but for `shipped_at`.
 * `ledger_target` names the ledger they were shipped to. `station_events` is the embedded ledger (one station, training): what a hospital's PostgreSQL holds in its own
 * `station_events`, the same unique (station_id, event_id).
 */
export const m020LedgerEvents: Migration = {
  version: 20,
  name: 'ledger events outbox and the embedded ledger',
  sql: `
    CREATE TABLE ledger_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      order_id TEXT NOT NULL,
      at TEXT NOT NULL,
      body TEXT NOT NULL,
      shipped_at TEXT
    );
    CREATE INDEX ledger_events_unshipped ON ledger_events(seq) WHERE shipped_at IS NULL;
    CREATE TRIGGER ledger_events_immutable BEFORE UPDATE OF seq, event_id, kind, order_id, at, body ON ledger_events
      BEGIN SELECT RAISE(ABORT, 'ledger events are immutable'); END;
    CREATE TRIGGER ledger_events_kept BEFORE DELETE ON ledger_events
      BEGIN SELECT RAISE(ABORT, 'ledger events are never deleted'); END;

    -- Where the events were shipped: a station that moves to another ledger (embedded → the hospital's PostgreSQL)
    -- ships its whole history there again; the receiver keeps each event once.
    CREATE TABLE ledger_target (id INTEGER PRIMARY KEY CHECK (id = 1), target TEXT NOT NULL);

    CREATE TABLE station_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      station_id TEXT NOT NULL,
      event_id TEXT NOT NULL,
      station_seq INTEGER NOT NULL,
      kind TEXT NOT NULL,
      order_id TEXT NOT NULL,
      at TEXT NOT NULL,
      body TEXT NOT NULL,
      received_at TEXT NOT NULL,
      UNIQUE (station_id, event_id)
    );
    CREATE TRIGGER station_events_insert_only BEFORE UPDATE ON station_events
      BEGIN SELECT RAISE(ABORT, 'the ledger is insert-only'); END;
    CREATE TRIGGER station_events_kept BEFORE DELETE ON station_events
      BEGIN SELECT RAISE(ABORT, 'the ledger is insert-only'); END;
  `,
};
