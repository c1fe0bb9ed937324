/**
 * The station's mobile-payment orders (migration 028) and their bookings. A booking — the bill paid, the bill
 * refunded — is written at most once per order (its primary key), by whichever path learns it first: the call's
 * own answer, the resolver's query, or the centre's callback.
 */
import type { MobileOrderState, MobilePrepareInput } from '../../shared/mobile-pay';
import type { FieldCipher } from '../security';
import type { Db } from '../store';

export type Patient = MobilePrepareInput['patient'] & { idType: string };

export interface MobileOrderRow {
  id: string;
  kind: 'inpatient' | 'outpatient';
  visit_no: string;
  state: MobileOrderState;
  pay_auth_no: string;
  patient_sealed: string;
  medfee_fen: number;
  pay_ord_id: string | null;
  pay_token: string | null;
  mdtrt_id: string | null;
  fund_fen: number | null;
  acct_fen: number | null;
  own_fen: number | null;
  hi_doc_sn: string | null;
  refund_sn: string | null;
  ward_ipt_no: string | null;
  ward_upto_line: number | null;
  his_settle_id: string | null;
  /** An outpatient bill (migration 032): the HIS order it pays and its patient. */
  his_order_no: string | null;
  his_patient_id: string | null;
  /** A refunded outpatient bill (migration 033): HIS's cancel of its booking, and when HIS did it. */
  his_cancel_id: string | null;
  his_cancelled_at: string | null;
  /** The insured person number in clear (migration 036; null on older orders): the finance lists find the patient by it. */
  psn_no: string | null;
  created_at: string;
  updated_at: string;
}

export type OrderChange = Partial<
  Pick<
    MobileOrderRow,
    | 'state'
    | 'pay_ord_id'
    | 'pay_token'
    | 'mdtrt_id'
    | 'fund_fen'
    | 'acct_fen'
    | 'own_fen'
    | 'hi_doc_sn'
    | 'refund_sn'
    | 'his_settle_id'
    | 'his_cancel_id'
    | 'his_cancelled_at'
  >
>;

/** What IT sees of an order: no personal data, so no key is needed to read it. */
export interface MobileOrderSummary {
  id: string;
  kind: string;
  visit_no: string;
  state: string;
  medfee_fen: number;
  pay_ord_id: string | null;
  fund_fen: number | null;
  acct_fen: number | null;
  own_fen: number | null;
  updated_at: string;
  bookings: string | null;
}

/** The newest orders first, with their bookings ("paid:answer,refunded:resolver"). */
export function listMobileOrders(db: Db, limit = 50, id?: string): MobileOrderSummary[] {
  return db
    .prepare<[string | null, string | null, number], MobileOrderSummary>(
      `SELECT o.id, o.kind, o.visit_no, o.state, o.medfee_fen, o.pay_ord_id, o.fund_fen, o.acct_fen, o.own_fen, o.updated_at,
              (SELECT group_concat(b.effect || ':' || b.source, ',') FROM mobile_pay_bookings b WHERE b.order_id = o.id) AS bookings
       FROM mobile_pay_orders o WHERE (? IS NULL OR o.id = ?) ORDER BY o.updated_at DESC LIMIT ?`,
    )
    .all(id ?? null, id ?? null, limit);
}

export class MobileOrdersRepo {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {}

  insert(
    o: {
      id: string;
      kind: MobileOrderRow['kind'];
      visitNo: string;
      payAuthNo: string;
      patient: Patient;
      medfeeFen: number;
      ward?: { iptNo: string; uptoLine: number } | undefined;
      clinic?: { orderNo: string; patientId: string } | undefined;
    },
    at: Date,
  ): void {
    this.db
      .prepare(
        `INSERT INTO mobile_pay_orders (id, kind, visit_no, state, pay_auth_no, patient_sealed, medfee_fen, ward_ipt_no, ward_upto_line,
           his_order_no, his_patient_id, psn_no, created_at, updated_at)
         VALUES (?, ?, ?, 'uploading', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        o.id,
        o.kind,
        o.visitNo,
        o.payAuthNo,
        this.cipher.sealJson(o.patient),
        o.medfeeFen,
        o.ward?.iptNo ?? null,
        o.ward?.uptoLine ?? null,
        o.clinic?.orderNo ?? null,
        o.clinic?.patientId ?? null,
        o.patient.psnNo,
        at.toISOString(),
        at.toISOString(),
      );
  }

  /** Orders from before migration 036 get their person number from the sealed patient (a no-op once done). */
  fillPersonNumbers(): number {
    const rows = this.db
      .prepare<[], { id: string; patient_sealed: string }>('SELECT id, patient_sealed FROM mobile_pay_orders WHERE psn_no IS NULL')
      .all();
    const put = this.db.prepare('UPDATE mobile_pay_orders SET psn_no = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const r of rows) put.run(this.cipher.openJson<Patient>(r.patient_sealed).psnNo, r.id);
    })();
    return rows.length;
  }

  /** The stay's order the phone is paying, has paid or is undoing (not one that failed, was cancelled or refunded). */
  liveForStay(iptNo: string): string | null {
    const row = this.db
      .prepare<[string], { id: string }>(
        `SELECT id FROM mobile_pay_orders
          WHERE kind = 'inpatient' AND ward_ipt_no = ? AND state NOT IN ('upload-failed', 'refunded', 'cancelled')
          ORDER BY created_at DESC LIMIT 1`,
      )
      .get(iptNo);
    return row?.id ?? null;
  }

  /** The stay's order whose pay order is the stay's settlement (paid, booked at HIS, or being refunded): settled on the phone. */
  settledStay(iptNo: string, setlId: string): string | null {
    const row = this.db
      .prepare<[string, string], { id: string }>(
        `SELECT id FROM mobile_pay_orders
          WHERE kind = 'inpatient' AND ward_ipt_no = ? AND pay_ord_id = ? AND state IN ('paid', 'completed', 'refunding')`,
      )
      .get(iptNo, setlId);
    return row?.id ?? null;
  }

  /** Discharges and outpatient bills paid whose HIS booking was never started (no settle id fixed yet). */
  paidNotBooking(): MobileOrderRow[] {
    return this.db
      .prepare<[], MobileOrderRow>(
        `SELECT * FROM mobile_pay_orders
          WHERE state = 'paid' AND (ward_ipt_no IS NOT NULL OR his_order_no IS NOT NULL) AND his_settle_id IS NULL ORDER BY id`,
      )
      .all();
  }

  /** Outpatient bills refunded whose HIS booking is not cancelled yet (退号 left half-done by a stop). */
  refundedNotCancelled(): MobileOrderRow[] {
    return this.db
      .prepare<[], MobileOrderRow>(
        `SELECT * FROM mobile_pay_orders
          WHERE state = 'refunded' AND his_order_no IS NOT NULL AND his_settle_id IS NOT NULL AND his_cancelled_at IS NULL
            AND EXISTS (SELECT 1 FROM mobile_pay_bookings b WHERE b.order_id = mobile_pay_orders.id AND b.effect = 'his-booked')
          ORDER BY id`,
      )
      .all();
  }

  /** The HIS outpatient order's live mobile order (not failed, cancelled or refunded): at most one (migration 032). */
  liveForHisOrder(orderNo: string): MobileOrderRow | undefined {
    return this.db
      .prepare<[string], MobileOrderRow>(
        `SELECT * FROM mobile_pay_orders
          WHERE his_order_no = ? AND state NOT IN ('upload-failed', 'cancelled', 'refunded')`,
      )
      .get(orderNo);
  }

  /** A HIS patient's outpatient bills paid by mobile payment (paid, booked, refunding or refunded), newest first. */
  paidOfPatient(patientId: string, limit: number): MobileOrderRow[] {
    return this.db
      .prepare<[string, number], MobileOrderRow>(
        `SELECT * FROM mobile_pay_orders
          WHERE his_patient_id = ? AND state IN ('paid', 'completed', 'refunding', 'refunded')
          ORDER BY created_at DESC LIMIT ?`,
      )
      .all(patientId, limit);
  }

  /** The orders in one state (a refund left between its steps by a stop is 'refunding'). */
  inState(state: MobileOrderRow['state']): MobileOrderRow[] {
    return this.db.prepare<[string], MobileOrderRow>(`SELECT * FROM mobile_pay_orders WHERE state = ? ORDER BY id`).all(state);
  }

  get(id: string): MobileOrderRow | undefined {
    return this.db.prepare<[string], MobileOrderRow>(`SELECT * FROM mobile_pay_orders WHERE id = ?`).get(id);
  }

  patient(row: MobileOrderRow): Patient {
    return this.cipher.openJson<Patient>(row.patient_sealed);
  }

  update(id: string, change: OrderChange, at: Date): void {
    const sets = Object.keys(change).map((k) => `${k} = @${k}`);
    this.db
      .prepare(`UPDATE mobile_pay_orders SET ${[...sets, 'updated_at = @at'].join(', ')} WHERE id = @id`)
      .run({ ...change, id, at: at.toISOString() });
  }

  /** Writes the booking unless it exists; whether this call wrote it. */
  book(orderId: string, effect: 'paid' | 'his-booked' | 'refunded', source: string, at: Date): boolean {
    const r = this.db
      .prepare(`INSERT OR IGNORE INTO mobile_pay_bookings (order_id, effect, source, at) VALUES (?, ?, ?, ?)`)
      .run(orderId, effect, source, at.toISOString());
    return r.changes === 1;
  }

  bookings(orderId: string): { effect: string; source: string }[] {
    return this.db
      .prepare<[string], { effect: string; source: string }>(
        `SELECT effect, source FROM mobile_pay_bookings WHERE order_id = ? ORDER BY at, effect`,
      )
      .all(orderId);
  }
}
