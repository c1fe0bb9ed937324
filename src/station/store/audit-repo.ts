import type { AuditEntryView } from '../../shared/domain';
import type { Db } from './database';

export type AuditOutcome = AuditEntryView['outcome'];

/** Append-only trail of who did what at this station, denied and failed attempts included (AQ-N2). */
export class AuditRepo {
  constructor(
    private readonly db: Db,
    private readonly stationId: string,
  ) {}

  append(entry: { operatorId: string | null; action: string; outcome: AuditOutcome; detail?: string }, now: Date): void {
    this.db
      .prepare('INSERT INTO audit_log (at, station_id, operator_id, action, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(now.toISOString(), this.stationId, entry.operatorId, entry.action, entry.outcome, entry.detail ?? '');
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
