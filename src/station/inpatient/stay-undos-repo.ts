/**
 * Discharge settlement undos under way (AQ-17 / HM-07), one row per stay: who asked, why, whether back to the ward.
 * Written before the first step is sent; the steps' final states (movements/settlement-cancel.ts) stop it with the
 * centre's refusal or remove it once the last step is done, in their own transactions.
 */
import { z } from 'zod';
import { Role, type OperatorView } from '../../shared/domain';
import type { Db } from '../store';

export interface StayUndo {
  stayId: string;
  operator: OperatorView;
  reason: string;
  backToWard: boolean;
  begunAt: string;
  /** Why it waits for a person (a step the centre refused); null while it goes on by itself. */
  stopped: string | null;
  stoppedAt: string | null;
}

const Row = z.object({
  stay_id: z.string(),
  operator_id: z.string(),
  operator_name: z.string(),
  operator_role: Role,
  reason: z.string(),
  back_to_ward: z.union([z.literal(0), z.literal(1)]),
  begun_at: z.string(),
  stopped: z.string().nullable(),
  stopped_at: z.string().nullable(),
});

const undoOf = (r: z.infer<typeof Row>): StayUndo => ({
  stayId: r.stay_id,
  operator: { id: r.operator_id, name: r.operator_name, role: r.operator_role },
  reason: r.reason,
  backToWard: r.back_to_ward === 1,
  begunAt: r.begun_at,
  stopped: r.stopped,
  stoppedAt: r.stopped_at,
});

export class StayUndosRepo {
  constructor(private readonly db: Db) {}

  /** The undo asked (again, after a stop: a person's retry starts it afresh with their reason). */
  begin(stayId: string, u: { operator: OperatorView; reason: string; backToWard: boolean }, at: Date): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO stay_undos (stay_id, operator_id, operator_name, operator_role, reason, back_to_ward, begun_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(stayId, u.operator.id, u.operator.name, u.operator.role, u.reason, u.backToWard ? 1 : 0, at.toISOString());
  }

  get(stayId: string): StayUndo | undefined {
    const row: unknown = this.db.prepare(`SELECT * FROM stay_undos WHERE stay_id = ?`).get(stayId);
    return row === undefined ? undefined : undoOf(Row.parse(row));
  }

  /** Every undo not finished, stopped ones first (they wait for a person), then oldest first. */
  all(): StayUndo[] {
    return this.db
      .prepare(`SELECT * FROM stay_undos ORDER BY stopped IS NULL, begun_at, stay_id`)
      .all()
      .map((r) => undoOf(Row.parse(r)));
  }

  /** Those that go on by themselves (not stopped for a person), oldest first. */
  goingOn(): StayUndo[] {
    return this.db
      .prepare(`SELECT * FROM stay_undos WHERE stopped IS NULL ORDER BY begun_at, stay_id`)
      .all()
      .map((r) => undoOf(Row.parse(r)));
  }

  /** A step refused: kept for a person with the reason, never tried again by itself. */
  stop(stayId: string, why: string, at: Date): void {
    this.db.prepare(`UPDATE stay_undos SET stopped = ?, stopped_at = ? WHERE stay_id = ?`).run(why.slice(0, 300), at.toISOString(), stayId);
  }

  /** Done (or nothing was undone): the record goes. */
  finish(stayId: string): void {
    this.db.prepare(`DELETE FROM stay_undos WHERE stay_id = ?`).run(stayId);
  }
}
