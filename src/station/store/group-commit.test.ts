/**
 * Group commit (group-commit.ts): the barrier shares one fsync among the callers that wait while none runs, never
 * lets a caller go on an fsync that began before its call, and flushes the real WAL file of a real database (the
 * outbox's use of it: outbox/outbox-durability.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durable, durableFetch, openDatabase, useGroupCommit, WalBarrier, type Db } from '.';
import { flushChanged } from './group-commit';

import { handFsync, settled } from '../../../test/harness/hand-fsync';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
  db = openDatabase(path.join(dir, 'station.db'));
  db.exec('CREATE TABLE t (n INTEGER)');
});
afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the WAL barrier', () => {
  it('callers arriving while an fsync runs share the next one, and none goes on the fsync that began before it', async () => {
    const hand = handFsync();
    const barrier = new WalBarrier(`${db.name}-wal`, hand.fsync);
    const first = barrier.flush();
    await settled(first);
    expect(hand.calls).toHaveLength(1);
    const later = [barrier.flush(), barrier.flush(), barrier.flush()];
    hand.calls[0]!.done();
    expect(await settled(first)).toBe(true);
    // Their commits may have come after the first fsync started: they wait for a second, one for all three.
    expect(await Promise.all(later.map(settled))).toEqual([false, false, false]);
    expect(hand.calls).toHaveLength(2);
    hand.calls[1]!.done();
    expect(await Promise.all(later.map(settled))).toEqual([true, true, true]);
    expect(barrier.flushes).toBe(2);
  });

  it('a failed fsync fails its callers, and the next flush tries again', async () => {
    const hand = handFsync();
    const barrier = new WalBarrier(`${db.name}-wal`, hand.fsync);
    const first = barrier.flush();
    await settled(first);
    hand.calls[0]!.fail(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    const again = barrier.flush();
    await settled(again);
    hand.calls[1]!.done();
    await expect(again).resolves.toBeUndefined();
  });
});

describe('group commit on a database', () => {
  it('commits with synchronous=NORMAL and flushes the WAL file itself', async () => {
    const seen: number[] = [];
    const barrier = useGroupCommit(db, (fd) => {
      seen.push(fd);
      return new Promise((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
    });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    db.prepare('INSERT INTO t VALUES (1)').run();
    await durable(db);
    expect(barrier.flushes).toBe(1);
    // The descriptor flushed is the WAL's: same file as SQLite's own -wal.
    expect(fs.fstatSync(seen[0]!).ino).toBe(fs.statSync(`${db.name}-wal`).ino);
  });

  it('lets go of the WAL at close, and a closed or FULL connection passes at once', async () => {
    const barrier = useGroupCommit(db);
    db.prepare('INSERT INTO t VALUES (1)').run();
    await durable(db);
    const walFds = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${db.name}-wal`);
        } catch {
          return false;
        }
      });
    expect(walFds().length).toBeGreaterThan(0);
    db.close();
    expect(walFds()).toEqual([]);
    await durable(db);
    expect(barrier.flushes).toBe(1);

    const full = openDatabase(path.join(dir, 'other.db'));
    expect(full.pragma('synchronous', { simple: true })).toBe(2);
    await durable(full);
    full.close();
  });

  it('the timer flushes a connection that wrote since it last looked, and leaves an idle one alone', async () => {
    const barrier = useGroupCommit(db);
    flushChanged();
    await durable(db);
    const before = barrier.flushes;
    flushChanged(); // nothing written since
    await durable(db);
    expect(barrier.flushes).toBe(before + 1); // only the barrier asked for here
    db.prepare('INSERT INTO t VALUES (1)').run();
    flushChanged();
    await durable(db);
    expect(barrier.flushes).toBe(before + 3); // the timer's, then this one
  });

  it('durableFetch sends only once the barrier is passed', async () => {
    const hand = handFsync();
    useGroupCommit(db, hand.fsync);
    db.prepare('INSERT INTO t VALUES (1)').run();
    const sent: string[] = [];
    const fetch = durableFetch(db, (input) => {
      sent.push(String(input));
      return Promise.resolve(new Response('ok'));
    });
    const answer = fetch('http://127.0.0.1:9/x');
    await settled(answer);
    expect(sent).toEqual([]);
    hand.calls[0]!.done();
    expect(await (await answer).text()).toBe('ok');
    expect(sent).toEqual(['http://127.0.0.1:9/x']);
  });
});
