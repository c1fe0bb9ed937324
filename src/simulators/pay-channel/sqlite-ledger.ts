/**
 * What the simulators' own SQLite ledgers share (payment platform, HIS): a file (or ':memory:') in WAL mode
 * with the ledger's schema, one request's reads and writes applied together, and serial counters that persist
 * across restarts of a file-backed simulator. Here beside the HTTP leg, where the simulators that keep a
 * ledger may import SQLite.
 */
import Database from 'better-sqlite3';
import { cacheStatements } from '../statement-cache';

const COUNTER_TABLE = `CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`;

export interface SqliteLedgerOptions {
  /** CREATE TABLE IF NOT EXISTS ... for the ledger's own tables */
  schema: string;
  /** whether SQLite enforces the schema's REFERENCES */
  foreignKeys: boolean;
}

export abstract class SqliteLedger {
  protected readonly db: Database.Database;

  constructor(path: string, { schema, foreignKeys }: SqliteLedgerOptions) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    if (foreignKeys) this.db.pragma('foreign_keys = ON');
    this.db.exec(COUNTER_TABLE + schema);
    // After the schema: one prepared statement per SQL text (statement-cache.ts says why).
    cacheStatements(this.db);
  }

  close(): void {
    this.db.close();
  }

  /** One request's reads and writes land together or not at all. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** 1, 2, 3, ... per name. */
  nextSerial(name: string): number {
    const row = this.db
      .prepare<[string], { value: number }>(
        `INSERT INTO counter (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get(name);
    if (!row) throw new Error(`counter ${name} did not advance`);
    return row.value;
  }
}
