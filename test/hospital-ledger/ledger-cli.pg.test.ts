/**
 * IT's `ledger` commands (spawned as IT runs them) against a throwaway PostgreSQL 15, and a station joined by its
 * configuration: `init` makes database, roles and schema; `add-station` a login whose password comes from a pipe;
 * the station's wiring ships its backlog with the key file's login; `status` shows the backlog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/station/store';
import { LEDGER_SCHEMA_VERSION, LedgerEventsRepo, withLedgerClient, type NewLedgerEvent } from '../../src/station/hospital-ledger';
import { startLedgerShipping } from '../../src/app/wiring/ledger';
import { silentLogger } from '../../src/station/log';
import { missing } from '../harness/prerequisites';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../harness/postgres';

const root = path.resolve(import.meta.dirname, '..', '..');
let server: ThrowawayPostgres;
let dataDir: string;

function ledgerCli(args: string[], stdin = ''): { status: number | null; out: string } {
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const r = spawnSync(process.execPath, [tsx, path.join(root, 'src/host/cli/index.ts'), 'ledger', ...args, '--data-dir', dataDir], {
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: '' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const adminUrl = () => `postgres://postgres@localhost:${server.port}/yibao?host=${encodeURIComponent(server.socketDir)}`;

function event(n: number): NewLedgerEvent {
  return {
    v: 1,
    stationId: 'W07',
    eventId: `E${n}`,
    kind: 'settlement',
    movement: 'nhsa.2207',
    outcome: 'succeeded',
    orderId: `o${n}`,
    hisOrderNo: `H${n}`,
    operatorId: 'op1',
    actor: 'station',
    at: '2026-12-04T02:00:00.000Z',
    channel: 'nhsa',
    amounts: { total: 10_000, fund: 7_000, pool: 6_000, account: 1_000, cash: 2_000 },
    ids: { msgid: `M${n}`, setlId: `S${n}`, mdtrtId: `D${n}` },
  };
}

describe.skipIf(missing('postgresql'))('npm run ledger and a station joined by its configuration', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startThrowawayPostgres();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-cli-'));
  });
  afterAll(() => {
    server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('init creates the database, roles and schema; add-station takes the password from a pipe, never argv', () => {
    const init = ledgerCli(['init', '--url', adminUrl()]);
    expect(init.out).toContain('created database yibao');
    expect(init.out).toContain(`ledger schema v${LEDGER_SCHEMA_VERSION} ready`);
    expect(init.status).toBe(0);
    expect(ledgerCli(['init', '--url', adminUrl()]).out).not.toContain('created database'); // again: nothing new
    const add = ledgerCli(['add-station', 'W07', 'w07', '--url', adminUrl()], 'w07-secret-password\n');
    expect(add.out).toContain('login w07 may append events of station W07');
    expect(add.status).toBe(0);
  });

  it('a station that joins the hospital ledger by its configuration ships its whole history there with the key file login; status shows what is left', async () => {
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const events = new LedgerEventsRepo(db);
    for (const n of [1, 2]) events.append(event(n));
    db.close();
    expect(ledgerCli(['status']).out).toContain('unshipped 2, oldest 2026-12-04T02:00:00.000Z');

    // Until it joins the hospital's ledger the station ships to its own, embedded one.
    const alone = openDatabase(path.join(dataDir, 'station.db'));
    await startLedgerShipping(alone, dataDir, {}, undefined, () => new Date('2026-12-04T02:30:00Z'), silentLogger)();
    alone.close();
    expect(ledgerCli(['status']).out).toContain('unshipped 0; last shipped seq 2');

    // Joined: the hospital's ledger lacks that history, so all of it is shipped there, in order.
    fs.writeFileSync(path.join(dataDir, 'ledger-keys.json'), JSON.stringify({ user: 'w07', password: 'w07-secret-password' }), {
      mode: 0o600,
    });
    const station = openDatabase(path.join(dataDir, 'station.db'));
    const config = { ledger: { url: server.url('yibao'), keyFile: 'ledger-keys.json' } };
    const stop = startLedgerShipping(station, dataDir, config, undefined, () => new Date('2026-12-04T03:00:00Z'), silentLogger);
    await stop(); // waits for the shipment the start began
    station.close();

    const held = await withLedgerClient(
      server.superuser('yibao'),
      async (c) => (await c.query('SELECT station_id, event_id, total_fen, setl_id FROM yibao.station_events ORDER BY id')).rows,
    );
    expect(held).toEqual([1, 2].map((n) => ({ station_id: 'W07', event_id: `E${n}`, total_fen: '10000', setl_id: `S${n}` })));
    const status = ledgerCli(['status']);
    expect(status.out).toContain('unshipped 0; last shipped seq 2');
    expect(status.status).toBe(0);
    expect(ledgerCli(['server-status', '--url', adminUrl()]).out).toMatch(/W07\s+2 events, last seq 2/);
  });

  it('a ledger on another machine without TLS in the key file is refused before anything is sent', () => {
    fs.writeFileSync(path.join(dataDir, 'far-keys.json'), JSON.stringify({ user: 'w07', password: 'w07-secret-password' }), {
      mode: 0o600,
    });
    const station = openDatabase(path.join(dataDir, 'station.db'));
    try {
      expect(() =>
        startLedgerShipping(
          station,
          dataDir,
          { ledger: { url: 'postgres://ledger.hospital.example:5432/yibao', keyFile: 'far-keys.json' } },
          undefined,
          () => new Date(),
          silentLogger,
        ),
      ).toThrow('须在 ledger.keyFile 中配置 tls.caFile');
    } finally {
      station.close();
    }
  });
});
