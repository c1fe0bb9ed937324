/**
 * The hospital ledger on PostgreSQL: a station's login appends its events through `yibao.append_events` (the only
 * thing its role may do); a batch is one statement, so it is stored whole or not at all, and repeats are ignored by
 * the (station_id, event_id) key.
 */
import pg from 'pg';
import { LedgerEventSchema, type LedgerEvent } from '../ledger-event';
import type { HospitalLedger, HospitalLedgerReader } from '../ledger-port';

export class PostgresLedger implements HospitalLedger {
  readonly name = 'postgres';
  private readonly pool: pg.Pool;

  constructor(config: pg.PoolConfig) {
    this.pool = new pg.Pool({ max: 2, idleTimeoutMillis: 30_000, ...config });
    // A dropped idle connection (the server restarted) is not a crash; the next append reconnects.
    this.pool.on('error', () => undefined);
  }

  async append(events: readonly LedgerEvent[]): Promise<{ inserted: number }> {
    if (events.length === 0) return { inserted: 0 };
    const r = await this.pool.query<{ n: number }>('SELECT yibao.append_events($1::jsonb) AS n', [JSON.stringify(events)]);
    return { inserted: Number(r.rows[0]?.n ?? 0) };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The office's reading of the hospital ledger (its login may only SELECT): a period's events of every station. */
export class PostgresLedgerReader implements HospitalLedgerReader {
  private readonly pool: pg.Pool;

  constructor(config: pg.PoolConfig) {
    this.pool = new pg.Pool({ max: 1, idleTimeoutMillis: 30_000, ...config });
    this.pool.on('error', () => undefined);
  }

  async eventsBetween(from: Date, until: Date): Promise<LedgerEvent[]> {
    const r = await this.pool.query<{ body: unknown }>('SELECT body FROM yibao.station_events WHERE at >= $1 AND at < $2 ORDER BY at, id', [
      from.toISOString(),
      until.toISOString(),
    ]);
    return r.rows.map((row) => LedgerEventSchema.parse(row.body));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
