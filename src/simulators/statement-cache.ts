/**
 * The simulators' ledgers prepare their statements once per SQL text (the same reasoning as the station's
 * src/station/store/statement-cache.ts, which this layer may not import): in training and in the benchmarks
 * they run in the station's own process, and a statement prepared per request is native memory that V8 frees
 * late. Bounded: at most `max` statements, the least recently used dropped first. Nothing here keeps a
 * statement in a mode (`pluck`, `raw`, `expand`, `bind`) or iterates one, so sharing them is safe.
 */
import type Database from 'better-sqlite3';

export function cacheStatements(db: Database.Database, max = 256): { size(): number } {
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
