/**
 * Readers for HIS's inpatient answers. Fee lines may be negative (a line taken back), so their amounts are read
 * signed; a settlement whose split or payments do not add up is not accepted.
 */
import { z } from 'zod';
import { yuanToFen, type Fen } from '../../shared/money';
import { displayTime, yuan } from './wire';
import type { HisDeposit, HisDepositRefund, HisFeeLine, HisStay, HisWard, HisWardSettlement } from './ward-types';

const signedYuan = z.string().transform((text, ctx): Fen => {
  try {
    return yuanToFen(text);
  } catch {
    ctx.issues.push({ code: 'custom', message: 'not a yuan amount with at most 2 decimals', input: text });
    return z.NEVER;
  }
});

/** '' (not yet) or a display time. */
const maybeTime = z.string().transform((text, ctx): string | null => {
  if (!text) return null;
  const at = displayTime.safeParse(text);
  if (at.success) return at.data;
  ctx.issues.push({ code: 'custom', message: 'not a yyyy-MM-dd HH:mm:ss time', input: text });
  return z.NEVER;
});

const channel = z.enum(['cash', 'card', 'wechat', 'alipay']);

export const WardListAnswer = z
  .object({
    wards: z.array(
      z.object({
        ward_code: z.string().min(1),
        name: z.string(),
        dept_code: z.string(),
        dept_name: z.string(),
        beds: z.number().int().nonnegative(),
        beds_in_use: z.number().int().nonnegative(),
      }),
    ),
  })
  .transform((a): HisWard[] =>
    a.wards.map((w) => ({
      code: w.ward_code,
      name: w.name,
      dept: { code: w.dept_code, name: w.dept_name },
      beds: w.beds,
      bedsInUse: w.beds_in_use,
    })),
  );

const Deposit = z
  .object({
    deposit_no: z.string().min(1),
    pay_channel: channel,
    out_trade_no: z.string(),
    transaction_id: z.string(),
    amount: yuan,
    balance: yuan,
    paid_time: displayTime,
  })
  .transform((d): HisDeposit => ({
    depositNo: d.deposit_no,
    channel: d.pay_channel,
    outTradeNo: d.out_trade_no,
    transactionId: d.transaction_id,
    amountFen: d.amount,
    balanceFen: d.balance,
    paidAt: d.paid_time,
  }));

const Settlement = z
  .object({
    settle_id: z.string().min(1),
    his_settle_no: z.string().min(1),
    ipt_no: z.string().min(1),
    settle_type: z.enum(['midway', 'discharge']),
    state: z.enum(['settled', 'cancelled']),
    upto_line: z.number().int().positive(),
    settle_time: displayTime,
    medfee_sumamt: signedYuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    psn_cash_pay: yuan,
    mdtrt_id: z.string(),
    setl_id: z.string(),
    deposits: z.array(z.object({ deposit_no: z.string().min(1), amount: yuan })),
    payments: z.array(z.object({ pay_channel: channel, out_trade_no: z.string(), transaction_id: z.string(), amount: yuan })),
    // once cancelled: the deposits the payments became (转预交金); absent from a HIS that predates it
    payments_to_deposits: z
      .array(z.object({ deposit_no: z.string().min(1), pay_channel: channel, out_trade_no: z.string(), amount: yuan }))
      .default([]),
    invoice_no: z.string(),
    cancel_id: z.string(),
    cancel_time: maybeTime,
  })
  .transform((s, ctx): HisWardSettlement => {
    const applied = s.deposits.reduce((sum, d) => sum + d.amount, 0) + s.payments.reduce((sum, p) => sum + p.amount, 0);
    if (s.fund_pay_sumamt + s.acct_pay + s.psn_cash_pay !== s.medfee_sumamt || applied !== s.psn_cash_pay) {
      ctx.issues.push({ code: 'custom', message: `settlement ${s.settle_id}: the split or its payments do not add up`, input: s });
      return z.NEVER;
    }
    return {
      settleId: s.settle_id,
      hisSettleNo: s.his_settle_no,
      iptNo: s.ipt_no,
      kind: s.settle_type,
      state: s.state,
      uptoLine: s.upto_line,
      settledAt: s.settle_time,
      medfeeFen: s.medfee_sumamt,
      fundFen: s.fund_pay_sumamt,
      acctFen: s.acct_pay,
      cashFen: s.psn_cash_pay,
      mdtrtId: s.mdtrt_id,
      setlId: s.setl_id,
      deposits: s.deposits.map((d) => ({ depositNo: d.deposit_no, amountFen: d.amount })),
      payments: s.payments.map((p) => ({
        channel: p.pay_channel,
        outTradeNo: p.out_trade_no,
        transactionId: p.transaction_id,
        amountFen: p.amount,
      })),
      paymentDeposits: s.payments_to_deposits.map((d) => ({
        depositNo: d.deposit_no,
        channel: d.pay_channel,
        outTradeNo: d.out_trade_no,
        amountFen: d.amount,
      })),
      invoiceNo: s.invoice_no,
      cancelId: s.cancel_id,
      cancelledAt: s.cancel_time,
    };
  });

const Stay = z
  .object({
    ipt_no: z.string().min(1),
    patient_id: z.string().min(1),
    patient_name: z.string(),
    gender: z.string(),
    birth_date: z.string(),
    psn_no: z.string(),
    ward_code: z.string().min(1),
    ward_name: z.string(),
    bed_no: z.string().min(1),
    dept_code: z.string(),
    dept_name: z.string(),
    doctor_code: z.string(),
    doctor_name: z.string(),
    state: z.enum(['in', 'discharge-ordered', 'settled', 'cancelled']),
    admit_time: displayTime,
    discharge_order_time: maybeTime,
    diagnosis_code: z.string(),
    diagnosis_name: z.string(),
    last_line: z.number().int().nonnegative(),
    unsettled_amount: signedYuan,
    deposit_balance: yuan,
    deposits: z.array(Deposit).optional(),
    settlements: z.array(Settlement).optional(),
  })
  .transform((s, ctx): HisStay => {
    if (s.deposits && s.deposits.reduce((sum, d) => sum + d.balanceFen, 0) !== s.deposit_balance) {
      ctx.issues.push({ code: 'custom', message: `stay ${s.ipt_no}: the deposits' balances do not add up`, input: s });
      return z.NEVER;
    }
    const stay: HisStay = {
      iptNo: s.ipt_no,
      patientId: s.patient_id,
      patientName: s.patient_name,
      gender: s.gender,
      birthDate: s.birth_date,
      psnNo: s.psn_no,
      ward: { code: s.ward_code, name: s.ward_name },
      bedNo: s.bed_no,
      dept: { code: s.dept_code, name: s.dept_name },
      doctor: { code: s.doctor_code, name: s.doctor_name },
      state: s.state,
      admittedAt: s.admit_time,
      dischargeOrderedAt: s.discharge_order_time,
      diagnosis: { code: s.diagnosis_code, name: s.diagnosis_name },
      lastLine: s.last_line,
      unsettledFen: s.unsettled_amount,
      depositBalanceFen: s.deposit_balance,
    };
    if (s.deposits) stay.deposits = s.deposits;
    if (s.settlements) stay.settlements = s.settlements;
    return stay;
  });

export const StayListAnswer = z.object({ stays: z.array(Stay) }).transform((a) => a.stays);
export const StayAnswer = z.object({ stay: Stay }).transform((a) => a.stay);

const FeeLine = z
  .object({
    line_no: z.number().int().positive(),
    fee_day: z.string().regex(/^\d{4}-\d\d-\d\d$/),
    executed_time: displayTime,
    item_type: z.enum(['drug', 'item']),
    hosp_code: z.string().min(1),
    med_list_codg: z.string().min(1),
    name: z.string().min(1),
    spec: z.string(),
    unit: z.string(),
    quantity: z.string().regex(/^-?\d{1,6}(\.\d{1,4})?$/),
    unit_price: yuan,
    amount: signedYuan,
    reverses_line: z.number().int().nonnegative(),
    settle_id: z.string(),
  })
  .transform((l): HisFeeLine => ({
    lineNo: l.line_no,
    day: l.fee_day,
    executedAt: l.executed_time,
    kind: l.item_type,
    hospCode: l.hosp_code,
    nationalCode: l.med_list_codg,
    name: l.name,
    spec: l.spec,
    unit: l.unit,
    quantity: l.quantity,
    unitPriceFen: l.unit_price,
    amountFen: l.amount,
    reversesLine: l.reverses_line || null,
    settleId: l.settle_id || null,
  }));

export const FeePageAnswer = z.object({ lines: z.array(FeeLine), last_line: z.number().int().nonnegative() }).transform((a, ctx) => {
  // A page is in order and within what HIS says exists: a batch uploaded from it is the lines it names.
  for (let i = 1; i < a.lines.length; i++) {
    if (a.lines[i]!.lineNo <= a.lines[i - 1]!.lineNo) {
      ctx.issues.push({ code: 'custom', message: 'fee lines out of order', input: a });
      return z.NEVER;
    }
  }
  if (a.lines.some((l) => l.lineNo > a.last_line)) {
    ctx.issues.push({ code: 'custom', message: 'a fee line beyond last_line', input: a });
    return z.NEVER;
  }
  return { lines: a.lines, lastLine: a.last_line };
});

export const WardSettlementAnswer = z.object({ settlement: Settlement }).transform((a) => a.settlement);

export const DepositRefundAnswer = z
  .object({
    refund: z.object({
      refund_id: z.string().min(1),
      deposit_no: z.string().min(1),
      pay_channel: channel,
      amount: yuan,
      refund_trade_no: z.string(),
      refund_time: displayTime,
    }),
  })
  .transform(({ refund: r }): HisDepositRefund => ({
    refundId: r.refund_id,
    depositNo: r.deposit_no,
    channel: r.pay_channel,
    amountFen: r.amount,
    refundTradeNo: r.refund_trade_no,
    refundedAt: r.refund_time,
  }));
