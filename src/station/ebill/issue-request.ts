/**
 * The issue request of an outpatient order's bill (or a stay's discharge bill: `stay` set, busType 01), from what the
 * station kept of it: the channels (insurance parts too) add up to the total and each charge group's items to the
 * group, in integer fen — a bill that would not add up is never sent.
 */
import {
  EBILL_BUS_TYPES,
  EBILL_PAY_CHANNELS,
  type EBillChargeGroup,
  type EBillIssueRequest,
  type EBillItem,
  type EBillPayChannel,
  type EBillPayment,
  type EBillVisit,
} from '../../insurance/ebill';
import { chargeLevelName } from '../../shared/charge-level';
import { fen, type Fen } from '../../shared/money';

/** An order as its bill needs it (the outpatient capability reads it from its own rows). */
export interface BillableOrder {
  orderId: string;
  /** HIS's settle id of the booking: the bill's busNo. */
  busNo: string;
  /** When HIS booked it (ISO). */
  busTime: string;
  operatorName: string;
  /** Who asked the latest refund (or undo): its red-flush names them; absent: none asked. */
  refundOperatorName?: string;
  payer: { name: string; idCardNo: string };
  insured: boolean;
  totalFen: Fen;
  split: { fundFen: Fen; accountFen: Fen; cashFen: Fen };
  /** The cash share as paid, by the payment's channel (wechat, alipay, cash, card, mobile: NHSA mobile payment). */
  payments: { channel: string; amountFen: Fen }[];
  lines: {
    medListCodg: string;
    name: string;
    spec: string;
    unit: string;
    quantity: string;
    unitPriceFen: Fen;
    amountFen: Fen;
    /** The centre's code (01 甲 / 02 乙 / 03 丙), '' before 2204 or for self-pay. */
    chargeLevel: string;
  }[];
  visit: { visitNo: string; deptName: string; psnNo: string; insutype: string; setlId: string };
  /** A stay's discharge: admission, discharge and its deposits (the inpatient bill, busType 01). */
  stay?: EBillVisit['stay'];
}

const CHANNEL_OF: Record<string, EBillPayChannel> = {
  wechat: EBILL_PAY_CHANNELS.wechat,
  alipay: EBILL_PAY_CHANNELS.alipay,
  cash: EBILL_PAY_CHANNELS.cash,
  card: EBILL_PAY_CHANNELS.bankCard,
  /** 医保移动支付: the self-pay part a discharge's patient paid on the phone, with the insurance parts, in one 6202. */
  mobile: EBILL_PAY_CHANNELS.mobileInsurance,
};

/**
 * The charge group of a line by its national catalogue code's first letter (西药 X, 中成药 Z, 中药饮片 T, 耗材 C;
 * service items are digits). The platform's own group codes are per province: these are the common ones.
 */
export function chargeGroupOf(medListCodg: string): { code: string; name: string } {
  switch (medListCodg.charAt(0).toUpperCase()) {
    case 'X':
      return { code: '01', name: '西药费' };
    case 'Z':
      return { code: '02', name: '中成药费' };
    case 'T':
      return { code: '03', name: '中草药费' };
    case 'C':
      return { code: '04', name: '卫生材料费' };
    default:
      return { code: '05', name: '医疗服务费' };
  }
}

export function issueRequest(order: BillableOrder, placeCode: string): EBillIssueRequest {
  const items: EBillItem[] = order.lines.map((l) => ({
    groupCode: chargeGroupOf(l.medListCodg).code,
    code: l.medListCodg,
    name: l.name,
    spec: l.spec,
    unit: l.unit,
    quantity: l.quantity,
    unitPriceFen: l.unitPriceFen,
    amountFen: l.amountFen,
    // 丙类 is outside insurance's scope; a self-pay order is the patient's whole.
    selfFen: !order.insured || l.chargeLevel === '03' ? l.amountFen : fen(0),
    chargeLevel: order.insured ? chargeLevelName(l.chargeLevel) : '',
  }));
  const groups = new Map<string, EBillChargeGroup>();
  for (const item of items) {
    const g = groups.get(item.groupCode) ?? { ...chargeGroupOf(item.code), amountFen: fen(0), selfFen: fen(0) };
    groups.set(item.groupCode, { ...g, amountFen: fen(g.amountFen + item.amountFen), selfFen: fen(g.selfFen + item.selfFen) });
  }
  const payments: EBillPayment[] = [
    { channel: EBILL_PAY_CHANNELS.fund, amountFen: order.split.fundFen },
    { channel: EBILL_PAY_CHANNELS.account, amountFen: order.split.accountFen },
    ...order.payments.map((p) => ({ channel: CHANNEL_OF[p.channel] ?? EBILL_PAY_CHANNELS.wechat, amountFen: p.amountFen })),
  ].filter((p) => p.amountFen > 0);
  const sum = (xs: { amountFen: Fen }[]) => xs.reduce((s, x) => s + x.amountFen, 0);
  if (sum(payments) !== order.totalFen || sum(items) !== order.totalFen)
    throw new Error(`e-bill of ${order.orderId} does not add up: total ${order.totalFen}, paid ${sum(payments)}, lines ${sum(items)}`);
  const ownPayFen = fen(items.reduce((s, i) => s + i.selfFen, 0));
  return {
    busNo: order.busNo,
    busType: order.stay ? EBILL_BUS_TYPES.inpatient : EBILL_BUS_TYPES.outpatient,
    busTime: order.busTime,
    placeCode,
    payee: order.operatorName,
    author: order.operatorName,
    payer: { name: order.payer.name, idCardNo: order.payer.idCardNo, tel: '' },
    totalFen: order.totalFen,
    split: {
      fundFen: order.split.fundFen,
      accountFen: order.split.accountFen,
      otherFundFen: fen(0),
      cashFen: order.split.cashFen,
      ownPayFen,
    },
    payments,
    groups: [...groups.values()],
    items,
    visit: {
      visitNo: order.visit.visitNo,
      deptName: order.visit.deptName,
      insuranceId: order.insured ? order.visit.psnNo : '',
      insuranceType: order.insured ? order.visit.insutype : '',
      settlementId: order.insured ? order.visit.setlId : '',
      ...(order.stay ? { stay: order.stay } : {}),
    },
  };
}
