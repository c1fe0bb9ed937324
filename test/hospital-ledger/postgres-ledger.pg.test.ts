/**
 * The hospital ledger on a real PostgreSQL 15 (a throwaway cluster, test/harness/postgres.ts): `ledger init`'s
 * schema and roles, a station shipping its outbox of events with its key file's login over TCP, a backlog shipped
 * in order after the server was down, repeats ignored, and the roles enforced by the server itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/station/store';
import {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  LEDGER_SCHEMA_VERSION,
  LedgerEventsRepo,
  LedgerShipper,
  ledgerServerStatus,
  PostgresLedger,
  PostgresLedgerReader,
  stationClientConfig,
  type LedgerEvent,
  type NewLedgerEvent,
} from '../../src/station/hospital-ledger';
import { missing } from '../harness/prerequisites';
import { asSuperuser as superuserOn, createLedgerDatabase, startThrowawayPostgres, type ThrowawayPostgres } from '../harness/postgres';

const PASSWORD = { w01: 'station-w01-secret', w02: 'station-w02-secret', office: 'office-reader-secret' };
const clock = () => new Date('2026-12-04T02:00:00Z');

let server: ThrowawayPostgres;
let dir: string;

function event(stationId: string, n: number): NewLedgerEvent {
  return {
    v: 1,
    stationId,
    eventId: `${stationId}-E${n}`,
    kind: 'payment',
    movement: 'pay.micropay',
    outcome: 'succeeded',
    orderId: `o${n}`,
    hisOrderNo: `H${n}`,
    operatorId: 'op1',
    actor: 'station',
    at: clock().toISOString(),
    channel: 'wechat',
    amounts: { cash: n * 100 },
    ids: { outTradeNo: `P${n}`, transactionId: `T${n}` },
  };
}

/** A station: its own SQLite outbox of events and its key file (login and password) for the hospital ledger. */
function station(id: 'W01' | 'W02', login: 'w01' | 'w02'): { db: Db; events: LedgerEventsRepo; ledger: PostgresLedger } {
  const db = openDatabase(path.join(dir, `${id}.db`));
  const keyFile = path.join(dir, `${id}-ledger-keys.json`);
  fs.writeFileSync(keyFile, JSON.stringify({ user: login, password: PASSWORD[login] }), { mode: 0o600 });
  return { db, events: new LedgerEventsRepo(db), ledger: new PostgresLedger(stationClientConfig({ url: server.url('yibao'), keyFile })) };
}

async function asLogin<T>(user: string, password: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, database: 'yibao', user, password });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const asSuperuser = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => superuserOn(server, 'yibao', fn);

const held = (stationId: string) =>
  asSuperuser(
    async (c) =>
      (await c.query('SELECT event_id, station_seq FROM yibao.station_events WHERE station_id = $1 ORDER BY id', [stationId])).rows,
  );

describe.skipIf(missing('postgresql'))('the hospital ledger on PostgreSQL', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-ledger-'));
    server = await startThrowawayPostgres();
    await createLedgerDatabase(server);
    await asSuperuser(async (c) => {
      expect(await initLedgerSchema(c)).toBe(LEDGER_SCHEMA_VERSION);
      expect(await initLedgerSchema(c)).toBe(LEDGER_SCHEMA_VERSION); // init again (an upgrade) changes nothing
      await addStationLogin(c, 'W01', 'w01', PASSWORD.w01);
      await addStationLogin(c, 'W02', 'w02', PASSWORD.w02);
      await addOfficeLogin(c, 'office', PASSWORD.office);
    });
  });
  afterAll(() => {
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a station ships its events in order with its key file login; a repeat is ignored by the idempotent key', async () => {
    const w01 = station('W01', 'w01');
    for (const n of [1, 2, 3]) w01.events.append(event('W01', n));
    const shipper = new LedgerShipper(w01.events, w01.ledger, { now: clock });
    expect(await shipper.shipNow()).toBe(3);
    expect(await held('W01')).toEqual([1, 2, 3].map((n) => ({ event_id: `W01-E${n}`, station_seq: String(n) })));
    // The acknowledgement was lost: the same batch comes again and nothing is added.
    expect(await w01.ledger.append(w01.events.ofOrder('o2'))).toEqual({ inserted: 0 });
    expect((await held('W01')).length).toBe(3);
    const office = await asLogin('office', PASSWORD.office, (c) =>
      c.query('SELECT cash_fen, his_order_no, body FROM yibao.station_events ORDER BY id'),
    );
    expect(office.rows.map((r: { cash_fen: string }) => Number(r.cash_fen))).toEqual([100, 200, 300]);
    expect((office.rows[1] as { body: LedgerEvent }).body).toMatchObject({ eventId: 'W01-E2', seq: 2, ids: { outTradeNo: 'P2' } });
    // What a day's reconciliation reads through the office login: the period's events, checked against the schema.
    const officeKeys = path.join(dir, 'office-ledger-keys.json');
    fs.writeFileSync(officeKeys, JSON.stringify({ user: 'office', password: PASSWORD.office }), { mode: 0o600 });
    const reader = new PostgresLedgerReader(stationClientConfig({ url: server.url('yibao'), keyFile: officeKeys }));
    const at = clock().getTime();
    const day = await reader.eventsBetween(new Date(at - 3_600_000), new Date(at + 3_600_000));
    expect(day.map((e) => [e.stationId, e.eventId, e.amounts.cash])).toEqual([1, 2, 3].map((n) => ['W01', `W01-E${n}`, n * 100]));
    expect(await reader.eventsBetween(new Date(at + 1), new Date(at + 3_600_000))).toEqual([]);
    await reader.close();
    await w01.ledger.close();
    w01.db.close();
  });

  it('a station offline while the server is down keeps its backlog and ships it in order when the server is back', async () => {
    const w02 = station('W02', 'w02');
    const shipper = new LedgerShipper(w02.events, w02.ledger, { now: clock });
    w02.events.append(event('W02', 1));
    expect(await shipper.shipNow()).toBe(1);
    server.stop();
    for (const n of [2, 3, 4, 5]) w02.events.append(event('W02', n));
    await expect(shipper.shipNow()).rejects.toThrow();
    expect(shipper.error).not.toBeNull();
    expect(w02.events.backlog()).toMatchObject({ unshipped: 4, lastShippedSeq: 1 });
    server.start();
    expect(await shipper.shipNow()).toBe(4);
    expect(shipper.error).toBeNull();
    expect(w02.events.backlog()).toMatchObject({ unshipped: 0, lastShippedSeq: 5 });
    expect((await held('W02')).map((r: { station_seq: string }) => Number(r.station_seq))).toEqual([1, 2, 3, 4, 5]);
    await w02.ledger.close();
    w02.db.close();
  });

  it('a running shipper retries on its own while the server is down and ships the backlog when it is back', async () => {
    const w01 = station('W01', 'w01');
    server.stop();
    for (const n of [4, 5, 6]) w01.events.append(event('W01', n));
    let failures = 0;
    let shippedUpTo = 0;
    const allShipped = new Promise<void>((resolve) => {
      const shipper = new LedgerShipper(w01.events, w01.ledger, {
        now: clock,
        retryMs: 20,
        maxPauseMs: 50,
        log: () => {
          failures += 1;
          // Back after a few failed tries: the shipper is already waiting for its next one.
          if (failures === 3) server.start();
        },
        shipped: (seq) => {
          shippedUpTo = seq;
          if (seq === 6) void shipper.stop().then(resolve);
        },
      });
      shipper.start();
    });
    await allShipped;
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(shippedUpTo).toBe(6);
    expect((await held('W01')).map((r: { station_seq: string }) => Number(r.station_seq))).toEqual([1, 2, 3, 4, 5, 6]);
    await w01.ledger.close();
    w01.db.close();
  });

  it("a station's login cannot write another station's events, nor insert, read, update or delete the table", async () => {
    const foreign = JSON.stringify([{ ...event('W02', 99), seq: 99 }]);
    await asLogin('w01', PASSWORD.w01, async (c) => {
      await expect(c.query('SELECT yibao.append_events($1::jsonb)', [foreign])).rejects.toThrow(
        'station W01 may not write events of station W02',
      );
      await expect(
        c.query(
          `INSERT INTO yibao.station_events (station_id, event_id, station_seq, schema_version, kind, movement, outcome, order_id, channel, at, body)
           VALUES ('W01', 'X', 1, 1, 'payment', 'pay.micropay', 'succeeded', 'o', 'wechat', now(), '{}')`,
        ),
      ).rejects.toThrow('permission denied');
      await expect(c.query("UPDATE yibao.station_events SET cash_fen = 0 WHERE station_id = 'W01'")).rejects.toThrow('permission denied');
      await expect(c.query("DELETE FROM yibao.station_events WHERE station_id = 'W01'")).rejects.toThrow('permission denied');
      await expect(c.query('SELECT * FROM yibao.station_events')).rejects.toThrow('permission denied');
    });
    expect(await held('W02')).not.toContainEqual(expect.objectContaining({ event_id: 'W02-E99' }));
  });

  it('the office reads every station but writes nothing; a login that is no station is refused; not even the owner changes an event', async () => {
    await asLogin('office', PASSWORD.office, async (c) => {
      const s = await ledgerServerStatus(c);
      expect(s.stations.map((x) => [x.stationId, x.events, x.lastSeq])).toEqual([
        ['W01', 6, 6],
        ['W02', 5, 5],
      ]);
      await expect(c.query('SELECT yibao.append_events($1::jsonb)', [JSON.stringify([{ ...event('W01', 7), seq: 7 }])])).rejects.toThrow(
        'permission denied',
      );
      await expect(c.query('DELETE FROM yibao.station_events')).rejects.toThrow('permission denied');
    });
    await asSuperuser(async (c) => {
      await c.query('CREATE ROLE stranger LOGIN PASSWORD $$stranger-secret-1$$ IN ROLE yibao_station');
      await expect(c.query('UPDATE yibao.station_events SET cash_fen = 0')).rejects.toThrow('insert-only');
      await expect(c.query('DELETE FROM yibao.station_events')).rejects.toThrow('insert-only');
      await expect(c.query('TRUNCATE yibao.station_events')).rejects.toThrow('insert-only');
    });
    await asLogin('stranger', 'stranger-secret-1', async (c) => {
      await expect(c.query('SELECT yibao.append_events($1::jsonb)', ['[]'])).rejects.toThrow(
        'login stranger is not a station of this ledger',
      );
    });
  });
});
