/**
 * The station's side of its conversation with the insurance centre: today's sign-ins, the msgid sequence and
 * the call journal. The journal row is written before a message leaves, so nothing sent is ever forgotten.
 */
import type { Db } from './database';

export type CallState = 'sending' | 'ok' | 'rejected' | 'unknown';

export class NhsaRepo {
  /** `sealText`: the centre's err_msg and the reason of an unknown outcome can quote a patient; kept sealed. */
  constructor(
    private readonly db: Db,
    private readonly sealText: (text: string) => string = (text) => text,
  ) {}

  signInFor(operatorId: string, day: string): { signNo: string; signTime: string } | undefined {
    return this.db
      .prepare(
        `SELECT sign_no AS signNo, sign_time AS signTime FROM nhsa_sign_ins
         WHERE operator_id = ? AND day = ? AND signed_out_at IS NULL`,
      )
      .get(operatorId, day) as { signNo: string; signTime: string } | undefined;
  }

  saveSignIn(operatorId: string, day: string, signNo: string, signTime: string): void {
    this.db
      .prepare(
        `INSERT INTO nhsa_sign_ins (operator_id, day, sign_no, sign_time) VALUES (?, ?, ?, ?)
         ON CONFLICT(operator_id, day) DO UPDATE SET sign_no = excluded.sign_no, sign_time = excluded.sign_time,
           signed_out_at = NULL`,
      )
      .run(operatorId, day, signNo, signTime);
  }

  /** Sign-ins of days before `day` never signed out (the operator closed the window, the PC slept): for 9002. */
  openSignInsBefore(day: string): { operatorId: string; day: string; signNo: string }[] {
    return this.db
      .prepare(
        `SELECT operator_id AS operatorId, day, sign_no AS signNo FROM nhsa_sign_ins
         WHERE day < ? AND signed_out_at IS NULL ORDER BY day, operator_id`,
      )
      .all(day) as { operatorId: string; day: string; signNo: string }[];
  }

  /** The operator signed out at the centre (9002): the next call signs in again. */
  markSignedOut(operatorId: string, day: string, at: Date): void {
    this.db.prepare('UPDATE nhsa_sign_ins SET signed_out_at = ? WHERE operator_id = ? AND day = ?').run(at.toISOString(), operatorId, day);
  }

  /** Forget a sign-in the centre no longer accepts, so the next call signs in again. */
  dropSignIn(operatorId: string, day: string): void {
    this.db.prepare('DELETE FROM nhsa_sign_ins WHERE operator_id = ? AND day = ?').run(operatorId, day);
  }

  /**
   * Next (second, seq) for a msgid: unique across restarts and across the clock stepping back, because the
   * stored second never decreases. 4 digits per second (or `perSecond`); the next message after those borrows the
   * next second.
   */
  nextMsgidSlot(nowSecond: string, perSecond = 9999): { second: string; seq: number } {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT second, seq FROM msgid_sequence WHERE id = 1').get() as
        { second: string; seq: number } | undefined;
      let slot: { second: string; seq: number };
      if (!last || nowSecond > last.second) slot = { second: nowSecond, seq: 1 };
      else if (last.seq < perSecond) slot = { second: last.second, seq: last.seq + 1 };
      else slot = { second: addOneSecond(last.second), seq: 1 };
      this.db
        .prepare(
          `INSERT INTO msgid_sequence (id, second, seq) VALUES (1, ?, ?)
           ON CONFLICT(id) DO UPDATE SET second = excluded.second, seq = excluded.seq`,
        )
        .run(slot.second, slot.seq);
      return slot;
    })();
  }

  /**
   * After a restore the sequence is the backup's: msgids issued since then would be issued again and the centre
   * refuses a repeated msgid. Moving the sequence to the end of `throughSecond` (at least) makes the next one
   * later than any sent before the restore.
   */
  skipMsgidsThrough(throughSecond: string): void {
    this.db
      .prepare(
        `INSERT INTO msgid_sequence (id, second, seq) VALUES (1, ?, 9999)
         ON CONFLICT(id) DO UPDATE SET second = excluded.second, seq = 9999 WHERE excluded.second >= msgid_sequence.second`,
      )
      .run(throughSecond);
  }

  /**
   * Before a message leaves. The outbox repeats a message with its own msgid (a reversal whose answer was lost
   * is sent again byte for byte): the row goes back to 'sending'. A msgid reused for another infno is a bug.
   */
  journalSend(row: { msgid: string; infno: string; operatorId: string | null; psnNo?: string | null }, now: Date): void {
    const changed = this.db
      .prepare(
        `INSERT INTO nhsa_calls (msgid, infno, operator_id, psn_no, state, created_at) VALUES (?, ?, ?, ?, 'sending', ?)
         ON CONFLICT(msgid) DO UPDATE SET state = 'sending', answered_at = NULL WHERE infno = excluded.infno`,
      )
      .run(row.msgid, row.infno, row.operatorId, row.psnNo ?? null, now.toISOString()).changes;
    if (changed !== 1) throw new Error(`msgid ${row.msgid} was already used for another transaction`);
  }

  journalAnswer(msgid: string, state: Exclude<CallState, 'sending'>, now: Date, infRefmsgid?: string, detail?: string): void {
    this.db
      .prepare('UPDATE nhsa_calls SET state = ?, answered_at = ?, inf_refmsgid = ?, detail = ? WHERE msgid = ?')
      .run(state, now.toISOString(), infRefmsgid ?? null, detail ? this.sealText(detail) : null, msgid);
  }

  callsIn(state: CallState): { msgid: string; infno: string }[] {
    return this.db.prepare('SELECT msgid, infno FROM nhsa_calls WHERE state = ? ORDER BY created_at').all(state) as {
      msgid: string;
      infno: string;
    }[];
  }
}

/** "yyyyMMddHHmmss" + 1 s, as text (only used when a second overflows 9999 messages). */
function addOneSecond(second: string): string {
  const d = new Date(
    Date.UTC(
      Number(second.slice(0, 4)),
      Number(second.slice(4, 6)) - 1,
      Number(second.slice(6, 8)),
      Number(second.slice(8, 10)),
      Number(second.slice(10, 12)),
      Number(second.slice(12, 14)) + 1,
    ),
  );
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
