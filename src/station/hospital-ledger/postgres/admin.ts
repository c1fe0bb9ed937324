/**
 * IT's side of the PostgreSQL ledger (`npm run ledger -- …`): create the roles and schema, add a station's login
 * (a member of yibao_station mapped to one station id) or an office login (yibao_office), and read the state.
 * Run as the server's superuser (or a login with CREATEROLE that is a member of yibao_owner).
 */
import pg from 'pg';
import { LEDGER_SCHEMA_VERSION, ROLES_SQL, SCHEMA_SQL } from './schema';

export type LedgerClient = pg.ClientBase;
export type LedgerClientConfig = pg.ClientConfig;

/** One connection for an administrative command, closed after it. */
export async function withLedgerClient<T>(config: LedgerClientConfig, fn: (c: LedgerClient) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function initLedgerSchema(client: pg.ClientBase): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(ROLES_SQL);
    await client.query('SET LOCAL ROLE yibao_owner');
    await client.query(SCHEMA_SQL);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
  return LEDGER_SCHEMA_VERSION;
}

const LOGIN = /^[a-z_][a-z0-9_]{0,62}$/;
const STATION_ID = /^[A-Za-z0-9_-]{1,32}$/;

async function createLogin(client: pg.ClientBase, login: string, password: string, group: 'yibao_station' | 'yibao_office'): Promise<void> {
  if (!LOGIN.test(login)) throw new Error(`登录名须为小写字母、数字、下划线：${login}`);
  if (password.length < 12) throw new Error('密码至少 12 位');
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
  const verb = exists.rowCount ? 'ALTER' : 'CREATE';
  await client.query(`${verb} ROLE ${client.escapeIdentifier(login)} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  await client.query(`GRANT ${group} TO ${client.escapeIdentifier(login)}`);
}

/** A station's login: it may append events of `stationId` only. */
export async function addStationLogin(client: pg.ClientBase, stationId: string, login: string, password: string): Promise<void> {
  if (!STATION_ID.test(stationId)) throw new Error(`工作站编号不合法：${stationId}`);
  await client.query('BEGIN');
  try {
    await createLogin(client, login, password, 'yibao_station');
    await client.query('DELETE FROM yibao.station_logins WHERE login = $1', [login]);
    await client.query('INSERT INTO yibao.station_logins (login, station_id) VALUES ($1, $2)', [login, stationId]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

/** An office login: reads every station's events. */
export async function addOfficeLogin(client: pg.ClientBase, login: string, password: string): Promise<void> {
  await createLogin(client, login, password, 'yibao_office');
}

export interface LedgerServerStatus {
  schemaVersion: number | null;
  stations: { stationId: string; events: number; lastSeq: number | null; lastReceivedAt: string | null }[];
}

/** What the server holds per station (an owner's or office's view). */
export async function ledgerServerStatus(client: pg.ClientBase): Promise<LedgerServerStatus> {
  const v = await client.query<{ value: string }>("SELECT value FROM yibao.meta WHERE key = 'schema_version'").catch(() => ({ rows: [] }));
  const s = await client.query<{ station_id: string; n: string; last_seq: string | null; last_at: Date | null }>(
    `SELECT station_id, COUNT(*) AS n, MAX(station_seq) AS last_seq, MAX(received_at) AS last_at
       FROM yibao.station_events GROUP BY station_id ORDER BY station_id`,
  );
  return {
    schemaVersion: v.rows[0] ? Number(v.rows[0].value) : null,
    stations: s.rows.map((r) => ({
      stationId: r.station_id,
      events: Number(r.n),
      lastSeq: r.last_seq === null ? null : Number(r.last_seq),
      lastReceivedAt: r.last_at?.toISOString() ?? null,
    })),
  };
}
