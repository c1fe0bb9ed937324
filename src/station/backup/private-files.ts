/**
 * Owner-only files on Linux: the database, its WAL/SHM, keys and backups hold patients' data. The umask covers
 * every file SQLite and we create from here on; the chmods fix a folder created earlier or by an installer.
 * Windows has no modes: the installer's ACLs do this there (docs/operations.md).
 */
import fs from 'node:fs';

export function restrictToOwner(dirs: readonly string[]): void {
  if (process.platform === 'win32') return;
  process.umask(0o077);
  for (const dir of dirs) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
  }
}

/** chmod 0600 for files that may predate the umask (a database from an older version, a copied key file). */
export function chmodOwnerOnly(files: readonly string[]): void {
  if (process.platform === 'win32') return;
  for (const file of files) if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
}
