/**
 * Group commit for the running station's database: commits do not wait for the disk, and nothing leaves the
 * process before what was committed ahead of it is on the disk.
 *
 * With `synchronous = FULL` every commit fsyncs the WAL on the thread that commits — better-sqlite3's, which is the
 * event loop. A discharge paid on a phone commits about 35 times (intents, their transitions, msgids, the NHSA
 * journal, idempotency keys), so at 0.15 ms a fsync on a quiet SSD and 1.5–10 ms on a loaded or virtual disk the
 * loop stood still for a fifth to most of its time, scan-box frames and other phones waiting behind it.
 *
 * So the station's own connection commits with `synchronous = NORMAL` (in WAL mode: the commit is written to the WAL
 * and survives the process being killed; a power cut may lose the newest commits, never the file's consistency), and
 * durability is asked for where it matters, by `durable(db)`: one fsync of the WAL file on libuv's thread pool, shared
 * by every caller that arrives while it runs (each waits for an fsync that starts after its call, so its own commits
 * are covered). The WAL is written in order, so a flush covers every commit before it. The rule, kept by the
 * callers: before any request leaves for the centre, HIS, a payment channel or the hospital ledger, and before a
 * money movement's outcome is returned (outbox.ts, durable-fetch.ts, ledger-shipper.ts), the barrier is passed — so
 * what the outside world or a cashier has seen is never lost by a power cut, as with FULL. Rows no one outside has
 * seen yet (an audit line, a login) become durable at the next barrier or within FLUSH_EVERY_MS.
 *
 * Connections opened without group commit (the command line, restore, tests' own) keep FULL, and `durable` on them
 * resolves at once.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';

/** A connection's writes since the last barrier are made durable at least this often, even with no request leaving. */
export const FLUSH_EVERY_MS = 1_000;

export type Fsync = (fd: number) => Promise<void>;

const fsyncOnPool: Fsync = (fd) => new Promise((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));

/** The WAL file of one connection, flushed by one fsync at a time, shared by the callers that wait on it. */
export class WalBarrier {
  private fd: number | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** fsyncs actually issued, for tests and the benchmark. */
  flushes = 0;

  constructor(
    private readonly walFile: string,
    private readonly fsync: Fsync = fsyncOnPool,
  ) {}

  /** Resolves once everything committed before this call is on the disk. */
  flush(): Promise<void> {
    if (!this.running) return this.start();
    // An fsync is running, but it may have begun before this caller's commits: wait for the next one, shared.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private startQueued(): Promise<void> {
    this.queued = null;
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.fsyncWal().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async fsyncWal(): Promise<void> {
    const fd = this.openWal();
    if (fd === null) return; // no WAL yet: nothing was committed through it
    this.flushes += 1;
    try {
      await this.fsync(fd);
    } catch (e) {
      // Closed under it: SQLite checkpointed and synced the WAL at close, so there is nothing left to flush.
      if (this.fd !== fd && (e as NodeJS.ErrnoException).code === 'EBADF') return;
      throw e;
    }
  }

  /** The WAL's descriptor, opened again if SQLite removed the file (its last connection closed and reopened). */
  private openWal(): number | null {
    if (this.fd !== null && fs.fstatSync(this.fd).nlink > 0) return this.fd;
    this.close();
    try {
      // Read-write: Windows flushes a file only through a handle that may write it.
      this.fd = fs.openSync(this.walFile, 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return this.fd;
  }
}

const barriers = new WeakMap<Database.Database, WalBarrier>();
interface Open {
  db: Database.Database;
  barrier: WalBarrier;
  /** total_changes() when the timer last looked: an idle connection costs no fsync. */
  seen: number;
}
const open = new Set<Open>();
let ticker: NodeJS.Timeout | null = null;

/** Switches `db` (a file in WAL mode) to group commit: NORMAL commits and `durable(db)` barriers. */
export function useGroupCommit(db: Database.Database, fsync?: Fsync): WalBarrier {
  db.pragma('synchronous = NORMAL');
  const barrier = new WalBarrier(`${db.name}-wal`, fsync);
  barriers.set(db, barrier);
  const entry: Open = { db, barrier, seen: changesOf(db) };
  open.add(entry);
  // Our descriptor goes before SQLite deletes the WAL at close (Windows would keep a file with an open handle).
  const close = db.close.bind(db);
  db.close = () => {
    open.delete(entry);
    barrier.close();
    return close();
  };
  ticker ??= setInterval(flushChanged, FLUSH_EVERY_MS).unref();
  return barrier;
}

/** Everything committed on `db` before this call is on the disk once it resolves (at once for a FULL connection). */
export function durable(db: Database.Database): Promise<void> {
  const barrier = barriers.get(db);
  if (!barrier || !db.open) return Promise.resolve();
  return barrier.flush();
}

const changesOf = (db: Database.Database): number => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

/** The timer's barrier: every connection in group commit that wrote since the last look (exported for its test). */
export function flushChanged(): void {
  for (const entry of open) {
    if (!entry.db.open) {
      open.delete(entry);
      continue;
    }
    const changes = changesOf(entry.db);
    if (changes === entry.seen) continue;
    entry.seen = changes;
    entry.barrier.flush().catch(() => undefined); // a failing disk is reported by the next commit or barrier
  }
  if (open.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = null;
  }
}

/** `fetch` that first passes the barrier: no request leaves before what was committed ahead of it is durable. */
export function durableFetch(db: Database.Database, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    await durable(db);
    return inner(input, init);
  };
}
