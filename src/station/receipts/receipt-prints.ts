/**
 * Each print of a settlement slip (migration 013): the first is the original, every later one a 补打 (reprint)
 * that says so on the paper. A print is counted when the slip is handed to a printer, before the printer answers:
 * a slip that may have come out half is marked 补打 the next time rather than passing for the original.
 */
import type { Db } from '../store';

export interface ReceiptPrint {
  printNo: number;
  at: string;
}

export class ReceiptPrintsRepo {
  constructor(private readonly db: Db) {}

  /** Counts one more print of the order's slip, numbered in one IMMEDIATE transaction (two windows never share a number). */
  record(orderId: string, operatorId: string, now: Date): ReceiptPrint {
    const at = now.toISOString();
    const printNo = this.db
      .transaction(() => {
        const last = this.db.prepare('SELECT MAX(print_no) AS n FROM receipt_prints WHERE order_id = ?').get(orderId) as {
          n: number | null;
        };
        const next = (last.n ?? 0) + 1;
        this.db
          .prepare('INSERT INTO receipt_prints (order_id, print_no, operator_id, printed_at) VALUES (?, ?, ?, ?)')
          .run(orderId, next, operatorId, at);
        return next;
      })
      .immediate();
    return { printNo, at };
  }

  count(orderId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM receipt_prints WHERE order_id = ?').get(orderId) as { n: number }).n;
  }
}
