import type { AuditEntryView } from '../../shared/domain';
import type { Db } from './database';
import { auditHead, auditHash } from './audit-chain';

export type AuditOutcome = AuditEntryView['outcome'];

/** Seals free text (a remote's words can quote a patient) and opens it for the admin's list. */
export interface TextSealer {
  sealText(text: string): string;
  openText(text: string): string;
}

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
    /** The station's data key; without it (the IT command line, whose texts are its own) `remote` is kept clear. */
    private readonly sealer?: TextSealer,
  ) {}

  /**
   * `detail` is the station's own words (a code, an action's summary), kept clear; `remote` is anything a remote
   * or a person typed — an error message, a centre's refusal — appended sealed.
   */
  append(entry: { operatorId: string | null; action: string; outcome: AuditOutcome; detail?: string; remote?: string }, now: Date): void {
    const remote = entry.remote ? (this.sealer ? this.sealer.sealText(entry.remote) : entry.remote) : '';
    const detail = [entry.detail ?? '', remote].filter(Boolean).join(' ');
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
          detail,
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
    const rows = this.db
      .prepare(
        `SELECT id, at, operator_id AS operatorId, action, outcome, detail
         FROM audit_log ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as AuditEntryView[];
    return this.sealer ? rows.map((r) => ({ ...r, detail: this.sealer!.openText(r.detail) })) : rows;
  }
}
