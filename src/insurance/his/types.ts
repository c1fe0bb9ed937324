/** The station's view of HIS objects: integer fen, ISO times, camelCase. */
import type { Fen } from '../../shared/money';

export interface HisPatient {
  patientId: string;
  name: string;
  gender: '1' | '2';
  birthDate: string;
  /** Hospital card number: HC + 8–12 digits. */
  cardNo: string;
  idNo: string;
  /** The NHSA person number when the patient is insured and linked. */
  psnNo?: string;
  phone: string;
}

export type HisOrderState = 'unpaid' | 'paid' | 'expired' | 'refunded';

export interface HisOrderLine {
  lineNo: number;
  kind: 'drug' | 'item';
  hospCode: string;
  /** National catalogue code (med_list_codg): what 2204 uploads. */
  nationalCode: string;
  name: string;
  spec: string;
  unit: string;
  /** Decimal text as HIS sends it ("2", "0.5"); never a float. */
  quantity: string;
  unitPriceFen: Fen;
  amountFen: Fen;
}

export interface HisPrescription {
  rxNo: string;
  rxType: string;
  lines: HisOrderLine[];
}

export interface HisOrder {
  orderNo: string;
  visitNo: string;
  patientId: string;
  patientName: string;
  cardNo: string;
  dept: { code: string; name: string };
  doctor: { code: string; name: string };
  state: HisOrderState;
  totalFen: Fen;
  createdAt: string;
  expiresAt: string;
  changedAt: string;
  /** The order carries a registration's fee (挂号); consulted: the doctor has seen the patient, so no 退号. */
  registration?: { consulted: boolean };
  prescriptions: HisPrescription[];
}

export interface HisPaymentLine {
  channel: 'wechat' | 'alipay' | 'cash' | 'card';
  outTradeNo?: string;
  transactionId?: string;
  amountFen: Fen;
}

/** HX-18: the insurance settlement (2207) and what paid the cash part. */
export interface InsuredSettleConfirm {
  /** The station's settlement id, fixed before the first attempt: HIS books each id once. */
  settleId: string;
  orderNo: string;
  mdtrtId: string;
  setlId: string;
  medfeeFen: Fen;
  fundFen: Fen;
  acctFen: Fen;
  cashFen: Fen;
  payments: HisPaymentLine[];
}

/** HX-20: no insurance; the payments cover the whole order. */
export interface SelfPaySettle {
  settleId: string;
  orderNo: string;
  payments: HisPaymentLine[];
}

export interface HisSettlement {
  settleId: string;
  hisSettleNo: string;
  orderNo: string;
  type: 'insured' | 'selfpay';
  state: 'settled' | 'cancelled';
  settledAt: string;
  medfeeFen: Fen;
  fundFen: Fen;
  acctFen: Fen;
  cashFen: Fen;
  mdtrtId: string;
  setlId: string;
  payments: HisPaymentLine[];
  invoiceNo: string;
  /** Where the patient collects the drugs; empty when the order has none. */
  pickupWindow: string;
  cancelId?: string;
  cancelledAt?: string;
}

/** A refund application (退费申请): approved by HIS, withdrawn when the centre refused, done once the booking is cancelled. */
export interface HisRefundApplication {
  refundId: string;
  settleId: string;
  state: 'approved' | 'withdrawn' | 'done';
  appliedAt: string;
  /** The lines of a partial refund (部分退费); empty for the whole bill. */
  lines: HisLineKey[];
}

/** One line of a HIS order, as HIS names it. */
export interface HisLineKey {
  rxNo: string;
  lineNo: number;
}

/**
 * A partial refund confirmed: HIS cancels the old booking and books the lines that remain under `settleId` with
 * the centre's new settlement (empty ids and no fund for a self-pay bill) and what the payments keep.
 */
export interface PartialRefundConfirm extends Omit<InsuredSettleConfirm, 'orderNo'> {
  refundId: string;
}

/** HIS's own account of a day: each booking it made that day (amounts in fen), standing or cancelled since. */
export interface HisDayAccount {
  day: string;
  bookings: {
    settleId: string;
    hisSettleNo: string;
    orderNo: string;
    kind: 'insured' | 'selfpay';
    setlId: string;
    medfeeFen: Fen;
    cashFen: Fen;
    state: 'settled' | 'cancelled';
    settledAt: string;
  }[];
}
