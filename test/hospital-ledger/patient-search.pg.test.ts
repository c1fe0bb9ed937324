/**
 * 全院 patient search end to end on a throwaway PostgreSQL: two stations, each with its own data keys and its own
 * persons table, record their final movements through the outbox's ledger hook (LedgerEventsRepo.recorder) with the
 * hospital-wide lookup key, ship them with their own logins, and the office — holding the same key — finds one
 * patient's rows of both stations by ID number or name. An office with another key finds nothing; rows tokened
 * under a rotated key are found only while the office still holds that key; rows shipped before the key carry no
 * token and are not found. And nothing the ledger stores holds the patient's name or ID number in clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { FinanceFilter, type FinanceFilterInput } from '../../src/shared/finance-lists';
import {
  addOfficeLogin,
  addStationLogin,
  initLedgerSchema,
  LedgerEventsRepo,
  LedgerShipper,
  patientTokensOf,
  PostgresFinanceQuery,
  PostgresLedger,
  stationClientConfig,
  type OrderFacts,
} from '../../src/station/hospital-ledger';
import { FieldCipher, HospitalLookup, loadOrCreateDataKeys, type HospitalLookupKey } from '../../src/station/security';
import { openDatabase, PersonsRepo, type StoredPerson } from '../../src/station/store';
import type { FinalMovement } from '../../src/station/outbox';
import { missing } from '../harness/prerequisites';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../harness/postgres';

const ZONE = 'Asia/Shanghai';
const KEY_A: HospitalLookupKey = { id: 'HK20261201-aa', key: '1f'.repeat(32) };
const KEY_B: HospitalLookupKey = { id: 'HK20261215-bb', key: '2e'.repeat(32) };
const KEY_OTHER: HospitalLookupKey = { id: 'HK20261201-aa', key: '3d'.repeat(32) }; // another hospital's, same id even
const admin = { roles: ['admin'] as const };

const person = (psnNo: string, name: string, certNo: string): StoredPerson => ({
  psnNo,
  name,
  certNo,
  certType: '01',
  gender: '2',
  nation: '01',
  birthDate: '1990-01-01',
  age: 36,
  insurances: [],
  identities: [],
});
const LIN = person('P00000077', '林 晓燕', '35020319900101123X');
const WU = person('P00000078', '吴建国', '350203199001021235');

let dir: string;
let server: ThrowawayPostgres;

/** A station: its own data dir and data keys, its persons, and the ledger hook as station.ts wires it. */
function station(id: string, lookup: HospitalLookup | undefined, persons: StoredPerson[]) {
  const home = path.join(dir, id);
  const db = openDatabase(path.join(home, 'station.db'));
  const repo = new PersonsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(home, 'keys'))));
  for (const p of persons) repo.upsert(p, new Date('2026-12-01T00:00:00Z'));
  const psnOf = new Map<string, string>();
  const events = new LedgerEventsRepo(db);
  const orders = {
    get: (orderId: string): Omit<OrderFacts, 'paid'> | undefined => {
      const psnNo = psnOf.get(orderId);
      return psnNo ? { hisOrderNo: `H-${orderId}`, operatorId: 'sf001', mdtrtId: null, setlId: null, split: null, psnNo } : undefined;
    },
    payments: { paid: () => [] },
  };
  let record = events.recorder(id, orders, patientTokensOf(repo, lookup));
  return {
    db,
    /** the key the station tokens with from now on (its key file imported a new one and the station restarted) */
    rekey(next: HospitalLookup) {
      record = events.recorder(id, orders, patientTokensOf(repo, next));
    },
    /** a payment by payment code reaching its final state for the patient's order */
    pay(orderId: string, who: StoredPerson, fen: number, at: string) {
      psnOf.set(orderId, who.psnNo);
      const m: FinalMovement = {
        id: `${id}-${orderId}`,
        orderId,
        externalId: `T-${orderId}`,
        compExternalId: null,
        kind: 'pay.micropay',
        payload: { outTradeNo: `T-${orderId}`, totalFee: fen },
        final: 'succeeded',
        output: { transactionId: `X-${orderId}`, wallet: 'wechat', totalFee: fen },
        actor: 'station',
        at: new Date(at),
      };
      db.transaction(() => record(db, m))();
    },
    /** the payment's money back (its own event, naming the trade) */
    refund(orderId: string, fen: number, at: string) {
      const m: FinalMovement = {
        id: `${id}-${orderId}-back`,
        orderId,
        externalId: `R-${orderId}`,
        compExternalId: null,
        kind: 'pay.refund',
        payload: { outTradeNo: `T-${orderId}`, outRefundNo: `R-${orderId}`, refundFee: fen, wallet: 'wechat' },
        final: 'succeeded',
        output: { refundId: `WXR-${orderId}`, refundFee: fen },
        actor: 'station',
        at: new Date(at),
      };
      db.transaction(() => record(db, m))();
    },
    async ship(login: string) {
      const keyFile = path.join(home, 'ledger-keys.json');
      fs.writeFileSync(keyFile, JSON.stringify({ user: login, password: `${login}-secret-1` }), { mode: 0o600 });
      const ledger = new PostgresLedger(stationClientConfig({ url: server.url('yibao'), keyFile }));
      try {
        await new LedgerShipper(events, ledger, { now: () => new Date() }).shipNow();
      } finally {
        await ledger.close();
      }
    },
  };
}

/** The office login's connection, from its key file as the office's configuration opens it. */
function officeConfig() {
  const keyFile = path.join(dir, 'office-keys.json');
  fs.writeFileSync(keyFile, JSON.stringify({ user: 'office', password: 'office-secret-1' }), { mode: 0o600 });
  return stationClientConfig({ url: server.url('yibao'), keyFile });
}

/** The office's 全院 payments list holding these lookup keys (the current first). */
async function officeFinds(keys: HospitalLookupKey[], patient: string): Promise<{ orders: string[]; notice: string | undefined }> {
  const office = new PostgresFinanceQuery(
    officeConfig(),
    ZONE,
    keys.map((k) => new HospitalLookup(k)),
  );
  try {
    const filter: FinanceFilterInput = { from: '2026-12-01', to: '2026-12-31', patient };
    const page = await office.page(
      { list: 'payments', filter: FinanceFilter.parse(filter), sort: 'time-asc', limit: 50, offset: 0 },
      admin,
    );
    return { orders: page.rows.map((r) => `${r.stationId}:${r.orderId}`), notice: page.notice };
  } finally {
    await office.close();
  }
}

describe.skipIf(missing('postgresql'))('全院 patient search: one hospital key, two stations, the office', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patient-search-'));
    server = await startThrowawayPostgres();
    const c = new pg.Client(server.superuser());
    await c.connect();
    await c.query('CREATE DATABASE yibao');
    await c.end();
    const owner = new pg.Client(server.superuser('yibao'));
    await owner.connect();
    try {
      await initLedgerSchema(owner);
      await addStationLogin(owner, 'W01', 'w01', 'w01-secret-1');
      await addStationLogin(owner, 'W02', 'w02', 'w02-secret-1');
      await addOfficeLogin(owner, 'office', 'office-secret-1');
    } finally {
      await owner.end();
    }

    // W01 before IT imported the hospital key: its event carries no token; then the key, and the station restarted
    const w01 = station('W01', undefined, [LIN, WU]);
    const w02 = station('W02', new HospitalLookup(KEY_A), [LIN]);
    w01.pay('o-before-key', LIN, 500, '2026-12-02T01:00:00Z');
    w01.pay('o-spans-key', WU, 900, '2026-12-02T01:30:00Z');
    w01.rekey(new HospitalLookup(KEY_A));
    w01.refund('o-spans-key', 900, '2026-12-05T01:00:00Z'); // after the key: this event's tokens reach its order's row
    w01.pay('o-lin-1', LIN, 1200, '2026-12-02T02:00:00Z');
    w01.pay('o-wu-1', WU, 3400, '2026-12-02T03:00:00Z');
    w02.pay('o-lin-2', LIN, 5600, '2026-12-03T02:00:00Z');
    // W02 rotates to key B: its next event is tokened under B, with B's id
    w02.rekey(new HospitalLookup(KEY_B));
    w02.pay('o-lin-3', LIN, 7800, '2026-12-04T02:00:00Z');
    await w01.ship('w01');
    await w02.ship('w02');
    for (const s of [w01, w02]) s.db.close();
  });
  afterAll(() => {
    server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('one ID number finds the patient’s rows of both stations; the name (spaces, case) finds the same', async () => {
    const byCert = await officeFinds([KEY_A], LIN.certNo.toLowerCase());
    expect(byCert.orders).toEqual(['W01:o-lin-1', 'W02:o-lin-2']);
    expect(byCert.notice).toContain(KEY_A.id);
    expect((await officeFinds([KEY_A], '林晓燕')).orders).toEqual(['W01:o-lin-1', 'W02:o-lin-2']);
    expect((await officeFinds([KEY_A], WU.certNo)).orders).toEqual(['W01:o-spans-key', 'W01:o-wu-1']);
  });

  it('another key finds nothing, even under the same key id', async () => {
    expect((await officeFinds([KEY_OTHER], LIN.certNo)).orders).toEqual([]);
    expect((await officeFinds([KEY_OTHER], '林晓燕')).orders).toEqual([]);
  });

  it('a rotated key: the office holding the new key and the old finds both; the new alone only its own rows', async () => {
    expect((await officeFinds([KEY_B, KEY_A], LIN.certNo)).orders).toEqual(['W01:o-lin-1', 'W02:o-lin-2', 'W02:o-lin-3']);
    expect((await officeFinds([KEY_B], LIN.certNo)).orders).toEqual(['W02:o-lin-3']);
  });

  it('a row shipped before the key carries no token: listed, but found by patient only once a later event of its order brings one', async () => {
    const office = new PostgresFinanceQuery(officeConfig(), ZONE, [new HospitalLookup(KEY_A)]);
    try {
      const filter = FinanceFilter.parse({ from: '2026-12-01', to: '2026-12-31', stationId: 'W01' });
      const all = await office.page({ list: 'payments', filter, sort: 'time-asc', limit: 50, offset: 0 }, admin);
      expect(all.rows.map((r) => r.orderId)).toEqual(['o-before-key', 'o-spans-key', 'o-lin-1', 'o-wu-1']);
    } finally {
      await office.close();
    }
    expect((await officeFinds([KEY_A], LIN.certNo)).orders).not.toContain('W01:o-before-key');
  });

  it('no clear personal data reaches the ledger: no table holds a name or ID number, only tokens', async () => {
    const c = new pg.Client(server.superuser('yibao'));
    await c.connect();
    try {
      const tables = await c.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'yibao'`);
      expect(tables.rows.map((r) => r.t)).toEqual(expect.arrayContaining(['station_events', 'list_payments', 'list_refunds']));
      let text = '';
      for (const { t } of tables.rows) {
        const rows = await c.query<{ row: string }>(`SELECT x::text AS row FROM yibao.${c.escapeIdentifier(t)} x`);
        text += rows.rows.map((r) => r.row).join('\n');
      }
      expect(text).toContain(new HospitalLookup(KEY_A).certNoToken(LIN.certNo)); // the dump holds the tokens …
      for (const clear of [LIN.name, '林晓燕', LIN.certNo, LIN.certNo.toLowerCase(), WU.name, WU.certNo, '林', '吴'])
        expect(text).not.toContain(clear); // … and none of the clear values
    } finally {
      await c.end();
    }
  });
});
