import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, migrate, type Db } from './database';
import { MIGRATIONS } from './migrations';
import { NhsaRepo } from './nhsa-repo';
import { PersonsRepo, type StoredPerson } from './persons-repo';
import { FieldCipher, loadOrCreateDataKeys } from '../security';
import { fen } from '../../shared/money';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-store-'));
  db = openDatabase(path.join(dir, 'station.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('database', () => {
  it('opens in WAL with synchronous=FULL and the latest schema', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('refuses a database written by a newer program', () => {
    db.pragma('user_version = 999');
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer than this program/);
  });

  it('a failing migration leaves the previous version intact', () => {
    const latest = MIGRATIONS.at(-1)!.version;
    const broken = [...MIGRATIONS, { version: latest + 1, name: 'broken', sql: 'CREATE TABLE ok_table (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_table'").get()).toBeUndefined();
  });
});

describe('msgid sequence', () => {
  it('stays unique across reopen and when the clock steps back', () => {
    const repo = new NhsaRepo(db);
    const seen = new Set<string>();
    const take = (r: NhsaRepo, s: string) => {
      const slot = r.nextMsgidSlot(s);
      const key = `${slot.second}${String(slot.seq).padStart(4, '0')}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      return slot;
    };
    expect(take(repo, '20261123101500')).toEqual({ second: '20261123101500', seq: 1 });
    take(repo, '20261123101500');
    db.close();
    db = openDatabase(path.join(dir, 'station.db'));
    const reopened = new NhsaRepo(db);
    expect(take(reopened, '20261123101500')).toEqual({ second: '20261123101500', seq: 3 });
    // clock stepped back one minute: keep counting in the later second
    expect(take(reopened, '20261123101400')).toEqual({ second: '20261123101500', seq: 4 });
    expect(take(reopened, '20261123101501')).toEqual({ second: '20261123101501', seq: 1 });
  });

  it('borrows the next second after 9999 messages in one second', () => {
    const repo = new NhsaRepo(db);
    db.prepare("INSERT INTO msgid_sequence (id, second, seq) VALUES (1, '20261231235959', 9999)").run();
    expect(repo.nextMsgidSlot('20261231235959')).toEqual({ second: '20270101000000', seq: 1 });
  });
});

describe('sealed personal data', () => {
  const person: StoredPerson = {
    psnNo: '35020000000000000001',
    name: '林志强',
    certType: '02',
    certNo: '350203198503121234',
    gender: '1',
    nation: '01',
    birthDate: '1985-03-12',
    age: 41,
    insurances: [
      {
        insutype: '310',
        psnType: '11',
        balanceFen: fen(123456),
        insuredRegion: '350200',
        employer: '厦门某公司',
        status: '1',
        civilServant: false,
      },
    ],
    identities: [],
  };

  it('stores no personal value in clear and reads it back', () => {
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'keys')));
    const repo = new PersonsRepo(db, cipher);
    repo.upsert(person, new Date());
    expect(repo.find(person.psnNo)).toEqual(person);
    expect(repo.findByCertNo('350203198503121234')).toEqual(person);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = fs.readFileSync(path.join(dir, 'station.db'));
    for (const secret of ['林志强', '350203198503121234', '厦门某公司', '123456']) {
      expect(raw.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('detects a tampered value and a wrong key', () => {
    const keys = loadOrCreateDataKeys(path.join(dir, 'keys'));
    const cipher = new FieldCipher(keys);
    const sealed = cipher.seal('王芳');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[20] = raw[20]! ^ 1;
    expect(() => cipher.open(`s1:${raw.toString('base64')}`)).toThrow(/integrity/);
    const other = new FieldCipher(loadOrCreateDataKeys(path.join(dir, 'other-keys')));
    expect(() => other.open(sealed)).toThrow(/integrity/);
    expect(cipher.open(sealed)).toBe('王芳');
  });

  it('keeps the key file private and stable', () => {
    const a = loadOrCreateDataKeys(path.join(dir, 'keys'));
    const b = loadOrCreateDataKeys(path.join(dir, 'keys'));
    expect(Buffer.from(a.encKey).equals(Buffer.from(b.encKey))).toBe(true);
    expect(fs.statSync(path.join(dir, 'keys', 'station-data.key')).mode & 0o777).toBe(0o600);
  });
});

describe('call journal', () => {
  it('takes a repeated message (same msgid, same infno) back to sending, and refuses a msgid reused for another infno', () => {
    const repo = new NhsaRepo(db);
    const now = new Date();
    repo.journalSend({ msgid: 'M'.repeat(30), infno: '2601', operatorId: null }, now);
    repo.journalAnswer('M'.repeat(30), 'unknown', now, undefined, 'timeout');
    repo.journalSend({ msgid: 'M'.repeat(30), infno: '2601', operatorId: null }, now);
    expect(repo.callsIn('sending')).toEqual([{ msgid: 'M'.repeat(30), infno: '2601' }]);
    expect(() => repo.journalSend({ msgid: 'M'.repeat(30), infno: '2207', operatorId: null }, now)).toThrow(/another transaction/);
  });
});
