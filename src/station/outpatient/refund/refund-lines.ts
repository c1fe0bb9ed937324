/**
 * The lines of a partial refund (部分退费, migration 018): which lines of the order it takes back, how HIS names
 * them, and — once the centre has settled the remaining lines again — the order reduced to what remains (its lines
 * and total), in the transaction that records that settlement.
 */
import { fen, type Fen } from '../../../shared/money';
import type { HisLineKey } from '../../../insurance/his';
import type { Db } from '../../store';

export interface RefundLine {
  seq: number;
  amountFen: Fen;
}

export class RefundLinesRepo {
  constructor(private readonly db: Db) {}

  insert(refundId: string, lines: readonly RefundLine[]): void {
    const add = this.db.prepare(`INSERT INTO refund_lines (refund_id, seq, amount_fen) VALUES (?, ?, ?)`);
    for (const l of lines) add.run(refundId, l.seq, l.amountFen);
  }

  lines(refundId: string): RefundLine[] {
    const rows = this.db
      .prepare(`SELECT seq, amount_fen AS amountFen FROM refund_lines WHERE refund_id = ? ORDER BY seq`)
      .all(refundId) as { seq: number; amountFen: number }[];
    return rows.map((r) => ({ seq: r.seq, amountFen: fen(r.amountFen) }));
  }

  /**
   * HIS's names of the order's lines `seqs`: its prescription and line number (rows from before 018 have no line
   * number; HIS numbers a prescription's lines in the order the station stored them).
   */
  hisKeys(orderId: string, seqs: readonly number[]): HisLineKey[] {
    const rows = this.db
      .prepare(`SELECT seq, rx_no AS rxNo, his_line_no AS hisLineNo FROM outpatient_order_lines WHERE order_id = ? ORDER BY seq`)
      .all(orderId) as { seq: number; rxNo: string; hisLineNo: number | null }[];
    return rows
      .filter((r) => seqs.includes(r.seq))
      .map((r) => ({ rxNo: r.rxNo, lineNo: r.hisLineNo ?? rows.filter((o) => o.rxNo === r.rxNo && o.seq <= r.seq).length }));
  }

  /** Whether the refund's lines have left the order. */
  isTakenBack(orderId: string, refundId: string): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM outpatient_order_lines WHERE order_id = ? AND refunded_by = ? LIMIT 1`).get(orderId, refundId) !==
      undefined
    );
  }

  /** The refund's lines leave the order; its total becomes what remains. */
  takeBack(orderId: string, refundId: string, now: Date): void {
    this.db
      .prepare(
        `UPDATE outpatient_order_lines SET refunded_by = ?
         WHERE order_id = ? AND seq IN (SELECT seq FROM refund_lines WHERE refund_id = ?)`,
      )
      .run(refundId, orderId, refundId);
    this.db
      .prepare(
        `UPDATE outpatient_orders SET updated_at = ?, total_fen =
           (SELECT COALESCE(SUM(amount_fen), 0) FROM outpatient_order_lines WHERE order_id = ? AND refunded_by IS NULL)
         WHERE id = ?`,
      )
      .run(now.toISOString(), orderId, orderId);
  }
}
