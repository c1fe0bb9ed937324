/**
 * `npm run ledger -- COMMAND` (= `npm run station -- ledger COMMAND`): the hospital ledger for IT.
 *
 *   status [--data-dir D]                     this station's events not yet shipped, and where they go
 *   init --url postgres://postgres@host/db    roles (yibao_owner, yibao_station, yibao_office) and schema yibao;
 *                                             creates the database if missing; run again after an upgrade
 *   add-station STATION_ID LOGIN --url …      a station's login (password at a hidden prompt or piped)
 *   add-office LOGIN --url …                  an office login that reads every station's events
 *   server-status --url …                     events held per station (an owner's or office's login)
 *
 * The administrator's own password comes from PGPASSWORD or ~/.pgpass (as for psql), or none over the server's
 * local socket; never from the command line. `--key-file F` instead gives login, password and TLS files as a
 * station's key file does (TLS is required for a server on another machine).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  addOfficeLogin,
  addStationLogin,
  clientConfig,
  initLedgerSchema,
  LedgerEventsRepo,
  ledgerServerStatus,
  parseLedgerUrl,
  readLedgerKeys,
  withLedgerClient,
  type LedgerClientConfig,
} from '../../station/hospital-ledger';
import { StationConfigSchema } from '../../station/config';
import { readNewPassword } from './password-input';
import { openStationDb } from './station-db';
import type { CliArgs } from './args';

function adminConfig(args: CliArgs, database?: string): LedgerClientConfig {
  const url = args.value('--url');
  if (!url) args.usage();
  const address = parseLedgerUrl(url);
  const keyFile = args.value('--key-file');
  const at = database ? { ...address, database } : address;
  if (keyFile) {
    const keys = readLedgerKeys(path.resolve(keyFile));
    return clientConfig(at, keys, keys, path.resolve(keyFile));
  }
  // No password given: pg reads PGPASSWORD / ~/.pgpass, or the local socket needs none.
  return clientConfig(at, { user: address.user ?? 'postgres' });
}

async function ensureDatabase(args: CliArgs): Promise<void> {
  const target = adminConfig(args);
  const name = String(target.database);
  await withLedgerClient(adminConfig(args, 'postgres'), async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) {
      await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} ENCODING 'UTF8'`);
      console.log(`created database ${name}`);
    }
  });
}

/** The configured ledger server, if any: a config its schema refuses shows the embedded one. */
function configuredLedger(dataDir: string) {
  const configFile = path.join(dataDir, 'station.config.json');
  const config = fs.existsSync(configFile) ? StationConfigSchema.safeParse(JSON.parse(fs.readFileSync(configFile, 'utf8'))) : null;
  return config?.success ? config.data.ledger : undefined;
}

function localStatus(args: CliArgs): void {
  const station = openStationDb(args.dataDir, { readConfig: configuredLedger });
  if (!station) return;
  const { db, config: ledger } = station;
  try {
    const b = new LedgerEventsRepo(db).backlog();
    console.log(`data dir ${args.dataDir}`);
    console.log(`ledger   ${ledger ? `${ledger.url} (key file ${ledger.keyFile})` : 'embedded (this station’s SQLite)'}`);
    console.log(
      `unshipped ${b.unshipped}${b.oldestUnshippedAt ? `, oldest ${b.oldestUnshippedAt}` : ''}; last shipped seq ${b.lastShippedSeq ?? '-'}`,
    );
    // A backlog is normal while the server is away; it is IT's signal to look at the link.
    process.exitCode = b.unshipped > 0 ? 3 : 0;
  } finally {
    db.close();
  }
}

export async function runLedgerCommand(args: CliArgs): Promise<void> {
  const [command, a, b] = args.positional;
  switch (command) {
    case 'status':
      return localStatus(args);
    case 'init': {
      await ensureDatabase(args);
      const version = await withLedgerClient(adminConfig(args), (c) => initLedgerSchema(c));
      console.log(`ledger schema v${version} ready (roles yibao_owner, yibao_station, yibao_office)`);
      return;
    }
    case 'add-station': {
      if (!a || !b) args.usage();
      const password = await readNewPassword(`工作站 ${a} 登录 ${b} 的密码`);
      await withLedgerClient(adminConfig(args), (c) => addStationLogin(c, a, b, password));
      console.log(`login ${b} may append events of station ${a}; put it in that station's ledger key file`);
      return;
    }
    case 'add-office': {
      if (!a) args.usage();
      const password = await readNewPassword(`财务登录 ${a} 的密码`);
      await withLedgerClient(adminConfig(args), (c) => addOfficeLogin(c, a, password));
      console.log(`login ${a} reads every station's events`);
      return;
    }
    case 'server-status': {
      const s = await withLedgerClient(adminConfig(args), (c) => ledgerServerStatus(c));
      console.log(`schema v${s.schemaVersion ?? '-'}`);
      for (const st of s.stations)
        console.log(
          `  ${st.stationId.padEnd(32)} ${String(st.events).padStart(9)} events, last seq ${st.lastSeq ?? '-'}, last at ${st.lastReceivedAt ?? '-'}`,
        );
      return;
    }
    default:
      args.usage();
  }
}
