/**
 * Ledger events are written by the outbox's final-state transaction (real SQLite file, the real Outbox), so a
 * final state without its event — or an event without its final state — cannot exist.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { openDatabase, type Db } from '../store';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { IntentsRepo, Outbox, type Movement, type RemoteOutcome } from '../outbox';
import { EmbeddedLedger, LedgerEventsRepo, LedgerShipper, type OrderFacts } from './index';

interface Pay {
  outTradeNo: string;
  totalFee: number;
}
interface Paid {
  transactionId: string;
  wallet: 'wechat' | 'alipay';
  totalFee: number;
}

let dir: string;
let db: Db;
let intents: IntentsRepo;
let events: LedgerEventsRepo;
let answers: (() => RemoteOutcome<Paid>)[];
let paidAtRemote: Map<string, Paid>;
const clock = () => new Date('2026-12-04T02:00:00Z');
const ORDER: OrderFacts = { hisOrderNo: 'H20261204001', operatorId: 'op1', mdtrtId: null, setlId: null, split: null };

/** A payment-code payment (the outbox kind pay.micropay) against a remote that remembers what it took. */
const micropay: Movement<Pay, Paid> = {
  kind: 'pay.micropay',
  payload: z.object({ outTradeNo: z.string(), totalFee: z.number().int() }),
  onUnknown: 'query',
  send: async ({ payload }) => {
    const scripted = answers.shift();
    if (scripted) return scripted();
    const paid: Paid = { transactionId: `T${payload.outTradeNo}`, wallet: 'wechat', totalFee: payload.totalFee };
    paidAtRemote.set(payload.outTradeNo, paid);
    return { kind: 'ok', output: paid };
  },
  query: async ({ payload }) => {
    const paid = paidAtRemote.get(payload.outTradeNo);
    return paid ? { kind: 'happened', output: paid } : { kind: 'did-not-happen' };
  },
  compensate: async () => ({ kind: 'ok' }),
  newCompensationId: () => 'REV1',
  settle: (d, intent, { final }) => void d.prepare('UPDATE orders SET state = ? WHERE id = ?').run(final, intent.orderId),
};

function outbox(): Outbox {
  return new Outbox(db, intents, [micropay as unknown as Movement], {
    now: clock,
    policy: { backoffBaseMs: 10, backoffMaxMs: 10, settleTimeMs: 0 },
    onFinal: events.recorder('W01', { get: () => ORDER, payments: { paid: () => [] } }),
  });
}

const orderState = (id: string) => (db.prepare('SELECT state FROM orders WHERE id = ?').get(id) as { state: string }).state;
const newOrder = (id: string) => (d: Db) => void d.prepare("INSERT INTO orders (id, state) VALUES (?, 'new')").run(id);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-events-'));
  db = openDatabase(path.join(dir, 'station.db'));
  db.exec('CREATE TABLE orders (id TEXT PRIMARY KEY, state TEXT NOT NULL)');
  intents = new IntentsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
  events = new LedgerEventsRepo(db);
  answers = [];
  paidAtRemote = new Map();
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ledger events', () => {
  it('a payment that succeeded publishes one event with its final state: amounts in fen, channel, trade ids, operator', async () => {
    const r = await outbox().run('pay.micropay', {
      orderId: 'o1',
      externalId: 'P1',
      payload: { outTradeNo: 'P1', totalFee: 1234 },
      prepare: newOrder('o1'),
    });
    expect(r.state).toBe('succeeded');
    expect(events.ofOrder('o1')).toEqual([
      {
        v: 1,
        stationId: 'W01',
        eventId: r.intentId,
        seq: 1,
        kind: 'payment',
        movement: 'pay.micropay',
        outcome: 'succeeded',
        orderId: 'o1',
        hisOrderNo: 'H20261204001',
        operatorId: 'op1',
        actor: 'station',
        at: '2026-12-04T02:00:00.000Z',
        channel: 'wechat',
        amounts: { cash: 1234 },
        ids: { outTradeNo: 'P1', transactionId: 'TP1' },
      },
    ]);
  });

  it('a refused payment moved nothing and publishes nothing', async () => {
    answers.push(() => ({ kind: 'rejected', detail: '余额不足' }));
    await outbox().run('pay.micropay', {
      orderId: 'o1',
      externalId: 'P1',
      payload: { outTradeNo: 'P1', totalFee: 5 },
      prepare: newOrder('o1'),
    });
    expect(orderState('o1')).toBe('failed');
    expect(events.ofOrder('o1')).toEqual([]);
  });

  it('crash injected in the event write: neither the final state nor the event exists; after the restart both do, once', async () => {
    // The fault strikes after the movement's settle wrote the order, inside the same transaction.
    db.exec("CREATE TRIGGER crash BEFORE INSERT ON ledger_events BEGIN SELECT RAISE(ABORT, 'injected crash'); END");
    const box = outbox();
    await expect(
      box.run('pay.micropay', { orderId: 'o1', externalId: 'P1', payload: { outTradeNo: 'P1', totalFee: 800 }, prepare: newOrder('o1') }),
    ).rejects.toThrow('injected crash');
    const [intent] = intents.openForOrder('o1');
    expect(intent?.state).toBe('prepared');
    expect(orderState('o1')).toBe('new');
    expect(events.ofOrder('o1')).toEqual([]);

    db.exec('DROP TRIGGER crash');
    const restarted = outbox();
    restarted.start(); // a prepared intent is in doubt: the resolver asks the remote, which took the money
    await restarted.resolveNow();
    await restarted.stop();
    expect(intents.get(intent!.id)?.state).toBe('succeeded');
    expect(orderState('o1')).toBe('succeeded');
    expect(events.ofOrder('o1').map((e) => [e.eventId, e.kind, e.actor, e.amounts])).toEqual([
      [intent!.id, 'payment', 'resolver', { cash: 800 }],
    ]);
  });

  it('events are immutable and never deleted in the station outbox', async () => {
    await outbox().run('pay.micropay', {
      orderId: 'o1',
      externalId: 'P1',
      payload: { outTradeNo: 'P1', totalFee: 5 },
      prepare: newOrder('o1'),
    });
    expect(() => db.prepare("UPDATE ledger_events SET body = '{}'").run()).toThrow('immutable');
    expect(() => db.prepare('DELETE FROM ledger_events').run()).toThrow('never deleted');
  });

  it('the shipper delivers the backlog to the embedded ledger in order; a second shipping of the same events is ignored there', async () => {
    const box = outbox();
    for (const n of [1, 2, 3]) {
      await box.run('pay.micropay', {
        orderId: `o${n}`,
        externalId: `P${n}`,
        payload: { outTradeNo: `P${n}`, totalFee: n * 100 },
        prepare: newOrder(`o${n}`),
      });
    }
    const ledger = new EmbeddedLedger(db, clock);
    const shipper = new LedgerShipper(events, ledger, { now: clock });
    expect(events.backlog().unshipped).toBe(3);
    expect(await shipper.shipNow()).toBe(3);
    expect(events.backlog()).toEqual({ unshipped: 0, oldestUnshippedAt: null, lastShippedSeq: 3 });
    const held = db.prepare('SELECT station_seq, order_id FROM station_events ORDER BY id').all();
    expect(held).toEqual([1, 2, 3].map((n) => ({ station_seq: n, order_id: `o${n}` })));
    // At least once: a shipment whose acknowledgement was lost comes again, and the ledger keeps one of each.
    const again = await ledger.append(events.ofOrder('o2'));
    expect(again).toEqual({ inserted: 0 });
    expect(ledger.count('W01')).toBe(3);
    expect(() => db.prepare('DELETE FROM station_events').run()).toThrow('insert-only');
  });
});
