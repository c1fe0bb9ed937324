/**
 * The multi-station chaos run's hospital ledger (issue 14, item 5): a throwaway PostgreSQL (test/harness/postgres.ts)
 * set up as IT would with `npm run ledger -- init / add-station / add-office` — one login per station, one for the
 * office — and, at the end, the two checks only a hospital-wide ledger allows:
 *   - every station's ledger events are on the server exactly once, by (station id, event id)
 *   - the day's reconciliation (`reconcileDay`) over the events the office login reads balances 3201 for every group
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { addOfficeLogin, addStationLogin, initLedgerSchema, PostgresLedgerReader } from '../../src/station/hospital-ledger';
import { reconcileDay } from '../../src/station/reconciliation';
import type { CentrePort } from '../../src/station/ports';
import type { CallContext, NhsaClient, NhsaOutcome } from '../../src/insurance/nhsa';
import { dayStartUtc } from '../../src/station/clock';
import { asSuperuser, startThrowawayPostgres, type ThrowawayPostgres } from '../harness/postgres';

const DATABASE = 'yibao';
const OFFICE = { user: 'chaos_office', password: 'chaos-office-reader' };
const loginOf = (stationId: string) => stationId.replace(/[^a-z0-9]/gi, '_').toLowerCase();
const passwordOf = (stationId: string) => `chaos-${stationId}-secret`;

export interface ChaosLedger {
  server: ThrowawayPostgres;
  /** The station's `ledger` configuration; its key file is written into the data dir. */
  joinStation(stationId: string, dataDir: string): { url: string; keyFile: string };
  close(): void;
}

export async function startChaosLedger(stationIds: readonly string[]): Promise<ChaosLedger> {
  const server = await startThrowawayPostgres();
  try {
    await asSuperuser(server, 'postgres', (c) => c.query(`CREATE DATABASE ${DATABASE}`));
    await asSuperuser(server, DATABASE, async (c) => {
      await initLedgerSchema(c);
      for (const id of stationIds) await addStationLogin(c, id, loginOf(id), passwordOf(id));
      await addOfficeLogin(c, OFFICE.user, OFFICE.password);
    });
  } catch (e) {
    server.close();
    throw e;
  }
  return {
    server,
    joinStation(stationId, dataDir) {
      const keyFile = 'ledger-keys.json';
      fs.writeFileSync(path.join(dataDir, keyFile), JSON.stringify({ user: loginOf(stationId), password: passwordOf(stationId) }), {
        mode: 0o600,
      });
      return { url: server.url(DATABASE), keyFile };
    },
    close: () => server.close(),
  };
}

/** Per station: its local events missing on the server, the server's events it does not have, and any held twice. */
export async function ledgerEventsOnServer(
  ledger: ChaosLedger,
  stations: readonly { stationId: string; dbPath: string }[],
): Promise<{ local: number; server: number; problems: string[] }> {
  const rows = await asSuperuser(
    ledger.server,
    DATABASE,
    async (c) =>
      (
        await c.query<{ station_id: string; event_id: string; n: string }>(
          'SELECT station_id, event_id, count(*) AS n FROM yibao.station_events GROUP BY station_id, event_id',
        )
      ).rows,
  );
  const problems: string[] = [];
  let local = 0;
  const held = new Map(rows.map((r) => [`${r.station_id}|${r.event_id}`, Number(r.n)]));
  for (const r of rows) if (Number(r.n) !== 1) problems.push(`ledger: ${r.station_id} event ${r.event_id} held ${r.n} times`);
  const known = new Set<string>();
  for (const s of stations) {
    const db = new Database(s.dbPath, { readonly: true, fileMustExist: true });
    try {
      for (const { eventId } of db.prepare('SELECT event_id AS eventId FROM ledger_events ORDER BY seq').all() as { eventId: string }[]) {
        local += 1;
        known.add(`${s.stationId}|${eventId}`);
        if (!held.has(`${s.stationId}|${eventId}`)) problems.push(`ledger: ${s.stationId} event ${eventId} never reached the server`);
      }
    } finally {
      db.close();
    }
  }
  for (const key of held.keys()) if (!known.has(key)) problems.push(`ledger: the server holds ${key}, which no station has`);
  return { local, server: rows.length, problems };
}

/** The day's reconciliation over the events the office login reads: every 3201 group balanced, no 3202 difference. */
export async function reconcileLedgerDay(
  ledger: ChaosLedger,
  centre: CentrePort,
  day: string,
  timeZone: string,
): Promise<{ events: number; groups: number; problems: string[] }> {
  const reader = new PostgresLedgerReader({
    host: '127.0.0.1',
    port: ledger.server.port,
    database: DATABASE,
    user: OFFICE.user,
    password: OFFICE.password,
  });
  try {
    const from = dayStartUtc(day, timeZone);
    const events = await reader.eventsBetween(from, new Date(from.getTime() + 86_400_000));
    const r = await reconcileDay({ gateway: centre, operator: { id: 'chaos01', name: '混沌测试', role: 'admin' } }, events, day);
    const problems = [
      ...r.groups
        .filter((g) => !g.balanced)
        .map((g) => `ledger 3201 ${g.totals.region}/${g.totals.insutype}/${g.totals.clrType} not balanced: ${g.centreSays}`),
      ...r.differences.map((d) => `ledger 3202 ${d.region}: ${d.kind} ${d.setlId ?? ''} (${d.mdtrtId ?? ''}): ${d.memo}`),
    ];
    return { events: events.length, groups: r.groups.length, problems };
  } finally {
    await reader.close();
  }
}

/** The harness's own signed-in client as the port `reconcileDay` calls the centre through. */
export function centrePortOf(client: NhsaClient, ctx: Pick<CallContext, 'operator' | 'signNo'>): CentrePort {
  return {
    perform: <T>(
      _infno: string,
      _operator: unknown,
      call: (c: NhsaClient, context: CallContext) => Promise<NhsaOutcome<T>>,
      opts: { insuredRegion?: string; msgid?: string } = {},
    ) =>
      call(client, {
        ...ctx,
        ...(opts.insuredRegion ? { insuplcAdmdvs: opts.insuredRegion } : {}),
        ...(opts.msgid ? { msgid: opts.msgid } : {}),
      }),
  };
}
