/**
 * The patient on a ledger event (real SQLite file, the recorder the outbox calls): with the hospital-wide lookup key
 * the event carries the key's id and the tokens of the ID number and the normalised name — the same tokens the
 * office computes from what a clerk types — and nothing of the patient in clear; without the key, or for an order
 * without a person, no patient at all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, PersonsRepo, type Db, type StoredPerson } from '../store';
import { FieldCipher, HospitalLookup, loadOrCreateDataKeys } from '../security';
import type { FinalMovement } from '../outbox';
import { LedgerEventsRepo, patientTokensOf, type OrderFacts } from './index';

const LOOKUP = new HospitalLookup({ id: 'HK20261201-01', key: '4b'.repeat(32) });
const ZHOU: StoredPerson = {
  psnNo: 'P00000042',
  name: '周 玉芬',
  certNo: '35020319900101123X',
  certType: '01',
  gender: '2',
  nation: '01',
  birthDate: '1990-01-01',
  age: 36,
  insurances: [],
  identities: [],
};

let dir: string;
let db: Db;
let persons: PersonsRepo;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patient-tokens-'));
  db = openDatabase(path.join(dir, 'station.db'));
  persons = new PersonsRepo(db, new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys'))));
  persons.upsert(ZHOU, new Date('2026-12-01T00:00:00Z'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const order = (psnNo: string | null): Omit<OrderFacts, 'paid'> => ({
  hisOrderNo: 'H1',
  operatorId: 'sf001',
  mdtrtId: null,
  setlId: null,
  split: null,
  ...(psnNo ? { psnNo } : {}),
});
const paid = (orderId: string): FinalMovement => ({
  id: `pay-${orderId}`,
  orderId,
  externalId: `T-${orderId}`,
  compExternalId: null,
  kind: 'pay.micropay',
  payload: { outTradeNo: `T-${orderId}`, totalFee: 1500 },
  final: 'succeeded',
  output: { transactionId: `X-${orderId}`, wallet: 'alipay', totalFee: 1500 },
  actor: 'station',
  at: new Date('2026-12-02T02:00:00Z'),
});

function record(lookup: HospitalLookup | undefined, psnNo: string | null, orderId: string) {
  const events = new LedgerEventsRepo(db);
  const hook = events.recorder('W01', { get: () => order(psnNo), payments: { paid: () => [] } }, patientTokensOf(persons, lookup));
  db.transaction(() => hook(db, paid(orderId)))();
  const body = (db.prepare('SELECT body FROM ledger_events WHERE order_id = ?').get(orderId) as { body: string }).body;
  return { event: events.ofOrder(orderId)[0]!, body };
}

describe('the patient on a ledger event', () => {
  it('with the hospital key: the key id and the tokens the office computes from what a clerk types, nothing in clear', () => {
    const { event, body } = record(LOOKUP, ZHOU.psnNo, 'o1');
    expect(event.patient).toEqual({
      keyId: 'HK20261201-01',
      certNo: LOOKUP.queryToken({ certNo: '35020319900101123x' }),
      name: LOOKUP.queryToken({ name: '周玉芬' }),
    });
    for (const clear of ['周', '玉芬', ZHOU.certNo, ZHOU.certNo.toLowerCase(), '19900101']) expect(body).not.toContain(clear);
  });

  it('another hospital key gives other tokens; without a key, or without a person, no patient', () => {
    const other = new HospitalLookup({ id: 'HK20261201-01', key: '5c'.repeat(32) });
    expect(record(other, ZHOU.psnNo, 'o2').event.patient!.certNo).not.toBe(LOOKUP.certNoToken(ZHOU.certNo));
    expect(record(undefined, ZHOU.psnNo, 'o3').event).not.toHaveProperty('patient');
    expect(record(LOOKUP, null, 'o4').event).not.toHaveProperty('patient');
    expect(record(LOOKUP, 'P-unknown', 'o5').event).not.toHaveProperty('patient');
  });
});
