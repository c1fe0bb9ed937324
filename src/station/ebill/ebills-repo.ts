/**
 * The e-bills the station issued (migrations 037, 039): the bill's numbers only, one per HIS booking (busNo), of an
 * outpatient order or of a stay's discharge: a refund by line red-flushes the order's bill and issues one for the rest
 * under its new settle id; an undone discharge settlement red-flushes the stay's.
 */
import type { EBill, RedEBill } from '../../insurance/ebill';
import type { OrderEBillView } from '../../shared/domain';
import { fen, type Fen } from '../../shared/money';
import type { Db } from '../store';

export type EBillState = 'issuing' | 'issued' | 'refused' | 'red-flushed' | 'red-flush-refused';

/** Whose bill: an outpatient order's or a stay's (the outbox's orderId is either). */
export type EBillOwner = { orderId: string } | { stayId: string };

export interface EBillRecord {
  /** The outpatient order's id, or the stay's. */
  orderId: string;
  kind: 'order' | 'stay';
  busNo: string;
  state: EBillState;
  totalFen: Fen;
  billCode: string | null;
  billNo: string | null;
  checkCode: string | null;
  url: string | null;
  issuedAt: string | null;
  /** Issue requests sent under this busNo; IT's re-issue after a refusal is the next. */
  attempts: number;
  reissueAsked: boolean;
  /** Who asked the refund or undo whose red-flush is owed (null: not asked, or before migration 039). */
  redAskedBy: string | null;
  red: { billCode: string | null; billNo: string | null; checkCode: string | null; url: string | null; at: string | null } | null;
}

interface Row {
  order_id: string | null;
  stay_id: string | null;
  red_asked_by: string | null;
  bus_no: string;
  state: EBillState;
  total_fen: number;
  bill_code: string | null;
  bill_no: string | null;
  check_code: string | null;
  url: string | null;
  issued_at: string | null;
  red_code: string | null;
  red_no: string | null;
  red_check_code: string | null;
  red_url: string | null;
  red_at: string | null;
  attempts: number;
  reissue_asked_at: string | null;
}

export class EBillsRepo {
  constructor(private readonly db: Db) {}

  /** Written with the issue's intent, in its transaction. */
  begin(owner: string | EBillOwner, busNo: string, totalFen: Fen, now: Date): void {
    const at = now.toISOString();
    const o = typeof owner === 'string' ? { orderId: owner } : owner;
    this.db
      .prepare(
        `INSERT INTO ebills (order_id, stay_id, bus_no, state, total_fen, created_at, updated_at) VALUES (?, ?, ?, 'issuing', ?, ?, ?)`,
      )
      .run('orderId' in o ? o.orderId : null, 'stayId' in o ? o.stayId : null, busNo, totalFen, at, at);
  }

  /** Who asked the refund or undo: the red bill names them (written before its red-flush is sent). */
  askRedFlush(busNo: string, by: string, now: Date): void {
    this.db.prepare(`UPDATE ebills SET red_asked_by = ?, updated_at = ? WHERE bus_no = ?`).run(by, now.toISOString(), busNo);
  }

  issued(busNo: string, bill: EBill, now: Date): void {
    this.db
      .prepare(
        `UPDATE ebills SET state = 'issued', bill_code = ?, bill_no = ?, check_code = ?, url = ?, issued_at = ?, updated_at = ?
         WHERE bus_no = ?`,
      )
      .run(bill.billCode, bill.billNo, bill.checkCode, bill.url, bill.issuedAt, now.toISOString(), busNo);
  }

  /** IT's re-issue of a refused bill, written with its new intent. */
  reissue(busNo: string, now: Date): void {
    this.db
      .prepare(`UPDATE ebills SET state = 'issuing', attempts = attempts + 1, reissue_asked_at = NULL, updated_at = ? WHERE bus_no = ?`)
      .run(now.toISOString(), busNo);
  }

  /**
   * IT asks for the order's (or the stay's) refused bill to be issued again (the running station sends it); undefined:
   * its latest bill is not refused. `busNo`: only if the refused bill is that one (a stay's current booking).
   */
  askReissue(owner: string | EBillOwner, now: Date, busNo?: string): EBillRecord | undefined {
    const o = typeof owner === 'string' ? { orderId: owner } : owner;
    const bill = 'orderId' in o ? this.latest(o.orderId) : this.ofStay(o.stayId).at(-1);
    if (bill?.state !== 'refused' || (busNo !== undefined && bill.busNo !== busNo)) return undefined;
    this.db
      .prepare(`UPDATE ebills SET reissue_asked_at = ?, updated_at = ? WHERE bus_no = ?`)
      .run(now.toISOString(), now.toISOString(), bill.busNo);
    return bill;
  }

  /** Refused bills IT asked to issue again (through migration 038's partial index of the asks). */
  owingReissue(): string[] {
    const rows = this.db
      .prepare(`SELECT order_id AS id FROM ebills WHERE state = 'refused' AND reissue_asked_at IS NOT NULL AND order_id IS NOT NULL`)
      .all() as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** Stays whose refused bill IT asked to issue again (the same partial index). */
  staysOwingReissue(): string[] {
    const rows = this.db
      .prepare(`SELECT stay_id AS id FROM ebills WHERE state = 'refused' AND reissue_asked_at IS NOT NULL AND stay_id IS NOT NULL`)
      .all() as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Bills not (or no longer) standing as issued: in doubt, refused, or their red-flush refused — newest first. */
  unsettled(limit: number): EBillRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM ebills WHERE state IN ('issuing', 'refused', 'red-flush-refused') ORDER BY created_at DESC LIMIT ?`)
      .all(limit) as Row[];
    return rows.map(recordOf);
  }

  refused(busNo: string, now: Date): void {
    this.db.prepare(`UPDATE ebills SET state = 'refused', updated_at = ? WHERE bus_no = ?`).run(now.toISOString(), busNo);
  }

  redFlushRefused(busNo: string, now: Date): void {
    this.db.prepare(`UPDATE ebills SET state = 'red-flush-refused', updated_at = ? WHERE bus_no = ?`).run(now.toISOString(), busNo);
  }

  /** `red` null: the platform said the bill was already red-flushed, without its red bill. */
  redFlushed(busNo: string, red: RedEBill | null, now: Date): void {
    this.db
      .prepare(
        `UPDATE ebills SET state = 'red-flushed', red_code = ?, red_no = ?, red_check_code = ?, red_url = ?, red_at = ?, updated_at = ?
         WHERE bus_no = ?`,
      )
      .run(
        red?.billCode ?? null,
        red?.billNo ?? null,
        red?.checkCode ?? null,
        red?.url ?? null,
        red?.issuedAt ?? null,
        now.toISOString(),
        busNo,
      );
  }

  byBusNo(busNo: string): EBillRecord | undefined {
    const r = this.db.prepare('SELECT * FROM ebills WHERE bus_no = ?').get(busNo) as Row | undefined;
    return r ? recordOf(r) : undefined;
  }

  /** The order's latest bill: the one its booking now stands on, or the last red-flushed. */
  latest(orderId: string): EBillRecord | undefined {
    const r = this.db.prepare('SELECT * FROM ebills WHERE order_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(orderId) as
      Row | undefined;
    return r ? recordOf(r) : undefined;
  }

  /** The stay's bills, oldest first. */
  ofStay(stayId: string): EBillRecord[] {
    const rows = this.db.prepare('SELECT * FROM ebills WHERE stay_id = ? ORDER BY created_at, rowid').all(stayId) as Row[];
    return rows.map(recordOf);
  }

  /**
   * Stays changed since `since`: the sweep's candidates for a bill owed (booked, none yet) or a red-flush owed (an
   * issued bill whose booking is gone). Bounded by the stays' updated_at (indexed), never every stay ever settled.
   */
  staysChangedSince(since: Date): string[] {
    const rows = this.db
      .prepare(
        `SELECT s.id FROM inpatient_stays s WHERE s.updated_at >= ?
           AND (s.state = 'completed' OR EXISTS (SELECT 1 FROM ebills e WHERE e.stay_id = s.id AND e.state = 'issued'))`,
      )
      .all(since.toISOString()) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Completed orders since `since` whose current HIS booking has no bill yet (a stop between booking and bill). */
  owingIssue(since: Date): string[] {
    const rows = this.db
      .prepare(
        `SELECT o.id FROM outpatient_orders o WHERE o.state = 'completed' AND o.completed_at >= ? AND o.his_settle_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ebills e WHERE e.bus_no = o.his_settle_id)`,
      )
      .all(since.toISOString()) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Orders changed since `since` with an issued bill whose booking is gone (refunded whole, or booked again for the
   * rest): their red-flush is owed. Bounded by the orders' updated_at, so a sweep never walks every bill ever issued.
   * The unary `+` keeps SQLite off the state indexes: by state it read every order ever completed and, for each,
   * every bill ever issued (outpatient/history-indexes.test.ts).
   */
  owingRedFlush(since: Date): string[] {
    const rows = this.db
      .prepare(
        `SELECT o.id FROM outpatient_orders o WHERE o.updated_at >= ? AND +o.state IN ('refunded', 'completed')
           AND EXISTS (SELECT 1 FROM ebills e WHERE e.order_id = o.id AND +e.state = 'issued'
                         AND (o.state = 'refunded' OR o.his_settle_id <> e.bus_no))`,
      )
      .all(since.toISOString()) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** For IT: issued bills whose booking is gone, however old (a red-flush the sweep no longer looks after). */
  staleIssued(limit: number): EBillRecord[] {
    const rows = this.db
      .prepare(
        `SELECT e.* FROM ebills e JOIN outpatient_orders o ON o.id = e.order_id
         WHERE e.state = 'issued' AND (o.state = 'refunded' OR (o.state = 'completed' AND o.his_settle_id <> e.bus_no))
         ORDER BY e.created_at DESC LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map(recordOf);
  }

  /** The order's issued bills whose booking is gone, oldest first. */
  superseded(orderId: string): EBillRecord[] {
    const rows = this.db
      .prepare(
        `SELECT e.* FROM ebills e JOIN outpatient_orders o ON o.id = e.order_id
         WHERE e.order_id = ? AND e.state = 'issued' AND (o.state = 'refunded' OR (o.state = 'completed' AND o.his_settle_id <> e.bus_no))
         ORDER BY e.created_at`,
      )
      .all(orderId) as Row[];
    return rows.map(recordOf);
  }
}

function recordOf(r: Row): EBillRecord {
  const redFlushed = r.state === 'red-flushed';
  return {
    orderId: r.order_id ?? r.stay_id ?? '',
    kind: r.stay_id ? 'stay' : 'order',
    busNo: r.bus_no,
    state: r.state,
    totalFen: fen(r.total_fen),
    billCode: r.bill_code,
    billNo: r.bill_no,
    checkCode: r.check_code,
    url: r.url,
    issuedAt: r.issued_at,
    attempts: r.attempts,
    reissueAsked: r.reissue_asked_at !== null,
    redAskedBy: r.red_asked_by,
    red: redFlushed ? { billCode: r.red_code, billNo: r.red_no, checkCode: r.red_check_code, url: r.red_url, at: r.red_at } : null,
  };
}

/** A bill as the screens and the slip show it. */
export function viewOf(bill: EBillRecord): OrderEBillView {
  const red = bill.red;
  return {
    state: bill.state,
    code: bill.billCode ?? '',
    no: bill.billNo ?? '',
    checkCode: bill.checkCode ?? '',
    url: bill.url ?? '',
    red: red ? { code: red.billCode ?? '', no: red.billNo ?? '', checkCode: red.checkCode ?? '', url: red.url ?? '' } : null,
  };
}
