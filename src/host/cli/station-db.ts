/**
 * How a command opens the data dir's station database: `station.db` found or said missing (stderr, exit code 1,
 * nothing created), whatever configuration the command reads, then opened as the station opens it (read-write,
 * migrated), alongside a running station (WAL allows it). The data key is read only when a command needs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE } from '../../station/backup';
import { loadStationConfig, STATION_CONFIG_FILE, type StationConfig } from '../../station/config';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security';
import { openDatabase, type Db } from '../../station/store';

export interface StationDb<C = null> {
  db: Db;
  /** What `readConfig` read before the database was opened; null when not asked. */
  config: C;
  /** The data key's cipher, read on first use: a command that never decrypts works without the key file. */
  cipher: () => FieldCipher;
}

export interface OpenStationDbOptions<C> {
  /** Read once the database is found and before it is opened (a config that throws stops before it is touched). */
  readConfig?: (dataDir: string) => C;
  /** A missing database is not an error: null, nothing said (the support bundle goes on without it). */
  optional?: boolean;
}

export const stationDbFile = (dataDir: string): string => path.join(dataDir, DB_FILE);

/** The dir's configuration, or null for a training data dir, which has none (the training defaults apply). */
export const stationConfigIfAny = (dataDir: string): StationConfig | null =>
  fs.existsSync(path.join(dataDir, STATION_CONFIG_FILE)) ? loadStationConfig(dataDir) : null;

/** The opened database, or null where the dir has none (said on stderr with exit code 1 unless `optional`). */
export function openStationDb<C = null>(dataDir: string, options: OpenStationDbOptions<C> = {}): StationDb<C> | null {
  const file = stationDbFile(dataDir);
  if (!fs.existsSync(file)) {
    if (!options.optional) {
      console.error(`no station database in ${dataDir} (use --data-dir)`);
      process.exitCode = 1;
    }
    return null;
  }
  const config = (options.readConfig ? options.readConfig(dataDir) : null) as C;
  const db = openDatabase(file);
  let cipher: FieldCipher | undefined;
  return {
    db,
    config,
    // Never a new key from the command line: a missing key file beside a database with rows is reported, not replaced.
    cipher: () =>
      (cipher ??= new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys'), { databaseHoldsRows: true, latestBackup: null }))),
  };
}
