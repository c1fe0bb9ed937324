/**
 * Transition tests of the outbox engine against a scripted remote with its own ledger (the real remotes —
 * NHSA centre, payment channel — are exercised in the integration and chaos tests). Real SQLite file.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../store';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { IntentsRepo } from './intents-repo';
import { OrderLockedError, Outbox } from './outbox';
import { IDLE_LOOK_MS } from './outbox-policy';
import type { Movement, QueryOutcome } from './movement';
import { ScriptedRemote, scriptedMovement } from './testing/scripted-remote';

let dir: string;
let db: Db;
let repo: IntentsRepo;
let clock: Date;
let remote: ScriptedRemote;
let settled: { id: string; final: string }[];
let cipher: FieldCipher;
let alarms: { inDoubt: number; escalated: number }[];

function movement(onUnknown: 'query' | 'compensate'): Movement<{ amount: number }, { amount: number }> {
  return scriptedMovement(onUnknown, () => ({ remote, settled }));
}

function outbox(policy = {}) {
  return new Outbox(db, repo, [movement('query'), movement('compensate')], {
    now: () => clock,
    policy: { backoffBaseMs: 10, backoffMaxMs: 10, queryWindowMs: 60_000, settleTimeMs: 0, ...policy },
    events: { changed: (s) => alarms.push(s) },
  });
}

const orderState = (id: string) => (db.prepare('SELECT state FROM orders WHERE id = ?').get(id) as { state: string }).state;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  db = openDatabase(path.join(dir, 'station.db'));
  db.exec('CREATE TABLE orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
  cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
  repo = new IntentsRepo(db, cipher);
  clock = new Date('2026-11-23T02:00:00Z');
  remote = new ScriptedRemote();
  settled = [];
  alarms = [];
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const newOrder = (id: string) => (d: Db) => d.prepare("INSERT INTO orders (id, state) VALUES (?, 'new')").run(id);

describe('outbox', () => {
  it('writes the intent with the business row before calling, and records the answer with its effect', async () => {
    const box = outbox();
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 1230 }, prepare: newOrder('o1') });
    expect(r).toMatchObject({ state: 'succeeded', output: { amount: 1230 } });
    expect(orderState('o1')).toBe('succeeded');
    expect(repo.get(r.intentId)?.state).toBe('succeeded');
    expect(repo.transitions(r.intentId).map((t) => t.to)).toEqual(['prepared', 'succeeded']);
  });

  it('the intent and its business row are on disk before the call leaves: a crash during the call leaves them prepared', async () => {
    const seen: { intent: string | undefined; order: unknown }[] = [];
    remote.sends.push(() => {
      seen.push({ intent: repo.openForOrder('o1')[0]?.state, order: db.prepare('SELECT state FROM orders WHERE id = ?').get('o1') });
      return { kind: 'ok', output: { amount: 5 } };
    });
    const r = await outbox().run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 5 }, prepare: newOrder('o1') });
    expect(seen).toEqual([{ intent: 'prepared', order: { state: 'new' } }]);
    expect(repo.get(r.intentId)?.state).toBe('succeeded');
  });

  it('a rejection is a failure: nothing happened, nothing to resolve', async () => {
    remote.sends.push(() => ({ kind: 'rejected', detail: '余额不足' }));
    const r = await outbox().run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 5 }, prepare: newOrder('o1') });
    expect(r).toMatchObject({ state: 'failed', detail: '余额不足' });
    expect(orderState('o1')).toBe('failed');
  });

  it('a lost answer locks the order; the resolver asks, finds it happened, and confirms — once', async () => {
    remote.sends.push(() => {
      remote.happened.set('M1', 700); // the remote did it, the answer was lost
      return { kind: 'unknown', detail: 'timeout' };
    });
    const box = outbox();
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 700 }, prepare: newOrder('o1') });
    expect(r.state).toBe('unknown');
    expect(box.isLocked('o1')).toBe(true);
    await expect(box.run('test.query', { orderId: 'o1', externalId: 'M2', payload: { amount: 700 } })).rejects.toBeInstanceOf(
      OrderLockedError,
    );
    expect(repo.get(r.intentId)?.state).toBe('unknown');
    expect(await box.resolveNow()).toBe(1);
    expect(repo.get(r.intentId)?.state).toBe('succeeded');
    expect(orderState('o1')).toBe('succeeded');
    expect(settled).toEqual([{ id: r.intentId, final: 'succeeded' }]);
    expect(box.isLocked('o1')).toBe(false);
    expect(await box.resolveNow()).toBe(0);
    expect(alarms.at(-1)).toEqual({ inDoubt: 0, escalated: 0 });
  });

  it('a lost request is found not to have happened and fails cleanly', async () => {
    remote.sends.push(() => ({ kind: 'unknown', detail: 'connection reset' }));
    const box = outbox();
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 1 }, prepare: newOrder('o1') });
    await box.resolveNow();
    expect(repo.get(r.intentId)?.state).toBe('failed');
    expect(remote.compensationIds).toEqual([]);
  });

  it('when asking cannot tell within the window, it compensates with an id fixed before the call', async () => {
    remote.sends.push(() => {
      remote.happened.set('M1', 50);
      return { kind: 'unknown', detail: 'timeout' };
    });
    remote.queries.push(() => ({ kind: 'unknown', detail: 'USERPAYING' }));
    remote.queries.push(() => ({ kind: 'unknown', detail: 'USERPAYING' }));
    const box = outbox({ queryWindowMs: 30_000 });
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 50 }, prepare: newOrder('o1') });
    await box.resolveNow();
    expect(repo.get(r.intentId)?.state).toBe('unknown'); // within the window: asked, rescheduled
    clock = new Date(clock.getTime() + 31_000);
    await box.resolveNow();
    const intent = repo.get(r.intentId)!;
    expect(intent.state).toBe('compensated');
    expect(remote.compensationIds).toEqual([intent.compExternalId]);
    expect(remote.undone.has('M1')).toBe(true);
    expect(orderState('o1')).toBe('compensated');
  });

  it('a movement that cannot be asked is reversed straight away (NHSA 2207 → 2601)', async () => {
    remote.sends.push(() => {
      remote.happened.set('M1', 9900);
      return { kind: 'unknown', detail: 'timeout' };
    });
    const box = outbox();
    const r = await box.run('test.compensate', { orderId: 'o1', externalId: 'M1', payload: { amount: 9900 }, prepare: newOrder('o1') });
    await box.resolveNow();
    expect(repo.get(r.intentId)?.state).toBe('compensated');
    expect(repo.transitions(r.intentId).map((t) => t.to)).toEqual(['prepared', 'unknown', 'compensating', 'compensated']);
  });

  it('a lost compensation answer is retried with the same compensation id and is not counted', async () => {
    remote.sends.push(() => {
      remote.happened.set('M1', 1);
      return { kind: 'unknown', detail: 'timeout' };
    });
    remote.compensations.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    remote.compensations.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    const box = outbox({ maxAttempts: 1 });
    const r = await box.run('test.compensate', { orderId: 'o1', externalId: 'M1', payload: { amount: 1 }, prepare: newOrder('o1') });
    for (let i = 0; i < 3; i++) {
      clock = new Date(clock.getTime() + 1000);
      await box.resolveNow();
    }
    const intent = repo.get(r.intentId)!;
    expect(intent.state).toBe('compensated');
    expect(intent.attempts).toBe(0);
    expect(new Set(remote.compensationIds)).toEqual(new Set([intent.compExternalId]));
    expect(remote.compensationIds).toHaveLength(3);
  });

  it('escalates after the attempt limit, keeps the order locked, and records a person’s decision', async () => {
    remote.sends.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    for (let i = 0; i < 5; i++) remote.compensations.push(() => ({ kind: 'rejected', detail: '原交易状态不允许冲正' }));
    const box = outbox({ maxAttempts: 2 });
    const r = await box.run('test.compensate', { orderId: 'o1', externalId: 'M1', payload: { amount: 1 }, prepare: newOrder('o1') });
    for (let i = 0; i < 4; i++) {
      clock = new Date(clock.getTime() + 1000);
      await box.resolveNow();
    }
    expect(repo.get(r.intentId)?.state).toBe('escalated');
    expect(box.isLocked('o1')).toBe(true);
    expect(alarms.at(-1)).toEqual({ inDoubt: 0, escalated: 1 });
    expect(() => box.decide(r.intentId, 'did-not-happen', 'admin', '')).not.toThrow();
    expect(repo.get(r.intentId)?.state).toBe('failed');
    const last = repo.transitions(r.intentId).at(-1)!;
    expect(last).toMatchObject({ from: 'escalated', to: 'failed', actor: 'admin' });
    expect(box.isLocked('o1')).toBe(false);
  });

  it('after a crash between writing and answering, start() treats the intent as unknown and resolves it', async () => {
    // The crashed process wrote the intent and the business row, then died before any answer was recorded.
    db.transaction(() => {
      newOrder('o1')(db);
      repo.insert({ id: 'i1', kind: 'test.query', orderId: 'o1', externalId: 'M1', payload: { amount: 3 } }, clock);
    })();
    remote.happened.set('M1', 3);
    const restarted = outbox();
    restarted.start();
    await restarted.resolveNow();
    await restarted.stop();
    expect(repo.get('i1')?.state).toBe('succeeded');
    expect(repo.transitions('i1').map((t) => `${t.to}:${t.actor}`)).toEqual(['prepared:station', 'unknown:resolver', 'succeeded:resolver']);
  });

  it('does not act on an unknown intent before its request could have landed (no one-sided record)', async () => {
    remote.sends.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    const box = outbox({ settleTimeMs: 30_000 });
    const r = await box.run('test.compensate', { orderId: 'o1', externalId: 'M1', payload: { amount: 1 }, prepare: newOrder('o1') });
    await box.resolveNow();
    expect(remote.compensationIds).toEqual([]);
    expect(repo.get(r.intentId)?.state).toBe('unknown');
    clock = new Date(clock.getTime() + 30_000);
    remote.happened.set('M1', 1); // the late request landed meanwhile
    await box.resolveNow();
    expect(repo.get(r.intentId)?.state).toBe('compensated');
    expect(remote.undone.has('M1')).toBe(true);
  });

  it('follows a remote’s own query pace (payment codes: first look after 5 s, then every 4 s, reverse after 60 s)', async () => {
    const paced = { ...movement('query'), kind: 'test.paced', queryTiming: { firstAfterMs: 5000, everyMs: 4000, windowMs: 60_000 } };
    const box = new Outbox(db, repo, [paced], { now: () => clock, policy: { settleTimeMs: 0 } });
    remote.sends.push(() => ({ kind: 'unknown', detail: 'USERPAYING' }));
    const r = await box.run('test.paced', { orderId: 'o1', externalId: 'M1', payload: { amount: 1 }, prepare: newOrder('o1') });
    await box.resolveNow();
    expect(repo.get(r.intentId)!.nextAt).toBe(new Date(clock.getTime() + 5000).toISOString()); // not asked yet
    clock = new Date(clock.getTime() + 5000);
    remote.queries.push(() => ({ kind: 'unknown', detail: 'USERPAYING' }));
    await box.resolveNow();
    expect(repo.get(r.intentId)!.nextAt).toBe(new Date(clock.getTime() + 4000).toISOString());
    clock = new Date(clock.getTime() + 4000);
    remote.happened.set('M1', 1); // the patient entered the password
    await box.resolveNow();
    expect(repo.get(r.intentId)!.state).toBe('succeeded');
  });

  it('a business effect that throws rolls the transition back: the intent stays open', async () => {
    remote.sends.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    const box = outbox();
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 1 }, prepare: newOrder('o1') });
    db.exec('DROP TABLE orders'); // settle() will fail
    remote.happened.set('M1', 1);
    await box.resolveNow();
    expect(repo.get(r.intentId)?.state).toBe('unknown');
  });

  it('refuses a payload that does not fit its movement before writing or sending anything', async () => {
    const box = outbox();
    await expect(
      box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 'twelve' }, prepare: newOrder('o1') }),
    ).rejects.toThrow(/invalid payload.*amount/);
    expect(repo.counts().prepared + repo.counts().succeeded).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 0 });
    expect(remote.happened.size).toBe(0);
  });

  it('a stored payload that no longer fits its movement is escalated with the reason, never sent or undone', async () => {
    remote.sends.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    const box = outbox();
    const r = await box.run('test.compensate', { orderId: 'o1', externalId: 'M1', payload: { amount: 5 }, prepare: newOrder('o1') });
    db.prepare('UPDATE intents SET payload = ? WHERE id = ?').run(cipher.sealJson({ amount: 5.5 }), r.intentId);
    await box.resolveNow();
    const intent = repo.get(r.intentId)!;
    expect(intent.state).toBe('escalated');
    expect(intent.detail).toMatch(/校验失败.*amount/);
    expect(remote.compensationIds).toEqual([]);
    expect(() => box.decide(r.intentId, 'resume', 'admin', '重试')).toThrow(/invalid/);
  });

  it('news for an order while a pass is asking about it runs one more pass: not left for the timer (a QR paid meanwhile)', async () => {
    const box = outbox({ backoffBaseMs: 60_000, backoffMaxMs: 60_000 });
    remote.sends.push(() => ({ kind: 'unknown', detail: 'timeout' }));
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 700 }, prepare: newOrder('o1') });
    // The pass's question is held open at the remote: its answer is from before the patient paid.
    let asked!: () => void;
    const askedOnce = new Promise<void>((resolve) => (asked = resolve));
    let answer!: (q: QueryOutcome<{ amount: number }>) => void;
    remote.queries.push(() => {
      asked();
      return new Promise((resolve) => (answer = resolve));
    });
    box.start();
    await askedOnce;
    remote.happened.set('M1', 700); // the patient pays the QR
    box.resolveOrderNow('o1');
    answer({ kind: 'unknown', detail: 'NOTPAY' }); // the stale answer pushes the intent back a minute
    expect(await box.resolveNow()).toBe(1);
    expect(repo.get(r.intentId)?.state).toBe('succeeded');
    expect(orderState('o1')).toBe('succeeded');
    await box.stop();
  });
});

describe('outbox: an intent another process wrote', () => {
  afterEach(() => vi.useRealTimers());

  it("is taken up by an idle resolver within IDLE_LOOK_MS (IT's command line hands it over)", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const box = outbox();
    box.start();
    await box.resolveNow(); // nothing due: no timer of its own to wait on
    // The command line's process: its own connection, an intent whose answer is "unknown", due now.
    const other = openDatabase(path.join(dir, 'station.db'));
    const theirs = new IntentsRepo(other, cipher);
    other.prepare("INSERT INTO orders (id, state) VALUES ('o9', 'new')").run();
    theirs.insert({ id: 'I9', kind: 'test.query', orderId: 'o9', externalId: 'M9', payload: { amount: 9 } }, clock);
    theirs.transition('I9', 'prepared', 'unknown', { detail: 'cli', nextAt: clock }, 'cli', clock);
    other.close();
    remote.happened.set('M9', 9);
    await vi.advanceTimersByTimeAsync(IDLE_LOOK_MS);
    await box.stop();
    expect(repo.get('I9')?.state).toBe('succeeded');
    expect(orderState('o9')).toBe('succeeded');
  });
});

describe('outbox when the station database refuses writes', () => {
  /** better-sqlite3's SqliteError carries SQLite's code the same way. */
  const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  let full: boolean;
  let storage: (string | null)[];
  function fragileOutbox() {
    const m = movement('query');
    const settle = m.settle.bind(m);
    m.settle = (d, i, r) => {
      if (full) throw diskFull();
      settle(d, i, r);
    };
    const box = new Outbox(db, repo, [m], {
      now: () => clock,
      policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
      events: { storage: (e) => storage.push(e === null ? null : (e as { code: string }).code) },
    });
    box.start();
    return box;
  }
  beforeEach(() => {
    full = false;
    storage = [];
  });

  it('an answer that cannot be recorded leaves the intent prepared, and the resolver confirms it once writes work', async () => {
    const box = fragileOutbox();
    remote.sends.push(() => {
      remote.happened.set('M1', 500);
      full = true; // the disk fills while the call is in flight
      return { kind: 'ok', output: { amount: 500 } };
    });
    await expect(
      box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 500 }, prepare: newOrder('o1') }),
    ).rejects.toMatchObject({
      code: 'SQLITE_FULL',
    });
    const [intent] = repo.openForOrder('o1');
    expect(intent?.state).toBe('prepared');
    expect(box.isLocked('o1')).toBe(true);
    expect(storage).toEqual(['SQLITE_FULL']);

    full = false;
    expect(await box.resolveNow()).toBe(1);
    expect(repo.get(intent!.id)?.state).toBe('succeeded');
    expect(repo.transitions(intent!.id).map((t) => t.to)).toEqual(['prepared', 'unknown', 'succeeded']);
    expect(settled).toEqual([{ id: intent!.id, final: 'succeeded' }]);
    expect(remote.happened.size).toBe(1); // sent once, never again
    expect(storage).toEqual(['SQLITE_FULL', null]);
    await box.stop();
  });

  it('a resolver pass whose writes fail does not reject; it is tried again and finishes when writes work', async () => {
    const box = fragileOutbox();
    remote.sends.push(() => {
      full = true; // the answer is lost, and the disk fills
      return { kind: 'unknown', detail: 'timeout' };
    });
    const r = await box.run('test.query', { orderId: 'o1', externalId: 'M1', payload: { amount: 5 }, prepare: newOrder('o1') });
    expect(await box.resolveNow()).toBe(0); // the pass run() started: its final write refused
    expect(repo.get(r.intentId)?.state).toBe('unknown');
    expect(storage).toEqual(['SQLITE_FULL']);
    full = false;
    expect(await box.resolveNow()).toBe(1);
    expect(repo.get(r.intentId)?.state).toBe('failed'); // the remote says it never happened
    expect(storage).toEqual(['SQLITE_FULL', null]);
    await box.stop();
  });
});
