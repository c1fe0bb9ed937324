/**
 * The station's inpatient stays: one row per HIS stay (住院号) the station registered at the centre. Read and
 * written by the inpatient service and by the movements' final states (the mdtrt_id with the 2401, the upload
 * position with each 2301 batch), in the outbox's transactions.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../store';
import type { FieldCipher } from '../security';
import { StaySettlementsRepo } from './stay-settlements-repo';
import { StayUndosRepo } from './stay-undos-repo';

/**
 * registering → admitted (2401) → discharged (2402) → settled (2304 at the centre) → completed (HIS booked it);
 * cancelled: not (or no longer) admitted at the centre; in-doubt: a step's answer was lost and is being resolved.
 */
export const STAY_STATES = ['registering', 'admitted', 'cancelled', 'in-doubt', 'discharged', 'settled', 'completed'] as const;
export type StayState = (typeof STAY_STATES)[number];

const Cert = z.object({ type: z.enum(['01', '02', '03']), no: z.string().min(1) });
export type StayCert = z.infer<typeof Cert>;

export interface StayRecord {
  id: string;
  iptNo: string;
  hisPatientId: string;
  psnNo: string;
  insuredRegion: string;
  insutype: string;
  cert: StayCert;
  ward: { code: string; bedNo: string };
  dept: { code: string; name: string };
  doctor: { code: string; name: string };
  diagnosis: { code: string; name: string };
  /** yyyy-MM-dd HH:mm:ss (Beijing), the admission time sent as begntime. */
  admittedAt: string;
  state: StayState;
  mdtrtId: string | null;
  /** HIS's line number of the last fee line the centre holds (0: none). */
  uploadedUptoLine: number;
  /** Why the uploader stopped on this stay (a refused batch); null while it goes on. */
  uploadProblem: string | null;
  /** The centre's discharge settlement (2304), once made. */
  settlement: StaySettlement | null;
  /** What HIS booked of it: the deposits applied and what is left of them to refund. */
  booking: StayBooking | null;
  /** Where the surplus goes back: each deposit's refund and how far it got, or the window. */
  surplus: StaySurplus | null;
  /** What the deposits left of the settlement's self-pay part, collected at the bedside (0: nothing). */
  shortfallFen: number;
  operatorId: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  ipt_no: string;
  his_patient_id: string;
  psn_no: string;
  insured_region: string;
  insutype: string;
  cert_sealed: string;
  ward_code: string;
  bed_no: string;
  dept_code: string;
  dept_name: string;
  doctor_code: string;
  doctor_name: string;
  diag_code: string;
  diag_name: string;
  admitted_at: string;
  state: StayState;
  mdtrt_id: string | null;
  uploaded_upto_line: number;
  upload_problem: string | null;
  settlement_sealed: string | null;
  booking_sealed: string | null;
  surplus_sealed: string | null;
  shortfall_fen: number;
  operator_id: string;
  created_at: string;
  updated_at: string;
}

/** The split of a discharge settlement, in fen, with the centre's id for it. */
export interface StaySettlement {
  setlId: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  /** HIS's line number of the last line it covers. */
  uptoLine: number;
}

export interface StayBooking {
  hisSettleNo: string;
  invoiceNo: string;
  deposits: { depositNo: string; amountFen: number }[];
  /** Deposits left over after the cash part: refunded to their channels or at the window. */
  surplusFen: number;
}

export type DepositRefundState = 'pending' | 'paid-back' | 'recorded' | 'failed';

export interface StaySurplus {
  /**
   * channels: refunded at the bedside to the records below; window: the patient goes to the window for it, where the
   * cashier pays it out in cash (the records below, channel cash, once paid out).
   */
  to: 'channels' | 'window';
  amountFen: number;
  refunds: {
    refundId: string;
    depositNo: string;
    channel: 'wechat' | 'alipay' | 'cash';
    outTradeNo: string;
    depositFen: number;
    amountFen: number;
    outRefundNo: string;
    state: DepositRefundState;
    refundTradeNo: string;
    detail: string;
  }[];
}

export type NewStay = Omit<
  StayRecord,
  | 'id'
  | 'state'
  | 'mdtrtId'
  | 'uploadedUptoLine'
  | 'uploadProblem'
  | 'settlement'
  | 'booking'
  | 'surplus'
  | 'shortfallFen'
  | 'createdAt'
  | 'updatedAt'
>;
export type StayChange = Partial<
  Pick<StayRecord, 'state' | 'mdtrtId' | 'uploadedUptoLine' | 'uploadProblem' | 'settlement' | 'booking' | 'surplus' | 'shortfallFen'> & {
    /** Where the stay is and why, as the centre now holds it (2403). */
    place: Pick<StayRecord, 'ward' | 'dept' | 'doctor' | 'diagnosis'>;
  }
>;

export class StaysRepo {
  /** The stay's mid-stay settlements (中途结算), in the same file and under the same key. */
  readonly midway: StaySettlementsRepo;
  /** Its discharge settlement's undo under way from the window, if any (stay-undos-repo.ts). */
  readonly undos: StayUndosRepo;

  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
  ) {
    this.midway = new StaySettlementsRepo(db, cipher);
    this.undos = new StayUndosRepo(db);
  }

  /** `id`: fixed by the caller when the row is written in a movement's intent transaction (the 2401's). */
  insert(stay: NewStay, at: Date, id: string = randomUUID()): StayRecord {
    const now = at.toISOString();
    this.db
      .prepare(
        `INSERT INTO inpatient_stays (id, ipt_no, his_patient_id, psn_no, insured_region, insutype, cert_sealed, ward_code, bed_no,
           dept_code, dept_name, doctor_code, doctor_name, diag_code, diag_name, admitted_at, state, operator_id, created_at, updated_at)
         VALUES (@id, @ipt_no, @his_patient_id, @psn_no, @insured_region, @insutype, @cert_sealed, @ward_code, @bed_no,
           @dept_code, @dept_name, @doctor_code, @doctor_name, @diag_code, @diag_name, @admitted_at, 'registering', @operator_id, @now, @now)`,
      )
      .run({
        id,
        ipt_no: stay.iptNo,
        his_patient_id: stay.hisPatientId,
        psn_no: stay.psnNo,
        insured_region: stay.insuredRegion,
        insutype: stay.insutype,
        cert_sealed: this.cipher.sealJson(stay.cert),
        ward_code: stay.ward.code,
        bed_no: stay.ward.bedNo,
        dept_code: stay.dept.code,
        dept_name: stay.dept.name,
        doctor_code: stay.doctor.code,
        doctor_name: stay.doctor.name,
        diag_code: stay.diagnosis.code,
        diag_name: stay.diagnosis.name,
        admitted_at: stay.admittedAt,
        operator_id: stay.operatorId,
        now,
      });
    return this.get(id)!;
  }

  get(id: string): StayRecord | undefined {
    const row = this.db.prepare<[string], Row>(`SELECT * FROM inpatient_stays WHERE id = ?`).get(id);
    return row && this.record(row);
  }

  /** The stay's 住院号 alone: read without the data key (it is not sealed), for IT's lists. */
  static iptNoOf(db: Db, id: string): string | undefined {
    return db.prepare<[string], { ipt_no: string }>(`SELECT ipt_no FROM inpatient_stays WHERE id = ?`).get(id)?.ipt_no;
  }

  byIptNo(iptNo: string): StayRecord | undefined {
    const row = this.db.prepare<[string], Row>(`SELECT * FROM inpatient_stays WHERE ipt_no = ?`).get(iptNo);
    return row && this.record(row);
  }

  inStates(states: readonly StayState[]): StayRecord[] {
    return this.db
      .prepare<[], Row>(`SELECT * FROM inpatient_stays WHERE state IN (${states.map((s) => `'${s}'`).join(',')}) ORDER BY created_at, id`)
      .all()
      .map((r) => this.record(r));
  }

  update(id: string, change: StayChange, at: Date): void {
    const sets: string[] = [];
    const values: Record<string, unknown> = { id, at: at.toISOString() };
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = @${column}`);
      values[column] = value;
    };
    if (change.state !== undefined) set('state', change.state);
    if (change.mdtrtId !== undefined) set('mdtrt_id', change.mdtrtId);
    if (change.uploadedUptoLine !== undefined) set('uploaded_upto_line', change.uploadedUptoLine);
    if (change.uploadProblem !== undefined) set('upload_problem', change.uploadProblem);
    if (change.settlement !== undefined) {
      set('settle_id', change.settlement?.setlId ?? null);
      set('settlement_sealed', change.settlement && this.cipher.sealJson(change.settlement));
    }
    if (change.booking !== undefined) set('booking_sealed', change.booking && this.cipher.sealJson(change.booking));
    if (change.surplus !== undefined) set('surplus_sealed', change.surplus && this.cipher.sealJson(change.surplus));
    if (change.shortfallFen !== undefined) set('shortfall_fen', change.shortfallFen);
    if (change.place !== undefined) {
      const { ward, dept, doctor, diagnosis } = change.place;
      set('ward_code', ward.code);
      set('bed_no', ward.bedNo);
      set('dept_code', dept.code);
      set('dept_name', dept.name);
      set('doctor_code', doctor.code);
      set('doctor_name', doctor.name);
      set('diag_code', diagnosis.code);
      set('diag_name', diagnosis.name);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE inpatient_stays SET ${sets.join(', ')}, updated_at = @at WHERE id = @id`).run(values);
  }

  private record(r: Row): StayRecord {
    return {
      id: r.id,
      iptNo: r.ipt_no,
      hisPatientId: r.his_patient_id,
      psnNo: r.psn_no,
      insuredRegion: r.insured_region,
      insutype: r.insutype,
      cert: Cert.parse(this.cipher.openJson(r.cert_sealed)),
      ward: { code: r.ward_code, bedNo: r.bed_no },
      dept: { code: r.dept_code, name: r.dept_name },
      doctor: { code: r.doctor_code, name: r.doctor_name },
      diagnosis: { code: r.diag_code, name: r.diag_name },
      admittedAt: r.admitted_at,
      state: r.state,
      mdtrtId: r.mdtrt_id,
      uploadedUptoLine: r.uploaded_upto_line,
      uploadProblem: r.upload_problem,
      settlement: r.settlement_sealed ? this.cipher.openJson<StaySettlement>(r.settlement_sealed) : null,
      booking: r.booking_sealed ? this.cipher.openJson<StayBooking>(r.booking_sealed) : null,
      surplus: r.surplus_sealed ? this.cipher.openJson<StaySurplus>(r.surplus_sealed) : null,
      shortfallFen: r.shortfall_fen,
      operatorId: r.operator_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

/** One deposit refund of a stay's surplus moved on (in the transaction that records its movement final). */
export function withRefund(
  surplus: StaySurplus,
  refundId: string,
  change: Partial<Pick<StaySurplus['refunds'][number], 'state' | 'refundTradeNo' | 'detail'>>,
): StaySurplus {
  return { ...surplus, refunds: surplus.refunds.map((r) => (r.refundId === refundId ? { ...r, ...change } : r)) };
}
