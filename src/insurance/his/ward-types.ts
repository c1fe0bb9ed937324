/** The station's view of HIS's inpatient objects (住院): integer fen, ISO times, camelCase. */
import type { Fen } from '../../shared/money';

export type HisStayState = 'in' | 'discharge-ordered' | 'settled' | 'cancelled';
export type HisDepositChannel = 'cash' | 'card' | 'wechat' | 'alipay';

export interface HisWard {
  code: string;
  name: string;
  dept: { code: string; name: string };
  beds: number;
  bedsInUse: number;
}

/** A deposit (预交金) and what is left of it after the settlements that applied it and the refunds of it. */
export interface HisDeposit {
  depositNo: string;
  channel: HisDepositChannel;
  outTradeNo: string;
  transactionId: string;
  amountFen: Fen;
  balanceFen: Fen;
  paidAt: string;
}

export interface HisWardSettlement {
  settleId: string;
  hisSettleNo: string;
  iptNo: string;
  kind: 'midway' | 'discharge';
  state: 'settled' | 'cancelled';
  /** The last fee line it covers. */
  uptoLine: number;
  settledAt: string;
  medfeeFen: Fen;
  fundFen: Fen;
  acctFen: Fen;
  cashFen: Fen;
  mdtrtId: string;
  setlId: string;
  /** The deposits applied to the cash part. */
  deposits: { depositNo: string; amountFen: Fen }[];
  /** What paid the rest of the cash part (the shortfall: 补缴). */
  payments: { channel: HisDepositChannel; outTradeNo: string; transactionId: string; amountFen: Fen }[];
  /** Once cancelled: the deposits (转预交金) the payments became, each with its channel and trade number. */
  paymentDeposits: { depositNo: string; channel: HisDepositChannel; outTradeNo: string; amountFen: Fen }[];
  invoiceNo: string;
  cancelId: string;
  cancelledAt: string | null;
}

export interface HisStay {
  iptNo: string;
  patientId: string;
  patientName: string;
  gender: string;
  birthDate: string;
  /** The NHSA person number when the patient is insured and linked; '' otherwise. */
  psnNo: string;
  ward: { code: string; name: string };
  bedNo: string;
  dept: { code: string; name: string };
  doctor: { code: string; name: string };
  state: HisStayState;
  admittedAt: string;
  dischargeOrderedAt: string | null;
  diagnosis: { code: string; name: string };
  /** The newest fee line's number (0: none yet). */
  lastLine: number;
  /** What no settlement covers yet (negative lines taken back are counted). */
  unsettledFen: Fen;
  depositBalanceFen: Fen;
  /** inpatient.get only (the ward's list leaves them out). */
  deposits?: HisDeposit[];
  settlements?: HisWardSettlement[];
}

export interface HisFeeLine {
  lineNo: number;
  /** yyyy-MM-dd, the day it was executed. */
  day: string;
  executedAt: string;
  kind: 'drug' | 'item';
  hospCode: string;
  nationalCode: string;
  name: string;
  spec: string;
  unit: string;
  /** Decimal text; negative for a line taken back. */
  quantity: string;
  unitPriceFen: Fen;
  /** Negative for a line taken back. */
  amountFen: Fen;
  /** The line a negative line takes back. */
  reversesLine: number | null;
  settleId: string | null;
}

export interface HisWardSettle {
  /** The station's id, fixed before the first attempt: HIS books each id once. */
  settleId: string;
  iptNo: string;
  kind: 'midway' | 'discharge';
  uptoLine: number;
  mdtrtId: string;
  setlId: string;
  medfeeFen: Fen;
  fundFen: Fen;
  acctFen: Fen;
  cashFen: Fen;
  deposits: { depositNo: string; amountFen: Fen }[];
  payments: { channel: HisDepositChannel; outTradeNo?: string; transactionId?: string; amountFen: Fen }[];
}

export interface HisDepositRefund {
  refundId: string;
  depositNo: string;
  channel: HisDepositChannel;
  amountFen: Fen;
  refundTradeNo: string;
  refundedAt: string;
}
