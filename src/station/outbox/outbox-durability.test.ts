/**
 * The outbox under group commit (store/group-commit.ts): nothing leaves before the intent is on the disk, the caller
 * hears the outcome only once it is, and an intent that cannot be made durable is never sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, useGroupCommit, type Db } from '../store';
import { handFsync, settled } from '../../../test/harness/hand-fsync';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { IntentsRepo } from './intents-repo';
import { Outbox } from './outbox';
import { ScriptedRemote, scriptedMovement } from './testing/scripted-remote';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-durability-'));
  db = openDatabase(path.join(dir, 'station.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the outbox under group commit', () => {
  function outboxOn(hand: ReturnType<typeof handFsync>) {
    useGroupCommit(db, hand.fsync);
    db.exec('CREATE TABLE orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
    const repo = new IntentsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
    const remote = new ScriptedRemote();
    const box = new Outbox(db, repo, [scriptedMovement('query', () => ({ remote, settled: [] }))], { now: () => new Date() });
    const newOrder = (d: Db) => d.prepare("INSERT INTO orders (id, state) VALUES ('o1', 'new')").run();
    return { box, repo, remote, newOrder };
  }

  it('sends once the intent is durable, and answers once the outcome is', async () => {
    const hand = handFsync();
    const { box, repo, remote, newOrder } = outboxOn(hand);
    const sends: string[] = [];
    remote.sends.push(() => {
      sends.push('sent');
      return { kind: 'ok', output: { amount: 7 } };
    });
    const run = box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 7 }, prepare: newOrder });
    await settled(run);
    expect(repo.openForOrder('o1').map((i) => i.state)).toEqual(['prepared']);
    expect(sends).toEqual([]); // the intent is committed, not yet on the disk: nothing has left
    hand.calls[0]!.done();
    expect(await settled(run)).toBe(false); // sent and recorded, but not yet durable: the caller waits
    expect(sends).toEqual(['sent']);
    expect(hand.calls).toHaveLength(2);
    hand.calls[1]!.done();
    await expect(run).resolves.toMatchObject({ state: 'succeeded', output: { amount: 7 } });
  });

  it('sends nothing when the intent cannot be made durable, and records the movement as failed', async () => {
    const hand = handFsync();
    const { box, repo, remote, newOrder } = outboxOn(hand);
    const run = box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 7 }, prepare: newOrder });
    await settled(run);
    hand.calls[0]!.fail(new Error('EIO: disk gone'));
    await settled(run);
    hand.calls[1]!.done();
    const r = await run;
    expect(r).toMatchObject({ state: 'failed' });
    expect(r.state === 'failed' && r.detail).toContain('未能写入磁盘');
    expect(remote.happened.size).toBe(0);
    expect(repo.get(r.intentId)?.state).toBe('failed');
  });
});
