/**
 * Prepared statements kept per SQL text and reused, instead of one new statement per call.
 *
 * better-sqlite3 compiles every `db.prepare(sql)` into a native sqlite3_stmt that is finalised only when V8
 * collects its small JS wrapper. V8 sees the wrapper, not the native memory behind it, so it feels no pressure
 * to collect: a settlement prepares about 160 statements across the station's repos, and over a soak the
 * process's resident memory climbed by ~250 KB per settlement (heap snapshots showed next to nothing retained:
 * the memory was native, freed late and fragmented). Reusing one statement per SQL text ends that churn.
 *
 * Bounded (retention rule): at most `max` statements, the least recently used one dropped first, so SQL built
 * from a varying column list cannot grow the cache without end. Safe to share because nothing in the station
 * keeps a statement in a mode (`pluck`, `raw`, `expand`, `safeIntegers`, `bind`) or iterates one: every call runs
 * the statement to completion synchronously before the next can use it.
 */
import type Database from 'better-sqlite3';

export const STATEMENT_CACHE_SIZE = 256;

/** Makes `db.prepare` return a cached statement for SQL it has seen; returns the cache's current size, for tests. */
export function cacheStatements(db: Database.Database, max = STATEMENT_CACHE_SIZE): { size(): number } {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const cached = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // most recently used last
    } else {
      statement = prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
  db.prepare = cached as Database.Database['prepare'];
  return { size: () => cache.size };
}
