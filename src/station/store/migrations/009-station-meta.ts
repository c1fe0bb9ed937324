import type { Migration } from './migration';

/**
 * Issue 11: what a database is, apart from its rows. `mode` (live | training) keeps practice settlements out of
 * a hospital's books and real ones out of a trainer's folder; a restore leaves its marker here so the next start
 * looks at the centre for what the restored file no longer knows.
 */
export const m009StationMeta: Migration = {
  version: 9,
  name: 'station meta: the database mode and the restore marker',
  sql: `
    CREATE TABLE station_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `,
};
