/**
 * The station's SQLite file: one per data dir, WAL for concurrent readers, synchronous=FULL because a money
 * movement acknowledged to a cashier must survive a power cut, foreign keys on.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';
import { cacheStatements } from './statement-cache';
import { chainPendingAudit } from './audit-chain';

export type Db = Database.Database;

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  // Rows older than the chain (migration 010) are chained once, before anything new is appended.
  chainPendingAudit(db);
  // After the migrations: a statement prepared before a schema change would describe the old columns.
  cacheStatements(db);
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const known = migrations.at(-1)?.version ?? 0;
  if (current > known) {
    throw new Error(`database schema v${current} is newer than this program (v${known}); refusing to open it`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
