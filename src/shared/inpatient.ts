/** The nurse's inpatient operations (issue 15): inputs validated at the boundary, and the views the screen shows. */
import { z } from 'zod';
import type { OrderEBillView, PaymentView } from './domain';

const WardCode = z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, '病区编码无效');
const IptNo = z.string().regex(/^[A-Za-z0-9_-]{1,30}$/, '住院号无效');
const StayId = z.string().uuid();

export const WardStaysInput = z.object({ wardCode: WardCode }).strict();
/** 医保入院登记 of a HIS stay for the patient just identified (card, e-voucher, ID card). */
export const AdmitStayInput = z.object({ iptNo: IptNo, identificationId: z.string().uuid() }).strict();
export const StayInput = z.object({ stayId: StayId }).strict();
/** The window finds a stay by HIS's 住院号. */
export const StayByIptNoInput = z.object({ iptNo: IptNo }).strict();
/** A discharge settlement undone at the window: the reason is required and audited. */
export const UndoDischargeSettlementInput = z
  .object({
    stayId: StayId,
    reason: z.string().trim().min(1).max(60),
    /** the discharge too (2405): the patient back in hospital */
    backToWard: z.boolean().optional(),
  })
  .strict();
/** 撤销入院 (2404) from the nurse's screen: the reason is required and audited. */
export const CancelAdmissionInput = z.object({ stayId: StayId, reason: z.string().trim().min(1).max(60) }).strict();
/** 中途结算单 of one of the stay's mid-stay settlements (the centre's setl_id). */
export const MidstayVoucherInput = z.object({ stayId: StayId, setlId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) }).strict();
/** The shortfall paid by the patient's payment code the scan box just read. */
export const ShortfallByCodeInput = z.object({ stayId: StayId, scanId: z.string().uuid() }).strict();
/** The deposit records the nurse ticked for the surplus; absent: the system's suggestion. */
export const RefundSurplusInput = z
  .object({ stayId: StayId, depositNos: z.array(z.string().min(1).max(40)).min(1).max(20).optional() })
  .strict();

export type StayState = 'registering' | 'admitted' | 'cancelled' | 'in-doubt' | 'discharged' | 'settled' | 'completed';
export type DepositChannel = 'cash' | 'card' | 'wechat' | 'alipay';

export interface WardView {
  code: string;
  name: string;
  dept: { code: string; name: string };
  beds: number;
  bedsInUse: number;
}

/** The station's side of a stay (the centre's registration and how far the discharge got), amounts in fen. */
export interface StayView {
  id: string;
  iptNo: string;
  state: StayState;
  bedNo: string;
  admittedAt: string;
  uploadedUptoLine: number;
  uploadProblem: string | null;
  settlement: { setlId: string; medfeeFen: number; fundFen: number; acctFen: number; cashFen: number; uptoLine: number } | null;
  booking: { hisSettleNo: string; invoiceNo: string; deposits: { depositNo: string; amountFen: number }[]; surplusFen: number } | null;
  surplus: {
    to: 'channels' | 'window';
    amountFen: number;
    refunds: {
      depositNo: string;
      channel: 'wechat' | 'alipay' | 'cash';
      amountFen: number;
      state: 'pending' | 'paid-back' | 'recorded' | 'failed';
      detail: string;
    }[];
  } | null;
  /** What the deposits left of the self-pay part (0: none), collected at the bedside; the attempts, a QR's drawn. */
  shortfallFen: number;
  payments: PaymentView[];
  /** 中途结算: the stay's mid-stay settlements, oldest first (the discharge's is `settlement`). */
  midway: MidstaySettlementView[];
  /** The discharge was paid on the patient's phone (医保移动支付): undone, the money goes back there (the window's undo). */
  settledOnPhone?: boolean;
  /** The window's undo of the discharge settlement while under way (撤销进行中) or stopped for a person; else null. */
  undo: StayUndoView | null;
  /** The discharge's fiscal e-bill (AQ-15), where the station issues them: absent or null while it has none. */
  ebill?: OrderEBillView | null;
}

/** A discharge settlement's undo not yet finished: it goes on by itself unless `stopped` says why it waits. */
export interface StayUndoView {
  operatorId: string;
  reason: string;
  backToWard: boolean;
  begunAt: string;
  /** A step the centre refused (2305 / 2405), for a person: the cashier's undo again goes on from there. */
  stopped: string | null;
}

/** One mid-stay settlement (中途结算): the centre's split and HIS's booking once made, in fen. */
export interface MidstaySettlementView {
  setlId: string;
  /** settled: at the centre, HIS's booking still to make (中途结算 again finishes it); booked: both */
  state: 'settled' | 'booked';
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  uptoLine: number;
  booking: { hisSettleNo: string; invoiceNo: string; depositsFen: number } | null;
  createdAt: string;
}

/** One patient in the ward's list: HIS's facts and, once registered at the centre, the station's stay. */
export interface WardPatientView {
  iptNo: string;
  bedNo: string;
  /** in full: the screen masks it as the other lists do */
  patientName: string;
  insured: boolean;
  admittedAt: string;
  daysIn: number;
  hisState: 'in' | 'discharge-ordered' | 'settled' | 'cancelled';
  dischargeOrdered: boolean;
  /** HIS's bill not yet settled, in fen */
  billFen: number;
  depositBalanceFen: number;
  stay: StayView | null;
}

/** A pre-settlement (2303) of the bill to date, in fen. */
export interface StayBillView {
  stayId: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  uptoLine: number;
}

/** The discharge's pre-settlement and what the deposits do about its self-pay part. */
export interface DischargePreviewView extends StayBillView {
  depositBalanceFen: number;
  plan: { applied: { depositNo: string; amountFen: number }[]; surplusFen: number; shortfallFen: number };
}

export interface SurplusSuggestionView {
  surplusFen: number;
  deposits: { depositNo: string; channel: DepositChannel; balanceFen: number; paidAt: string }[];
  plan:
    | { kind: 'nothing' }
    | { kind: 'channels'; refunds: { depositNo: string; channel: 'wechat' | 'alipay'; amountFen: number }[] }
    | { kind: 'window'; amountFen: number; reason: string };
}

/** A surplus the bedside sent to the window (请到窗口办理), waiting for the cashier to pay it out. */
export interface WindowDepositRefundView {
  stayId: string;
  iptNo: string;
  bedNo: string;
  wardCode: string;
  /** in full: the screen masks it */
  patientName: string;
  amountFen: number;
  /** when the nurse sent it to the window */
  since: string;
}
