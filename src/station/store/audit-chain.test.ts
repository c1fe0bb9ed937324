import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from './database';
import { MIGRATIONS } from './migrations';
import { AuditRepo } from './audit-repo';
import { AUDIT_GENESIS, auditHash, verifyAuditChain, type AuditRowFields } from './audit-chain';

let dir: string;
let file: string;
let db: Db;
const now = new Date('2026-12-04T04:00:00Z');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-audit-'));
  file = path.join(dir, 'station.db');
  db = openDatabase(file);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const appendFive = () => {
  const audit = new AuditRepo(db, 'window-03');
  for (let i = 1; i <= 5; i++) audit.append({ operatorId: 'sf001', action: `op${i}`, outcome: 'ok', detail: `d${i}` }, now);
};

/** A raw connection without the station's code, as someone editing the file would use — triggers dropped first. */
function tamper(sql: string) {
  const raw = new Database(file);
  raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_chained_insert;');
  raw.exec(sql);
  raw.close();
}

describe('audit trail', () => {
  it('links every row to the one before, from GENESIS', () => {
    appendFive();
    const rows = db.prepare('SELECT id, prev_hash, hash FROM audit_log ORDER BY id').all() as {
      id: number;
      prev_hash: string;
      hash: string;
    }[];
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBe(AUDIT_GENESIS);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(verifyAuditChain(db)).toEqual({ ok: true, rows: 5, head: rows[4]!.hash });
  });

  it('refuses updates and deletes, and rows written without their hash', () => {
    appendFive();
    expect(() => db.prepare("UPDATE audit_log SET detail = 'x' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_log SET hash = 'x' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/);
    expect(() =>
      db.prepare("INSERT INTO audit_log (at, station_id, operator_id, action, outcome) VALUES ('t', 's', null, 'a', 'ok')").run(),
    ).toThrow(/chain hash/);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it.each([
    ['an edited detail', "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3", 3],
    ['an edited outcome', "UPDATE audit_log SET outcome = 'denied' WHERE id = 4", 4],
    ['a removed row', 'DELETE FROM audit_log WHERE id = 2', 3],
    [
      'an inserted row',
      "INSERT INTO audit_log (id, at, station_id, action, outcome, prev_hash, hash) VALUES (9, 't', 'w', 'x', 'ok', 'a', 'b')",
      9,
    ],
  ])('finds %s at the right row', (_what, sql, brokenAt) => {
    appendFive();
    tamper(sql);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt });
  });

  it("finds an edit whose row hash was recomputed: the next row's link no longer matches", () => {
    appendFive();
    const row3 = db.prepare('SELECT * FROM audit_log WHERE id = 3').get() as AuditRowFields & { prev_hash: string };
    const forged = auditHash(row3.prev_hash, { ...row3, detail: 'forged' });
    tamper(`UPDATE audit_log SET detail = 'forged', hash = '${forged}' WHERE id = 3`);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('chains the rows written before migration 010 at the first open after it', () => {
    db.close();
    fs.rmSync(file);
    const old = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version < 10),
    );
    for (let i = 1; i <= 3; i++) {
      old
        .prepare("INSERT INTO audit_log (at, station_id, operator_id, action, outcome) VALUES (?, 'w', 'sf001', ?, 'ok')")
        .run(now.toISOString(), `old${i}`);
    }
    old.close();
    db = openDatabase(file);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 3 });
    new AuditRepo(db, 'w').append({ operatorId: null, action: 'new', outcome: 'ok' }, now);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 4 });
  });
});
