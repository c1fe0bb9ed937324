/**
 * Patient messages by template (HX-27 payment result with drug and settlement details; HM-13 awaiting
 * settlement; HM-14 settled). Builders turn the station's data into the short texts a phone shows: names
 * masked, amounts in yuan from integer fen, Beijing times. No ID number, diagnosis or phone number ever goes
 * into a message — it is read on a lock screen.
 */
import { fenToYuan, type Fen } from '../../shared/money';
import { infTime } from '../nhsa/beijing-time';
import type { Payment } from '../pay-channel/types';
import type { PaymentWallet } from '../pay-channel/payment-code';

export const TEMPLATE_NAMES = ['PAYMENT_RESULT', 'DRUG_PICKUP', 'SETTLEMENT_DETAILS', 'AWAITING_SETTLEMENT', 'SETTLED'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface PatientMessage {
  /** The station's id for this message, fixed before the first attempt: the gateway sends each id once. */
  msgId: string;
  wallet: PaymentWallet;
  /** The payer id (WeChat openid / Alipay buyer id) from the payment. */
  toUser: string;
  template: TemplateName;
  data: Record<string, string>;
  /** The details page the message opens (payment, drugs). */
  url?: string;
}

interface Recipient {
  msgId: string;
  wallet: PaymentWallet;
  toUser: string;
  url?: string;
}

/** 陈建国 → 陈*国, 刘芳 → 刘*, 欧阳小明 → 欧**明 (characters, not UTF-16 units: 𠮷 is one). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

const yuan = (amount: Fen) => `${fenToYuan(amount)}元`;
const minute = (at: Date) => infTime(at).slice(0, 16);
const WALLET_NAMES: Record<PaymentWallet, string> = { wechat: '微信支付', alipay: '支付宝' };

function message(to: Recipient, template: TemplateName, data: Record<string, string>): PatientMessage {
  return { msgId: to.msgId, wallet: to.wallet, toUser: to.toUser, template, data, ...(to.url ? { url: to.url } : {}) };
}

/** HX-27: the payment went through. Addressed to whoever paid. */
export function paymentResultMessage(m: {
  msgId: string;
  payment: Payment;
  patientName: string;
  orderNo: string;
  hospital: string;
  url?: string;
}): PatientMessage {
  return message(
    { msgId: m.msgId, wallet: m.payment.wallet, toUser: m.payment.payerId, ...(m.url ? { url: m.url } : {}) },
    'PAYMENT_RESULT',
    {
      patient: maskName(m.patientName),
      amount: yuan(m.payment.totalFee),
      pay_channel: WALLET_NAMES[m.payment.wallet],
      order_no: m.orderNo,
      paid_time: minute(new Date(m.payment.paidAt)),
      hospital: m.hospital,
    },
  );
}

/** HX-27: where to collect the drugs. Long lists are cut to what a keyword can show. */
export function drugPickupMessage(
  to: Recipient,
  m: { patientName: string; window: string; drugs: string[]; orderNo: string },
): PatientMessage {
  const listed = m.drugs.join('、');
  const drugs = [...listed].length <= 40 ? listed : `${[...listed].slice(0, 36).join('')}等${m.drugs.length}种`;
  return message(to, 'DRUG_PICKUP', { patient: maskName(m.patientName), window: m.window, drugs, order_no: m.orderNo });
}

/** HX-27: the insurance split of the settlement. */
export function settlementDetailsMessage(
  to: Recipient,
  m: { patientName: string; medfeeFen: Fen; fundFen: Fen; acctFen: Fen; cashFen: Fen; settledAt: Date; orderNo: string },
): PatientMessage {
  if (m.fundFen + m.acctFen + m.cashFen !== m.medfeeFen) throw new RangeError(`order ${m.orderNo}: the split does not add up`);
  return message(to, 'SETTLEMENT_DETAILS', {
    patient: maskName(m.patientName),
    total: yuan(m.medfeeFen),
    fund: yuan(m.fundFen),
    account: yuan(m.acctFen),
    cash: yuan(m.cashFen),
    settle_time: minute(m.settledAt),
    order_no: m.orderNo,
  });
}

/** HM-13: a settlement is waiting for the patient (an amount due by a deadline). */
export function awaitingSettlementMessage(
  to: Recipient,
  m: { patientName: string; amountDueFen: Fen; deadline: Date; orderNo: string },
): PatientMessage {
  return message(to, 'AWAITING_SETTLEMENT', {
    patient: maskName(m.patientName),
    amount_due: yuan(m.amountDueFen),
    deadline: minute(m.deadline),
    order_no: m.orderNo,
  });
}

/** HM-14: the (inpatient) settlement is done. */
export function settledMessage(
  to: Recipient,
  m: { patientName: string; totalFen: Fen; fundFen: Fen; cashFen: Fen; settledAt: Date },
): PatientMessage {
  return message(to, 'SETTLED', {
    patient: maskName(m.patientName),
    total: yuan(m.totalFen),
    fund: yuan(m.fundFen),
    cash: yuan(m.cashFen),
    settle_time: minute(m.settledAt),
  });
}
