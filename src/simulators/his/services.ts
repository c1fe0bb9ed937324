/**
 * The HIS's services, apart from HTTP. Orders expire lazily by the simulator's clock (an unpaid order past its
 * expiry is 'expired' whenever it is looked at). Settlements are idempotent by the station's settle_id: the
 * same request answers the recorded settlement, the same id with other content is refused.
 */
import { z } from 'zod';
import { beijing } from '../nhsa/clock';
import { BookSkew, dayAccount } from './day-account';
import type { HisLedger, LineKey, LineRow, OrderRow, PaymentEntry, RefundApplicationRow, SettlementRow } from './ledger';
import type { WardLedger } from './ward-ledger';

export type ServiceAnswer = { ok: true; biz: unknown } | { ok: false; code: string; msg: string };

const YUAN_RE = /^(\d{1,12})(?:\.(\d{1,2}))?$/;
/** The wire's yuan text (what every money field of the gateway carries), and its exact fen. */
export const yuan = z.string().regex(YUAN_RE, 'yuan with at most 2 decimals');
export const toFen = (text: string) => {
  const m = YUAN_RE.exec(text)!;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
};
export const fenToYuanText = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

const Payment = z.object({
  pay_channel: z.enum(['wechat', 'alipay', 'cash', 'card']),
  out_trade_no: z.string().max(64).default(''),
  transaction_id: z.string().max(64).default(''),
  amount: yuan,
});

export const ServiceSchemas = {
  'patient.get': z
    .object({ patient_id: z.string().optional(), card_no: z.string().optional(), id_no: z.string().optional() })
    .refine((q) => [q.patient_id, q.card_no, q.id_no].filter(Boolean).length === 1, 'exactly one of patient_id, card_no, id_no'),
  'order.unsettled': z.object({ patient_id: z.string().min(1) }),
  'order.get': z.object({ order_no: z.string().min(1) }),
  'order.changes': z.object({ since: z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) }),
  'settle.confirm': z.object({
    settle_id: z.string().min(1).max(64),
    order_no: z.string().min(1),
    mdtrt_id: z.string().min(1),
    setl_id: z.string().min(1),
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    psn_cash_pay: yuan,
    payments: z.array(Payment).max(10),
  }),
  'settle.selfpay': z.object({
    settle_id: z.string().min(1).max(64),
    order_no: z.string().min(1),
    payments: z.array(Payment).min(1).max(10),
  }),
  'settle.get': z
    .object({ settle_id: z.string().optional(), order_no: z.string().optional() })
    .refine((q) => Boolean(q.settle_id) !== Boolean(q.order_no), 'exactly one of settle_id, order_no'),
  'settle.cancel': z.object({
    cancel_id: z.string().min(1).max(64),
    settle_id: z.string().min(1),
    reason: z.string().max(200).default(''),
  }),
  // A refund of a booked settlement (退费申请): HIS approves it unless the drugs have left the pharmacy.
  // With lines, a partial refund (部分退费): only those lines go back; none means the whole bill.
  'refund.apply': z.object({
    refund_id: z.string().min(1).max(64),
    settle_id: z.string().min(1),
    reason: z.string().max(200).default(''),
    lines: z
      .array(z.object({ rx_no: z.string().min(1), line_no: z.number().int().positive() }))
      .max(200)
      .default([]),
  }),
  // A partial refund confirmed: the old booking cancelled, the lines that remain booked under a new settle_id with
  // the centre's new settlement (2208 then 2204 + 2207 of the remaining lines) and the payments less what went back.
  'refund.confirm': z.object({
    refund_id: z.string().min(1).max(64),
    settle_id: z.string().min(1).max(64),
    mdtrt_id: z.string().max(64).default(''),
    setl_id: z.string().max(64).default(''),
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    psn_cash_pay: yuan,
    payments: z.array(Payment).max(10),
  }),
  // The application taken back (the centre refused the refund): the bill stays as it was.
  'refund.cancel': z.object({ refund_id: z.string().min(1).max(64) }),
  // HIS's own account of a day (日对账): its bookings of that Beijing day (day-account.ts).
  'account.day': z.object({ day: z.string().regex(/^\d{4}-\d\d-\d\d$/) }),
} as const;
export type ServiceName = keyof typeof ServiceSchemas;
export const SERVICE_NAMES = Object.keys(ServiceSchemas) as ServiceName[];

const fail = (code: string, msg: string): ServiceAnswer => ({ ok: false, code, msg });
const ok = (biz: unknown): ServiceAnswer => ({ ok: true, biz });

export class HisServices {
  /** What the day's account misreports on purpose (control.disagree). */
  readonly skew = new BookSkew();

  constructor(
    private readonly ledger: HisLedger,
    private readonly now: () => Date,
    /** The ward's books (住院子系统): their bookings are in the day's account too. */
    private readonly ward: WardLedger,
  ) {}

  handle(service: ServiceName, input: unknown): ServiceAnswer {
    const parsed = ServiceSchemas[service].safeParse(input);
    if (!parsed.success) {
      const where = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || i.message))].join(', ');
      return fail('PARAM_ERROR', `参数错误: ${where}`);
    }
    const q = parsed.data as Record<string, unknown>;
    this.expireDue();
    switch (service) {
      case 'patient.get':
        return this.patient(q as z.infer<(typeof ServiceSchemas)['patient.get']>);
      case 'order.unsettled':
        return ok({ orders: this.ledger.orders({ patientId: String(q.patient_id), state: 'unpaid' }).map((o) => this.orderJson(o)) });
      case 'order.get': {
        const order = this.ledger.order(String(q.order_no));
        return order ? ok({ order: this.orderJson(order) }) : fail('ORDER_NOT_FOUND', '订单不存在');
      }
      case 'order.changes': {
        const since = parseDisplay(String(q.since));
        return ok({
          orders: this.ledger.orders({ changedSince: since }).map((o) => this.orderJson(o)),
          until: beijing(this.now()).display,
        });
      }
      case 'settle.confirm':
        return this.settle('insured', q as z.infer<(typeof ServiceSchemas)['settle.confirm']>);
      case 'settle.selfpay': {
        const r = q as z.infer<(typeof ServiceSchemas)['settle.selfpay']>;
        return this.settle('selfpay', {
          ...r,
          mdtrt_id: '',
          setl_id: '',
          medfee_sumamt: '',
          fund_pay_sumamt: '0',
          acct_pay: '0',
          psn_cash_pay: '',
        });
      }
      case 'settle.get':
        return this.settlementDetails(q as z.infer<(typeof ServiceSchemas)['settle.get']>);
      case 'settle.cancel':
        return this.cancel(q as z.infer<(typeof ServiceSchemas)['settle.cancel']>);
      case 'refund.apply':
        return this.applyRefund(q as z.infer<(typeof ServiceSchemas)['refund.apply']>);
      case 'refund.confirm':
        return this.confirmPartialRefund(q as z.infer<(typeof ServiceSchemas)['refund.confirm']>);
      case 'refund.cancel':
        return this.withdrawRefund(String(q.refund_id));
      case 'account.day':
        return ok(dayAccount(this.ledger, this.ward, String(q.day), this.skew));
    }
  }

  /** Unpaid orders past their expiry become expired (at their expiry time). */
  expireDue(): void {
    const now = this.now().getTime();
    for (const order of this.ledger.orders({ state: 'unpaid' })) {
      if (now >= order.expire_at) this.ledger.setOrderState(order.order_no, 'expired', order.expire_at, null);
    }
  }

  private patient(q: { patient_id?: string | undefined; card_no?: string | undefined; id_no?: string | undefined }): ServiceAnswer {
    const row = q.patient_id
      ? this.ledger.patientBy('patient_id', q.patient_id)
      : q.card_no
        ? this.ledger.patientBy('card_no', q.card_no)
        : this.ledger.patientBy('id_no', (q.id_no ?? '').toUpperCase());
    if (!row) return fail('PATIENT_NOT_FOUND', '患者不存在');
    return ok({ patient: { ...row, psn_no: row.psn_no ?? '' } });
  }

  private settle(
    kind: 'insured' | 'selfpay',
    r: {
      settle_id: string;
      order_no: string;
      mdtrt_id: string;
      setl_id: string;
      medfee_sumamt: string;
      fund_pay_sumamt: string;
      acct_pay: string;
      psn_cash_pay: string;
      payments: z.infer<typeof Payment>[];
    },
  ): ServiceAnswer {
    const print = JSON.stringify([kind, r]);
    const existing = this.ledger.settlement(r.settle_id);
    if (existing) {
      if (existing.fingerprint !== print) return fail('SETTLE_ID_CONFLICT', '结算流水号已用于另一笔结算');
      return ok({ settlement: this.settlementJson(existing) });
    }
    const order = this.ledger.order(r.order_no);
    if (!order) return fail('ORDER_NOT_FOUND', '订单不存在');
    if (order.state === 'expired') return fail('ORDER_EXPIRED', '订单已过期，请重新开具');
    if (order.state === 'paid') return fail('ORDER_ALREADY_SETTLED', '订单已由另一笔结算收费');
    if (order.state === 'refunded') return fail('ORDER_REFUNDED', '订单已退费');
    const paid = r.payments.reduce((sum, p) => sum + toFen(p.amount), 0);
    const medfee = kind === 'selfpay' ? order.total_fen : toFen(r.medfee_sumamt);
    const fund = toFen(r.fund_pay_sumamt);
    const acct = toFen(r.acct_pay);
    const cash = kind === 'selfpay' ? order.total_fen : toFen(r.psn_cash_pay);
    if (medfee !== order.total_fen) return fail('AMOUNT_MISMATCH', `医疗费总额与订单金额 ${fenToYuanText(order.total_fen)} 不符`);
    if (fund + acct + cash !== medfee) return fail('AMOUNT_MISMATCH', '基金、个人账户与现金之和不等于医疗费总额');
    if (paid !== cash) return fail('PAYMENT_MISMATCH', `支付合计 ${fenToYuanText(paid)} 不等于现金部分 ${fenToYuanText(cash)}`);
    const now = this.now().getTime();
    const day = beijing(this.now()).day;
    const hasDrugs = this.ledger.prescriptions(order.order_no).some(({ lines }) => lines.some((l) => l.item_type === 'drug'));
    const row: SettlementRow = {
      settle_id: r.settle_id,
      order_no: order.order_no,
      kind,
      fingerprint: print,
      his_settle_no: `JS${day}${String(this.ledger.nextSerial('settlement')).padStart(6, '0')}`,
      state: 'settled',
      medfee_fen: medfee,
      fund_fen: fund,
      acct_fen: acct,
      cash_fen: cash,
      mdtrt_id: r.mdtrt_id,
      setl_id: r.setl_id,
      payments: JSON.stringify(
        r.payments.map((p): PaymentEntry => ({
          pay_channel: p.pay_channel,
          out_trade_no: p.out_trade_no,
          transaction_id: p.transaction_id,
          amount_fen: toFen(p.amount),
        })),
      ),
      invoice_no: `FP${day}${String(this.ledger.nextSerial('invoice')).padStart(8, '0')}`,
      pickup_window: hasDrugs ? `门诊西药房 ${1 + (this.ledger.nextSerial('window') % 4)} 号窗口` : '',
      settled_at: now,
      cancel_id: null,
      cancelled_at: null,
    };
    this.ledger.insertSettlement(row);
    this.ledger.setOrderState(order.order_no, 'paid', now, r.settle_id);
    return ok({ settlement: this.settlementJson(row) });
  }

  private settlementDetails(q: { settle_id?: string | undefined; order_no?: string | undefined }): ServiceAnswer {
    const row = q.settle_id ? this.ledger.settlement(q.settle_id) : this.ledger.settlementOfOrder(q.order_no ?? '');
    if (!row) return fail('SETTLE_NOT_FOUND', '结算记录不存在');
    return ok({ settlement: this.settlementJson(row), order: this.orderJson(this.ledger.order(row.order_no)!) });
  }

  private cancel(q: { cancel_id: string; settle_id: string; reason: string }): ServiceAnswer {
    const row = this.ledger.settlement(q.settle_id);
    if (!row) return fail('SETTLE_NOT_FOUND', '结算记录不存在');
    if (row.state === 'cancelled') {
      if (row.cancel_id !== q.cancel_id) return fail('SETTLE_ALREADY_CANCELLED', '该结算已由另一笔退费撤销');
      return ok({ settlement: this.settlementJson(row) });
    }
    const now = this.now().getTime();
    const application = this.ledger.approvedRefundOf(q.settle_id);
    if (application && this.ledger.refundLines(application.refund_id).length > 0)
      return fail('REFUND_IS_PARTIAL', '该结算的退费申请为部分退费，请用 refund.confirm 确认');
    if (application) this.ledger.setRefundApplicationState(application.refund_id, 'done', now);
    this.ledger.cancelSettlement(q.settle_id, q.cancel_id, now);
    this.ledger.setOrderState(row.order_no, 'refunded', now, q.settle_id);
    return ok({ settlement: this.settlementJson(this.ledger.settlement(q.settle_id)!) });
  }

  /**
   * Idempotent by refund_id: a repeat answers the application as it stands. Refused: a settlement not booked or
   * already cancelled, drugs already dispensed (退药 first), another refund of it under way. With lines (部分退费):
   * each must be a line of the booking not refunded yet and not dispensed (LINE_DISPENSED), and some must remain.
   */
  private applyRefund(q: z.infer<(typeof ServiceSchemas)['refund.apply']>): ServiceAnswer {
    const existing = this.ledger.refundApplication(q.refund_id);
    if (existing) {
      if (existing.settle_id !== q.settle_id) return fail('REFUND_ID_CONFLICT', '退费申请号已用于另一笔结算');
      return ok({ refund: refundJson(existing, this.ledger.refundLines(existing.refund_id)) });
    }
    const row = this.ledger.settlement(q.settle_id);
    if (!row) return fail('SETTLE_NOT_FOUND', '结算记录不存在');
    if (row.state === 'cancelled') return fail('SETTLE_ALREADY_CANCELLED', '该结算已退费');
    if (this.ledger.approvedRefundOf(q.settle_id)) return fail('REFUND_IN_PROGRESS', '该结算已有退费申请在办理');
    if (this.ledger.registration(row.order_no)?.consulted_at) return fail('REGISTRATION_CONSULTED', '医生已接诊，不能退号');
    const remaining = this.remainingLines(row.order_no);
    const dispensed = (l: LineRow) => this.ledger.isLineDispensed(l) || (l.item_type === 'drug' && this.ledger.isDispensed(row.order_no));
    if (q.lines.length === 0) {
      if (this.ledger.isDispensed(row.order_no) || remaining.some(dispensed))
        return fail('DRUG_DISPENSED', '药品已发放，请先到药房办理退药');
    } else {
      const asked = q.lines.map((k) => remaining.find((l) => l.rx_no === k.rx_no && l.line_no === k.line_no));
      if (asked.some((l) => !l) || new Set(q.lines.map((k) => `${k.rx_no}/${k.line_no}`)).size !== q.lines.length)
        return fail('LINE_NOT_FOUND', '退费项目不属于该结算或已退费');
      const out = (asked as LineRow[]).filter(dispensed);
      if (out.length > 0) return fail('LINE_DISPENSED', `已发药：${out.map((l) => l.name).join('、')}，请先到药房办理退药`);
      if (asked.length === remaining.length) return fail('REFUND_ALL_LINES', '所选为全部项目，请整单退费');
    }
    const now = this.now().getTime();
    const application: RefundApplicationRow = {
      refund_id: q.refund_id,
      settle_id: q.settle_id,
      reason: q.reason,
      state: 'approved',
      applied_at: now,
      changed_at: now,
    };
    this.ledger.insertRefundApplication(application);
    this.ledger.insertRefundLines(q.refund_id, q.lines);
    return ok({ refund: refundJson(application, q.lines) });
  }

  /**
   * A partial refund confirmed (idempotent by refund_id and the new settle_id): the old booking is cancelled under
   * the refund's id, the application done, the remaining lines booked with the centre's new split and the payments
   * as they stand after the partial channel refund. The order's total becomes what remains.
   */
  private confirmPartialRefund(q: z.infer<(typeof ServiceSchemas)['refund.confirm']>): ServiceAnswer {
    const application = this.ledger.refundApplication(q.refund_id);
    if (!application) return fail('REFUND_NOT_FOUND', '退费申请不存在');
    const lines = this.ledger.refundLines(q.refund_id);
    if (lines.length === 0) return fail('REFUND_NOT_PARTIAL', '该退费申请为整单退费，请用 settle.cancel 确认');
    if (application.state === 'done') {
      const booked = this.ledger.resettlementOf(q.refund_id);
      if (booked !== q.settle_id) return fail('SETTLE_ID_CONFLICT', '该退费已由另一笔结算确认');
      return ok({ settlement: this.settlementJson(this.ledger.settlement(booked)!) });
    }
    if (application.state === 'withdrawn') return fail('REFUND_WITHDRAWN', '退费申请已撤回');
    if (this.ledger.settlement(q.settle_id)) return fail('SETTLE_ID_CONFLICT', '结算流水号已用于另一笔结算');
    const old = this.ledger.settlement(application.settle_id)!;
    const isRefunded = (l: LineRow) => lines.some((k) => k.rx_no === l.rx_no && k.line_no === l.line_no);
    const medfee = this.remainingLines(old.order_no)
      .filter((l) => !isRefunded(l))
      .reduce((sum, l) => sum + l.amount_fen, 0);
    const [fund, acct, cash] = [q.fund_pay_sumamt, q.acct_pay, q.psn_cash_pay].map(toFen) as [number, number, number];
    const paid = q.payments.reduce((sum, p) => sum + toFen(p.amount), 0);
    if (toFen(q.medfee_sumamt) !== medfee) return fail('AMOUNT_MISMATCH', `医疗费总额与剩余项目金额 ${fenToYuanText(medfee)} 不符`);
    if (fund + acct + cash !== medfee) return fail('AMOUNT_MISMATCH', '基金、个人账户与现金之和不等于医疗费总额');
    if (paid !== cash) return fail('PAYMENT_MISMATCH', `支付合计 ${fenToYuanText(paid)} 不等于现金部分 ${fenToYuanText(cash)}`);
    const now = this.now().getTime();
    const day = beijing(this.now()).day;
    const row: SettlementRow = {
      ...old,
      settle_id: q.settle_id,
      fingerprint: JSON.stringify(['resettle', q]),
      his_settle_no: `JS${day}${String(this.ledger.nextSerial('settlement')).padStart(6, '0')}`,
      state: 'settled',
      medfee_fen: medfee,
      fund_fen: fund,
      acct_fen: acct,
      cash_fen: cash,
      mdtrt_id: q.mdtrt_id,
      setl_id: q.setl_id,
      payments: JSON.stringify(
        q.payments.map((p): PaymentEntry => ({
          pay_channel: p.pay_channel,
          out_trade_no: p.out_trade_no,
          transaction_id: p.transaction_id,
          amount_fen: toFen(p.amount),
        })),
      ),
      invoice_no: `FP${day}${String(this.ledger.nextSerial('invoice')).padStart(8, '0')}`,
      settled_at: now,
      cancel_id: null,
      cancelled_at: null,
    };
    this.ledger.cancelSettlement(old.settle_id, q.refund_id, now);
    this.ledger.setRefundApplicationState(q.refund_id, 'done', now);
    this.ledger.insertSettlement(row);
    this.ledger.insertResettlement(q.refund_id, q.settle_id);
    this.ledger.setOrderTotal(old.order_no, medfee, now);
    this.ledger.setOrderState(old.order_no, 'paid', now, q.settle_id);
    return ok({ settlement: this.settlementJson(row) });
  }

  /** The order's lines less those a finished partial refund took back. */
  private remainingLines(orderNo: string): LineRow[] {
    const refunded = this.ledger.refundedLines(orderNo);
    return this.ledger
      .prescriptions(orderNo)
      .flatMap(({ lines }) => lines)
      .filter((l) => !refunded.some((k) => k.rx_no === l.rx_no && k.line_no === l.line_no));
  }

  /** Withdrawn, or nothing to withdraw (the application never arrived); one already done cannot be. */
  private withdrawRefund(refundId: string): ServiceAnswer {
    const existing = this.ledger.refundApplication(refundId);
    if (!existing) return fail('REFUND_NOT_FOUND', '退费申请不存在');
    if (existing.state === 'done') return fail('REFUND_DONE', '退费已完成，不能撤回申请');
    if (existing.state === 'approved') this.ledger.setRefundApplicationState(refundId, 'withdrawn', this.now().getTime());
    return ok({ refund: refundJson(this.ledger.refundApplication(refundId)!, this.ledger.refundLines(refundId)) });
  }

  orderJson(order: OrderRow): unknown {
    const patient = this.ledger.patientBy('patient_id', order.patient_id)!;
    const time = (ms: number) => beijing(new Date(ms)).display;
    const registration = this.ledger.registration(order.order_no);
    return {
      order_no: order.order_no,
      visit_no: order.visit_no,
      patient_id: order.patient_id,
      patient_name: patient.name,
      card_no: patient.card_no,
      dept_code: order.dept_code,
      dept_name: order.dept_name,
      doctor_code: order.doctor_code,
      doctor_name: order.doctor_name,
      state: order.state,
      total_amount: fenToYuanText(order.total_fen),
      created_time: time(order.created_at),
      expire_time: time(order.expire_at),
      changed_time: time(order.changed_at),
      ...(registration ? { registration: { consulted: registration.consulted_at !== null } } : {}),
      // A line a partial refund took back is no longer the order's.
      prescriptions: this.prescriptionsLeft(order.order_no).map(({ rx, lines }) => ({
        rx_no: rx.rx_no,
        rx_type: rx.rx_type,
        lines: lines.map((l) => ({
          line_no: l.line_no,
          item_type: l.item_type,
          hosp_code: l.hosp_code,
          med_list_codg: l.med_list_codg,
          name: l.name,
          spec: l.spec,
          unit: l.unit,
          quantity: l.quantity,
          unit_price: fenToYuanText(l.unit_price_fen),
          amount: fenToYuanText(l.amount_fen),
        })),
      })),
    };
  }

  private prescriptionsLeft(orderNo: string): ReturnType<HisLedger['prescriptions']> {
    const refunded = this.ledger.refundedLines(orderNo);
    if (refunded.length === 0) return this.ledger.prescriptions(orderNo);
    return this.ledger
      .prescriptions(orderNo)
      .map(({ rx, lines }) => ({ rx, lines: lines.filter((l) => !refunded.some((k) => k.rx_no === l.rx_no && k.line_no === l.line_no)) }))
      .filter(({ lines }) => lines.length > 0);
  }

  private settlementJson(row: SettlementRow): unknown {
    const payments = JSON.parse(row.payments) as PaymentEntry[];
    return {
      settle_id: row.settle_id,
      his_settle_no: row.his_settle_no,
      order_no: row.order_no,
      settle_type: row.kind,
      state: row.state,
      settle_time: beijing(new Date(row.settled_at)).display,
      medfee_sumamt: fenToYuanText(row.medfee_fen),
      fund_pay_sumamt: fenToYuanText(row.fund_fen),
      acct_pay: fenToYuanText(row.acct_fen),
      psn_cash_pay: fenToYuanText(row.cash_fen),
      mdtrt_id: row.mdtrt_id,
      setl_id: row.setl_id,
      payments: payments.map((p) => ({
        pay_channel: p.pay_channel,
        out_trade_no: p.out_trade_no,
        transaction_id: p.transaction_id,
        amount: fenToYuanText(p.amount_fen),
      })),
      invoice_no: row.invoice_no,
      pickup_window: row.pickup_window,
      cancel_id: row.cancel_id ?? '',
      cancel_time: row.cancelled_at === null ? '' : beijing(new Date(row.cancelled_at)).display,
    };
  }
}

function refundJson(row: RefundApplicationRow, lines: LineKey[]): unknown {
  return {
    refund_id: row.refund_id,
    settle_id: row.settle_id,
    state: row.state,
    apply_time: beijing(new Date(row.applied_at)).display,
    lines: lines.map((l) => ({ rx_no: l.rx_no, line_no: l.line_no })),
  };
}

/** yyyy-MM-dd HH:mm:ss (Beijing) -> epoch ms. */
export function parseDisplay(text: string): number {
  const [y, mo, d, h, mi, s] = text.split(/[- :]/).map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - 8 * 3_600_000;
}
