/**
 * The hospital's fiscal e-bill (财政电子票据) as the station uses it, through the vendor gateway inside the hospital
 * (Bosssoft 医疗电子票据管理平台: `shared/domain/e-invoice.md`). Money is fen here; the client writes yuan strings on
 * the wire. The station's key for a bill is `busNo`, fixed before the first call: a lost answer is looked up by it
 * (`byBusNo`) before anything is sent again, so one settlement never gets two bills.
 */
import type { Fen } from '../../shared/money';

/** Bill types by `busType` (the platform's code table). */
export const EBILL_BUS_TYPES = {
  inpatient: '01',
  outpatient: '02',
  emergency: '03',
  deposit: '07',
} as const;
export type EBillBusType = (typeof EBILL_BUS_TYPES)[keyof typeof EBILL_BUS_TYPES];

/**
 * How the money of a bill was paid (`payChannelDetail`). The insurance parts count as channels too, so that the
 * channels always add up to the bill's total: `YBTCJJ` the pooled fund, `YBK` the personal account.
 */
export const EBILL_PAY_CHANNELS = {
  fund: 'YBTCJJ',
  account: 'YBK',
  otherFund: 'YBQTJJ',
  cash: 'XJ',
  wechat: 'WX',
  alipay: 'ZFB',
  bankCard: 'YHK',
  mobileInsurance: 'YBYDZF',
} as const;
export type EBillPayChannel = (typeof EBILL_PAY_CHANNELS)[keyof typeof EBILL_PAY_CHANNELS];

export interface EBillPayment {
  channel: EBillPayChannel;
  amountFen: Fen;
}

/** A charge group of the bill (`chargeDetail`): e.g. 西药费, 检查费. Its lines' amounts add up to `amountFen`. */
export interface EBillChargeGroup {
  code: string;
  name: string;
  amountFen: Fen;
  /** Of which the patient pays themselves (自费). */
  selfFen: Fen;
}

/** One item of the bill (`listDetail`), under the charge group `groupCode`. */
export interface EBillItem {
  groupCode: string;
  code: string;
  name: string;
  spec: string;
  unit: string;
  /** Decimal quantity as HIS writes it, e.g. "2" or "0.5". */
  quantity: string;
  unitPriceFen: Fen;
  amountFen: Fen;
  selfFen: Fen;
  /** 甲类 / 乙类 / 丙类 as the centre classified it; '' when unknown (self-pay). */
  chargeLevel: string;
}

/** The visit, as the bill prints it. */
export interface EBillVisit {
  /** 门诊号 / 住院号 (HIS's order or stay number). */
  visitNo: string;
  deptName: string;
  /** The insured person's number at the centre (psn_no); '' for a self-pay patient. */
  insuranceId: string;
  /** The centre's insurance type (insutype), '' for self-pay. */
  insuranceType: string;
  /** The centre's settlement id (setl_id), '' for self-pay. */
  settlementId: string;
  /** Inpatient only: admission and discharge (ISO) and the deposits the discharge applied, refunded or collected. */
  stay?: { admittedAt: string; dischargedAt: string; depositFen: Fen; collectedFen: Fen; refundedFen: Fen };
}

/** What the patient paid, by source (the bill's fund split). */
export interface EBillSplit {
  fundFen: Fen;
  accountFen: Fen;
  otherFundFen: Fen;
  /** Paid by the patient in money (cash, WeChat, Alipay, card, mobile insurance wallet). */
  cashFen: Fen;
  /** Outside insurance's scope (全自费). */
  ownPayFen: Fen;
}

export interface EBillIssueRequest {
  /** The station's key of the bill, fixed before the first call (the HIS settlement id). */
  busNo: string;
  busType: EBillBusType;
  /** When the settlement happened (ISO); the wire form is yyyyMMddHHmmssSSS in Beijing time. */
  busTime: string;
  /** The billing point (开票点) of this window or kiosk. */
  placeCode: string;
  /** The operator who settled it (收费员) and who issues (开票人). */
  payee: string;
  author: string;
  payer: { name: string; idCardNo: string; tel: string };
  totalFen: Fen;
  split: EBillSplit;
  payments: EBillPayment[];
  groups: EBillChargeGroup[];
  items: EBillItem[];
  visit: EBillVisit;
}

/** An issued bill: what the receipt and the notice slip (告知单) print, and what a red-flush names. */
export interface EBill {
  busNo: string;
  /** 票据代码 */
  billCode: string;
  /** 票据号码 */
  billNo: string;
  /** 校验码 */
  checkCode: string;
  /** When the platform issued it (ISO). */
  issuedAt: string;
  totalFen: Fen;
  /** The patient's page of the bill (H5), printed as a QR on the notice slip. */
  url: string;
}

/** The red bill (红票) that cancels a bill. */
export interface RedEBill {
  billCode: string;
  billNo: string;
  checkCode: string;
  issuedAt: string;
  url: string;
}

export interface EBillWriteOffRequest {
  billCode: string;
  billNo: string;
  reason: string;
  operator: string;
  /** When the refund or cancel happened (ISO). */
  busTime: string;
  placeCode: string;
}

/** The platform's view of a bill. */
export interface EBillStatus {
  state: 'normal' | 'void';
  /** Red-flushed (冲红). */
  redFlushed: boolean;
  /** Reimbursed (已报销入账) by an insurer or employer: it may no longer be red-flushed nor its money refunded. */
  reimbursed: boolean;
}

/** One day's totals of a billing point, for the daily check against the station's own bills. */
export interface EBillDayTotals {
  day: string;
  issuedCount: number;
  issuedFen: Fen;
  redCount: number;
  /** The red bills' amounts, as a positive number. */
  redFen: Fen;
}

/** Codes of the platform's refusals the station acts on; any other refusal keeps the platform's own code. */
export const EBILL_REFUSALS = {
  /** A second red-flush of the same bill: "已冲销，不能冲销开票" — the first one happened. */
  alreadyRedFlushed: 'already-red-flushed',
  /** The bill may not be red-flushed: it was reimbursed. */
  reimbursed: 'reimbursed',
  /** No bill for this busNo. */
  notFound: 'not-found',
} as const;

/** The three outcomes of a call, as for the other remotes: a verified success, a verified refusal, or no verified answer. */
export type EBillOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'unknown'; reason: 'timeout' | 'network' | 'http-status' | 'unparsable' | 'bad-signature' | 'schema'; detail: string };

/** The e-bill gateway as the station calls it. */
export interface EBillPort {
  /** Issues the outpatient (busType 02) or inpatient (01) bill of a settlement. */
  issue(request: EBillIssueRequest): Promise<EBillOutcome<EBill>>;
  /** The bill issued for `busNo`, if any (`getEBillByBusNo`): how a lost issue is settled. Safe to repeat. */
  byBusNo(busNo: string, busTime: string): Promise<EBillOutcome<EBill | null>>;
  /** Red-flushes a whole bill (`writeOffEBill`). A second one is refused with `already-red-flushed`. */
  redFlush(request: EBillWriteOffRequest): Promise<EBillOutcome<RedEBill>>;
  /** The bill's state, red-flush and reimbursement (`getEBillStatesByBillInfo` + the reimbursement status). */
  status(billCode: string, billNo: string): Promise<EBillOutcome<EBillStatus>>;
  /** The day's totals of a billing point (`checkTotalData`), `day` as yyyy-MM-dd in Beijing time. */
  dayTotals(placeCode: string, day: string): Promise<EBillOutcome<EBillDayTotals>>;
}
