/**
 * The station's own database refusing work: the disk is full (SQLITE_FULL — also what `PRAGMA max_page_count`
 * raises), the disk or its driver failed (SQLITE_IOERR_*), another connection held the lock past busy_timeout
 * (SQLITE_BUSY, SQLITE_LOCKED), or the file became read-only. None of these is a bug of the caller: the work is
 * retried once writes go through again.
 */
import type { Db } from './database';

const STORAGE_CODES = /^SQLITE_(?:FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN)(?:_|$)/;

export function storageErrorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.test(code) ? code : null;
}

export function isStorageError(e: unknown): boolean {
  return storageErrorCode(e) !== null;
}

/**
 * Whether writes go through again, leaving nothing behind: a table and 64 KiB in it, rolled back. A settlement
 * writes a few KiB; a probe that fitted in the last free page would clear the alarm while the next settlement
 * still fails. Returns the storage error's code, or null when the write worked.
 */
export function probeWrite(db: Db): string | null {
  // A lock held elsewhere answers at once: the probe must not stall the core for the busy timeout each time.
  const patience = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec(
      'SAVEPOINT storage_probe; CREATE TABLE storage_probe (x); INSERT INTO storage_probe VALUES (randomblob(65536)); ROLLBACK TO storage_probe; RELEASE storage_probe;',
    );
    return null;
  } catch (e) {
    try {
      db.exec('ROLLBACK TO storage_probe; RELEASE storage_probe;');
    } catch {
      // the savepoint never opened
    }
    const code = storageErrorCode(e);
    if (code === null) throw e;
    return code;
  } finally {
    db.pragma(`busy_timeout = ${patience}`);
  }
}
