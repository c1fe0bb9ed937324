/**
 * Readers for HIS answers: yuan text becomes fen through the exact conversion, Beijing display times become
 * ISO, and an order whose lines do not add up to its total is not accepted (money the station would upload to
 * the centre and collect from the patient must be consistent before anything moves).
 */
import { z } from 'zod';
import { yuanToFen, type Fen } from '../../shared/money';
import type { HisDayAccount, HisOrder, HisPatient, HisPaymentLine, HisRefundApplication, HisSettlement } from './types';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

export const yuan = z.string().transform((text, ctx): Fen => {
  try {
    const amount = yuanToFen(text);
    if (amount >= 0) return amount;
  } catch {
    // reported below
  }
  ctx.issues.push({ code: 'custom', message: 'not a non-negative yuan amount with at most 2 decimals', input: text });
  return z.NEVER;
});

export const displayTime = z.string().transform((text, ctx) => {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) {
    ctx.issues.push({ code: 'custom', message: 'not a yyyy-MM-dd HH:mm:ss time', input: text });
    return z.NEVER;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS).toISOString();
});

const optionalTime = z.string().transform((text) => text);

export const PatientAnswer = z
  .object({
    patient: z.object({
      patient_id: z.string().min(1),
      name: z.string().min(1),
      gender: z.enum(['1', '2']),
      birth_date: z.string(),
      card_no: z.string().regex(/^HC\d{8,12}$/),
      id_no: z.string(),
      psn_no: z.string(),
      phone: z.string(),
    }),
  })
  .transform(({ patient: p }): HisPatient => {
    const patient: HisPatient = {
      patientId: p.patient_id,
      name: p.name,
      gender: p.gender,
      birthDate: p.birth_date,
      cardNo: p.card_no,
      idNo: p.id_no,
      phone: p.phone,
    };
    if (p.psn_no) patient.psnNo = p.psn_no;
    return patient;
  });

const Line = z.object({
  line_no: z.number().int().positive(),
  item_type: z.enum(['drug', 'item']),
  hosp_code: z.string().min(1),
  med_list_codg: z.string().min(1),
  name: z.string().min(1),
  spec: z.string(),
  unit: z.string(),
  quantity: z.string().regex(/^\d{1,6}(\.\d{1,4})?$/),
  unit_price: yuan,
  amount: yuan,
});

export const OrderFields = z
  .object({
    order_no: z.string().min(1),
    visit_no: z.string().min(1),
    patient_id: z.string().min(1),
    patient_name: z.string(),
    card_no: z.string(),
    dept_code: z.string(),
    dept_name: z.string(),
    doctor_code: z.string(),
    doctor_name: z.string(),
    state: z.enum(['unpaid', 'paid', 'expired', 'refunded']),
    total_amount: yuan,
    created_time: displayTime,
    expire_time: displayTime,
    changed_time: displayTime,
    /** The order carries a registration's fee (挂号); consulted: the doctor has seen the patient (no 退号). */
    registration: z.object({ consulted: z.boolean() }).optional(),
    prescriptions: z.array(z.object({ rx_no: z.string().min(1), rx_type: z.string(), lines: z.array(Line).min(1) })).min(1),
  })
  .transform((o, ctx): HisOrder => {
    const lines = o.prescriptions.flatMap((rx) => rx.lines);
    const sum = lines.reduce((total, line) => total + line.amount, 0);
    if (sum !== o.total_amount) {
      ctx.issues.push({
        code: 'custom',
        message: `order ${o.order_no}: lines add up to ${sum} fen, total says ${o.total_amount}`,
        input: o,
      });
      return z.NEVER;
    }
    return {
      orderNo: o.order_no,
      visitNo: o.visit_no,
      patientId: o.patient_id,
      patientName: o.patient_name,
      cardNo: o.card_no,
      dept: { code: o.dept_code, name: o.dept_name },
      doctor: { code: o.doctor_code, name: o.doctor_name },
      state: o.state,
      totalFen: o.total_amount,
      createdAt: o.created_time,
      expiresAt: o.expire_time,
      changedAt: o.changed_time,
      ...(o.registration ? { registration: o.registration } : {}),
      prescriptions: o.prescriptions.map((rx) => ({
        rxNo: rx.rx_no,
        rxType: rx.rx_type,
        lines: rx.lines.map((l) => ({
          lineNo: l.line_no,
          kind: l.item_type,
          hospCode: l.hosp_code,
          nationalCode: l.med_list_codg,
          name: l.name,
          spec: l.spec,
          unit: l.unit,
          quantity: l.quantity,
          unitPriceFen: l.unit_price,
          amountFen: l.amount,
        })),
      })),
    };
  });

export const OrderListAnswer = z.object({ orders: z.array(OrderFields) }).transform((a) => a.orders);
export const OrderAnswer = z.object({ order: OrderFields }).transform((a) => a.order);
export const OrderChangesAnswer = z.object({ orders: z.array(OrderFields), until: displayTime });

const Payment = z
  .object({ pay_channel: z.enum(['wechat', 'alipay', 'cash', 'card']), out_trade_no: z.string(), transaction_id: z.string(), amount: yuan })
  .transform((p): HisPaymentLine => {
    const line: HisPaymentLine = { channel: p.pay_channel, amountFen: p.amount };
    if (p.out_trade_no) line.outTradeNo = p.out_trade_no;
    if (p.transaction_id) line.transactionId = p.transaction_id;
    return line;
  });

const SettlementFields = z
  .object({
    settle_id: z.string().min(1),
    his_settle_no: z.string().min(1),
    order_no: z.string().min(1),
    settle_type: z.enum(['insured', 'selfpay']),
    state: z.enum(['settled', 'cancelled']),
    settle_time: displayTime,
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    psn_cash_pay: yuan,
    mdtrt_id: z.string(),
    setl_id: z.string(),
    payments: z.array(Payment),
    invoice_no: z.string(),
    pickup_window: z.string(),
    cancel_id: z.string(),
    cancel_time: optionalTime,
  })
  .transform((s, ctx): HisSettlement => {
    if (s.fund_pay_sumamt + s.acct_pay + s.psn_cash_pay !== s.medfee_sumamt) {
      ctx.issues.push({ code: 'custom', message: 'the split does not add up to the total', input: s });
      return z.NEVER;
    }
    const settlement: HisSettlement = {
      settleId: s.settle_id,
      hisSettleNo: s.his_settle_no,
      orderNo: s.order_no,
      type: s.settle_type,
      state: s.state,
      settledAt: s.settle_time,
      medfeeFen: s.medfee_sumamt,
      fundFen: s.fund_pay_sumamt,
      acctFen: s.acct_pay,
      cashFen: s.psn_cash_pay,
      mdtrtId: s.mdtrt_id,
      setlId: s.setl_id,
      payments: s.payments,
      invoiceNo: s.invoice_no,
      pickupWindow: s.pickup_window,
    };
    if (s.cancel_id) settlement.cancelId = s.cancel_id;
    if (s.cancel_time) {
      const at = displayTime.safeParse(s.cancel_time);
      if (!at.success) {
        ctx.issues.push({ code: 'custom', message: 'bad cancel_time', input: s.cancel_time });
        return z.NEVER;
      }
      settlement.cancelledAt = at.data;
    }
    return settlement;
  });

export const SettlementAnswer = z.object({ settlement: SettlementFields }).transform((a) => a.settlement);
export const SettlementDetailsAnswer = z
  .object({ settlement: SettlementFields, order: OrderFields })
  .transform((a) => ({ settlement: a.settlement, order: a.order }));

/** A refund application (退费申请) as HIS keeps it. */
export const RefundApplicationAnswer = z
  .object({
    refund: z.object({
      refund_id: z.string().min(1),
      settle_id: z.string().min(1),
      state: z.enum(['approved', 'withdrawn', 'done']),
      apply_time: displayTime,
      lines: z
        .array(z.object({ rx_no: z.string().min(1), line_no: z.number().int().positive() }))
        .max(200)
        .default([]),
    }),
  })
  .transform(({ refund: r }): HisRefundApplication => ({
    refundId: r.refund_id,
    settleId: r.settle_id,
    state: r.state,
    appliedAt: r.apply_time,
    lines: r.lines.map((l) => ({ rxNo: l.rx_no, lineNo: l.line_no })),
  }));

/** HIS's own account of a day (日对账): its bookings that Beijing day, standing or cancelled since. */
export const DayAccountAnswer = z
  .object({
    day: z.string().regex(/^\d{4}-\d\d-\d\d$/),
    count: z.number().int().min(0),
    bookings: z.array(
      z.object({
        settle_id: z.string().min(1),
        his_settle_no: z.string(),
        order_no: z.string(),
        kind: z.enum(['insured', 'selfpay']),
        setl_id: z.string(),
        medfee_sumamt: yuan,
        psn_cash_pay: yuan,
        state: z.enum(['settled', 'cancelled']),
        settle_time: displayTime,
      }),
    ),
  })
  .refine((a) => a.count === a.bookings.length, 'count does not match the bookings listed')
  .transform((a): HisDayAccount => ({
    day: a.day,
    bookings: a.bookings.map((b) => ({
      settleId: b.settle_id,
      hisSettleNo: b.his_settle_no,
      orderNo: b.order_no,
      kind: b.kind,
      setlId: b.setl_id,
      medfeeFen: b.medfee_sumamt,
      cashFen: b.psn_cash_pay,
      state: b.state,
      settledAt: b.settle_time,
    })),
  }));
