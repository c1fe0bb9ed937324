/**
 * The audit trail's hash chain (migration 010): each row's `hash` is SM3 over the previous row's hash and the
 * row's canonical fields; the first row follows GENESIS. An edit, an insertion or a removal in the middle breaks
 * the chain at the first row whose stored hash (or link) no longer matches — `verifyAuditChain` names it.
 * Removing the newest rows leaves a shorter, valid chain: each backup carries the head it saw, and
 * `checkAuditAnchor` holds the live trail against it (`audit verify` does so for every backup).
 */
import Database from 'better-sqlite3';
import { sm3Hex } from '../../insurance/crypto';
import type { Db } from './database';

export const AUDIT_GENESIS = '0'.repeat(64);

export interface AuditRowFields {
  id: number;
  at: string;
  station_id: string;
  operator_id: string | null;
  action: string;
  outcome: string;
  detail: string;
}

interface ChainedRow extends AuditRowFields {
  prev_hash: string | null;
  hash: string | null;
}

/** The row as the hash sees it: a JSON array in a fixed order, so no field can bleed into another. */
export function canonicalAuditRow(row: AuditRowFields): string {
  return JSON.stringify([row.id, row.at, row.station_id, row.operator_id, row.action, row.outcome, row.detail]);
}

export function auditHash(prevHash: string, row: AuditRowFields): string {
  return sm3Hex(`${prevHash}\n${canonicalAuditRow(row)}`);
}

export function hasAuditChain(db: Db): boolean {
  return (db.prepare("SELECT count(*) AS n FROM pragma_table_info('audit_log') WHERE name = 'hash'").get() as { n: number }).n > 0;
}

/** The hash the next row links to: the newest row's, or GENESIS for an empty trail. */
export function auditHead(db: Db): { id: number; hash: string } {
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number; hash: string | null } | undefined;
  return { id: last?.id ?? 0, hash: last?.hash ?? AUDIT_GENESIS };
}

/** Chains rows written before migration 010 (once, at the first open after it). Returns how many it chained. */
export function chainPendingAudit(db: Db): number {
  if (!hasAuditChain(db)) return 0;
  // Only rows from before 010 can lack a hash, and they are chained oldest first in one go: when the oldest row
  // has one, all do. One look-up by rowid — no scan of a year's trail, no write lock — on every later start.
  const oldest = db.prepare('SELECT hash FROM audit_log ORDER BY id LIMIT 1').get() as { hash: string | null } | undefined;
  if (!oldest || oldest.hash !== null) return 0;
  return db
    .transaction(() => {
      const pending = db.prepare('SELECT * FROM audit_log WHERE hash IS NULL ORDER BY id').all() as ChainedRow[];
      if (pending.length === 0) return 0;
      const before = db.prepare('SELECT hash FROM audit_log WHERE id < ? AND hash IS NOT NULL ORDER BY id DESC LIMIT 1');
      let prev = (before.get(pending[0]!.id) as { hash: string } | undefined)?.hash ?? AUDIT_GENESIS;
      const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
      for (const row of pending) {
        const hash = auditHash(prev, row);
        update.run(prev, hash, row.id);
        prev = hash;
      }
      return pending.length;
    })
    .immediate();
}

export type AuditVerification = { ok: true; rows: number; head: string } | { ok: false; rows: number; brokenAt: number; reason: string };

/** Walks the whole trail in id order; stops at the first row that does not follow from the one before. */
export function verifyAuditChain(db: Db): AuditVerification {
  let prev = AUDIT_GENESIS;
  let rows = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<ChainedRow>) {
    rows++;
    if (row.hash === null || row.prev_hash === null) return { ok: false, rows, brokenAt: row.id, reason: '该行没有链哈希' };
    if (row.prev_hash !== prev) return { ok: false, rows, brokenAt: row.id, reason: '与前一行的哈希不衔接（之前的行被删除、插入或修改）' };
    if (auditHash(prev, row) !== row.hash) return { ok: false, rows, brokenAt: row.id, reason: '内容与其哈希不符（该行被修改）' };
    prev = row.hash;
  }
  return { ok: true, rows, head: prev };
}

/** A head seen elsewhere (a backup's newest row): the live trail must still hold that row with that hash. */
export interface AuditAnchor {
  source: string;
  id: number;
  hash: string;
}

/** Null when the trail still holds the anchored row unchanged; otherwise what is wrong, in the auditor's words. */
export function checkAuditAnchor(db: Db, anchor: AuditAnchor): string | null {
  if (anchor.id === 0) return null; // the backup's trail was empty
  const row = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(anchor.id) as { hash: string | null } | undefined;
  if (!row) return `备份 ${anchor.source} 中的第 ${anchor.id} 行在本库中已不存在（最新的审计记录被删除）`;
  if (row.hash !== anchor.hash) return `第 ${anchor.id} 行的哈希与备份 ${anchor.source} 中的不同（审计记录被改写）`;
  return null;
}

/** The head a database file (a backup) saw, read without writing to it; null before the chain existed (010). */
export function auditHeadOfFile(file: string): { id: number; hash: string } | null {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return hasAuditChain(db) ? auditHead(db) : null;
  } finally {
    db.close();
  }
}
