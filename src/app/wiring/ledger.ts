/**
 * The hospital ledger the station ships its events to: the embedded one (its own SQLite) unless the configuration
 * (`ledger: { url, keyFile }`) or `npm start -- --ledger URL` names the hospital's PostgreSQL. The key file (login,
 * password, TLS files) is read relative to the data dir, like the NHSA keys.
 */
import path from 'node:path';
import {
  EmbeddedLedger,
  LedgerEventsRepo,
  LedgerShipper,
  lookupsOf,
  PostgresLedger,
  PostgresFinanceQuery,
  PostgresLedgerReader,
  readLedgerKeys,
  stationClientConfig,
  type HospitalLedger,
  type HospitalLedgerReader,
} from '../../station/hospital-ledger';
import type { StationConfig } from '../../station/config';
import { durable, type Db } from '../../station/store';
import type { Logger } from '../../station/log';
import type { HospitalLookup } from '../../station/security';

export const DEFAULT_LEDGER_KEY_FILE = 'ledger-keys.json';

export interface LedgerChoice {
  url: string;
  keyFile?: string;
  officeKeyFile?: string;
}

/** What the day's reconciliation reads: the hospital's PostgreSQL through the office login when the config names its
 *  key file, else the station's own embedded ledger (undefined: the station's default). */
export function openOfficeReader(
  dataDir: string,
  chosen: LedgerChoice | undefined,
): (HospitalLedgerReader & { close(): Promise<void> }) | undefined {
  if (!chosen?.officeKeyFile) return undefined;
  return new PostgresLedgerReader(stationClientConfig({ url: chosen.url, keyFile: path.resolve(dataDir, chosen.officeKeyFile) }));
}

/** Where the finance lists read: hospital-wide (全院) through the same office login, else this station's SQLite. */
export function openOfficeFinanceQuery(
  dataDir: string,
  chosen: LedgerChoice | undefined,
  timeZone: string,
): PostgresFinanceQuery | undefined {
  if (!chosen?.officeKeyFile) return undefined;
  const keyFile = path.resolve(dataDir, chosen.officeKeyFile);
  // the office's lookup keys find a patient's rows of every station (none: the screen says the key is missing)
  return new PostgresFinanceQuery(stationClientConfig({ url: chosen.url, keyFile }), timeZone, lookupsOf(readLedgerKeys(keyFile)));
}

/** The key this station tokens its events' patients with: the current hospital-wide lookup key of its ledger key file. */
export function stationHospitalLookup(dataDir: string, chosen: LedgerChoice | undefined): HospitalLookup | undefined {
  if (!chosen) return undefined; // the embedded ledger is this station's own: nothing to find hospital-wide
  return lookupsOf(readLedgerKeys(path.resolve(dataDir, chosen.keyFile ?? DEFAULT_LEDGER_KEY_FILE)))[0];
}

export function openHospitalLedger(db: Db, dataDir: string, chosen: LedgerChoice | undefined, now: () => Date): HospitalLedger {
  if (!chosen) return new EmbeddedLedger(db, now);
  const keyFile = path.resolve(dataDir, chosen.keyFile ?? DEFAULT_LEDGER_KEY_FILE);
  return new PostgresLedger(stationClientConfig({ url: chosen.url, keyFile }));
}

/** Starts shipping; the returned function stops it and closes the ledger's connections. */
export function startLedgerShipping(
  db: Db,
  dataDir: string,
  config: Pick<StationConfig, 'ledger'>,
  override: LedgerChoice | undefined,
  now: () => Date,
  log: Logger,
): () => Promise<void> {
  const chosen = override ?? config.ledger;
  const ledger = openHospitalLedger(db, dataDir, chosen, now);
  const events = new LedgerEventsRepo(db);
  if (events.retarget(chosen ? chosen.url : 'embedded')) log.info('hospital ledger changed: every event is shipped to it again');
  const shipper = new LedgerShipper(events, ledger, { now, log: (m) => log.warn(m), durable: () => durable(db) });
  shipper.start();
  log.info(`hospital ledger: ${ledger.name}`);
  return async () => {
    await shipper.stop();
    await ledger.close();
  };
}
