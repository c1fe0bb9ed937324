import type { AuditEntryView } from '../../shared/domain';
import type { Db } from './database';
import { auditHead, auditHash } from './audit-chain';

export type AuditOutcome = AuditEntryView['outcome'];

/**
 * Append-only trail of who did what at this station, denied and failed attempts included (AQ-N2). Each row is
 * linked to the one before by its SM3 hash (audit-chain.ts); the triggers of migration 010 refuse updates and
 * deletes. The head is read and the row written in one IMMEDIATE transaction, so two processes (the station and
 * the IT command line) cannot both link to the same row.
 */
export class AuditRepo {
  constructor(
    private readonly db: Db,
    private readonly stationId: string,
  ) {}

  append(entry: { operatorId: string | null; action: string; outcome: AuditOutcome; detail?: string }, now: Date): void {
    this.db
      .transaction(() => {
        const head = auditHead(this.db);
        const seq = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get() as { seq: number } | undefined;
        const row = {
          id: Math.max(head.id, seq?.seq ?? 0) + 1,
          at: now.toISOString(),
          station_id: this.stationId,
          operator_id: entry.operatorId,
          action: entry.action,
          outcome: entry.outcome,
          detail: entry.detail ?? '',
        };
        this.db
          .prepare(
            'INSERT INTO audit_log (id, at, station_id, operator_id, action, outcome, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(row.id, row.at, row.station_id, row.operator_id, row.action, row.outcome, row.detail, head.hash, auditHash(head.hash, row));
      })
      .immediate();
  }

  list(limit: number): AuditEntryView[] {
    return this.db
      .prepare(
        `SELECT id, at, operator_id AS operatorId, action, outcome, detail
         FROM audit_log ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as AuditEntryView[];
  }
}
