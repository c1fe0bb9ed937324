/**
 * HIS's inpatient services (住院), apart from HTTP: the ward's patients, a stay's fee lines page by page (what the
 * station uploads to the centre in batches), its deposits, mid-stay and discharge settlements and the refund of a
 * deposit's balance. Money calls are idempotent by the station's ids (settle_id, cancel_id, refund_id): the same
 * request answers what was recorded, the same id with other content is refused.
 */
import { z } from 'zod';
import { beijing } from '../nhsa/clock';
import type { PatientRow } from './ledger';
import { fenToYuanText, toFen, yuan, type ServiceAnswer } from './services';
import {
  paymentDepositNo,
  type AppliedDeposit,
  type DepositRefundRow,
  type DepositRow,
  type FeeLineRow,
  type StayRow,
  type WardLedger,
  type WardSettlementRow,
} from './ward-ledger';

const signedYuanText = (fen: number) => (fen < 0 ? `-${fenToYuanText(-fen)}` : fenToYuanText(fen));

const Payment = z.object({
  pay_channel: z.enum(['wechat', 'alipay', 'cash', 'card']),
  out_trade_no: z.string().max(64).default(''),
  transaction_id: z.string().max(64).default(''),
  amount: yuan,
});

export const WardServiceSchemas = {
  'ward.list': z.object({}),
  'inpatient.list': z.object({ ward_code: z.string().min(1), state: z.enum(['in', 'discharge-ordered']).optional() }),
  'inpatient.get': z
    .object({ ipt_no: z.string().optional(), patient_id: z.string().optional() })
    .refine((q) => Boolean(q.ipt_no) !== Boolean(q.patient_id), 'exactly one of ipt_no, patient_id'),
  'inpatient.fees': z.object({
    ipt_no: z.string().min(1),
    after_line: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  'inpatient.settle': z.object({
    settle_id: z.string().min(1).max(64),
    ipt_no: z.string().min(1),
    kind: z.enum(['midway', 'discharge']),
    upto_line: z.number().int().positive(),
    mdtrt_id: z.string().max(64).default(''),
    setl_id: z.string().max(64).default(''),
    medfee_sumamt: yuan,
    fund_pay_sumamt: yuan,
    acct_pay: yuan,
    psn_cash_pay: yuan,
    deposits: z.array(z.object({ deposit_no: z.string().min(1), amount: yuan })).max(20),
    payments: z.array(Payment).max(10),
  }),
  // 自费转医保: the station registered the self-pay stay at the centre (2401); HIS turns its 费别 to insured.
  'inpatient.insure': z.object({ ipt_no: z.string().min(1), psn_no: z.string().min(1), mdtrt_id: z.string().min(1) }),
  'inpatient.settle.get': z.object({ settle_id: z.string().min(1) }),
  'inpatient.settle.cancel': z.object({
    cancel_id: z.string().min(1).max(64),
    settle_id: z.string().min(1),
    reason: z.string().max(200).default(''),
    // What becomes of the payments that paid the shortfall: deposits (the window's undo), or nothing — they go back
    // to the patient by their channel's own refund (the phone's 6203).
    payments: z.enum(['to-deposits', 'refunded']).default('to-deposits'),
  }),
  // The balance of a deposit paid back: to the channel it came by (the station refunded it there first and gives
  // the channel's refund number) or in cash at the window.
  'deposit.refund': z.object({
    refund_id: z.string().min(1).max(64),
    deposit_no: z.string().min(1),
    amount: yuan,
    to: z.enum(['original', 'cash']),
    refund_trade_no: z.string().max(64).default(''),
  }),
  'deposit.refund.get': z.object({ refund_id: z.string().min(1) }),
} as const;
export type WardServiceName = keyof typeof WardServiceSchemas;
export const WARD_SERVICE_NAMES = Object.keys(WardServiceSchemas) as WardServiceName[];

const fail = (code: string, msg: string): ServiceAnswer => ({ ok: false, code, msg });
const ok = (biz: unknown): ServiceAnswer => ({ ok: true, biz });
const time = (ms: number | null) => (ms === null ? '' : beijing(new Date(ms)).display);

type Req<N extends WardServiceName> = z.infer<(typeof WardServiceSchemas)[N]>;

export class WardServices {
  /** Whether a payment's deposit (转预交金) exists: a cancel whose payments were refunded made none. */
  private readonly held = (depositNo: string): boolean => this.ledger.deposit(depositNo) !== undefined;
  constructor(
    private readonly ledger: WardLedger,
    private readonly patient: (patientId: string) => PatientRow | undefined,
    private readonly now: () => Date,
  ) {}

  handle(service: WardServiceName, input: unknown): ServiceAnswer {
    const parsed = WardServiceSchemas[service].safeParse(input);
    if (!parsed.success) {
      const where = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || i.message))].join(', ');
      return fail('PARAM_ERROR', `参数错误: ${where}`);
    }
    const q = parsed.data;
    switch (service) {
      case 'ward.list':
        return ok({ wards: this.ledger.wards().map((w) => ({ ...w, beds_in_use: this.ledger.bedsInUse(w.ward_code).size })) });
      case 'inpatient.list': {
        const r = q as Req<'inpatient.list'>;
        if (!this.ledger.ward(r.ward_code)) return fail('WARD_NOT_FOUND', '病区不存在');
        const states = r.state ? [r.state] : (['in', 'discharge-ordered'] as const);
        return ok({ stays: this.ledger.stays({ wardCode: r.ward_code, states }).map((s) => this.stayJson(s, false)) });
      }
      case 'inpatient.get': {
        const r = q as Req<'inpatient.get'>;
        const stay = r.ipt_no ? this.ledger.stay(r.ipt_no) : this.ledger.currentStayOf(r.patient_id ?? '');
        return stay ? ok({ stay: this.stayJson(stay, true) }) : fail('STAY_NOT_FOUND', '住院记录不存在');
      }
      case 'inpatient.fees': {
        const r = q as Req<'inpatient.fees'>;
        if (!this.ledger.stay(r.ipt_no)) return fail('STAY_NOT_FOUND', '住院记录不存在');
        const lines = this.ledger.feeLines(r.ipt_no, r.after_line, r.limit);
        return ok({ lines: lines.map(lineJson), last_line: this.ledger.lastLineNo(r.ipt_no) });
      }
      case 'inpatient.settle':
        return this.settle(q as Req<'inpatient.settle'>);
      case 'inpatient.insure':
        return this.insure(q as Req<'inpatient.insure'>);
      case 'inpatient.settle.get': {
        const row = this.ledger.settlement((q as Req<'inpatient.settle.get'>).settle_id);
        return row ? ok({ settlement: settlementJson(row, this.held) }) : fail('SETTLE_NOT_FOUND', '结算记录不存在');
      }
      case 'inpatient.settle.cancel':
        return this.cancel(q as Req<'inpatient.settle.cancel'>);
      case 'deposit.refund':
        return this.refundDeposit(q as Req<'deposit.refund'>);
      case 'deposit.refund.get': {
        const row = this.ledger.depositRefund((q as Req<'deposit.refund.get'>).refund_id);
        return row ? ok({ refund: depositRefundJson(row) }) : fail('REFUND_NOT_FOUND', '预交金退款记录不存在');
      }
    }
  }

  private settle(r: Req<'inpatient.settle'>): ServiceAnswer {
    const print = JSON.stringify(r);
    const existing = this.ledger.settlement(r.settle_id);
    if (existing) {
      if (existing.fingerprint !== print) return fail('SETTLE_ID_CONFLICT', '结算流水号已用于另一笔结算');
      // Booked and undone: the same id is not booked again (a new settlement has its own id).
      if (existing.state === 'cancelled') return fail('SETTLE_CANCELLED', '该结算已撤销，不能再次登记');
      return ok({ settlement: settlementJson(existing, this.held) });
    }
    const stay = this.ledger.stay(r.ipt_no);
    if (!stay) return fail('STAY_NOT_FOUND', '住院记录不存在');
    if (stay.state === 'settled') return fail('STAY_SETTLED', '该次住院已出院结算');
    if (stay.state === 'cancelled') return fail('STAY_CANCELLED', '该次住院已取消入院');
    if (r.kind === 'discharge' && stay.state !== 'discharge-ordered')
      return fail('NO_DISCHARGE_ORDER', '医生尚未开具出院医嘱，不能出院结算');
    if (r.kind === 'midway' && stay.state !== 'in') return fail('DISCHARGE_ORDERED', '已开出院医嘱，请办理出院结算');
    const last = this.ledger.lastLineNo(r.ipt_no);
    // A discharge settles every line; a line executed after the pre-settlement changes the bill.
    if (r.upto_line > last || (r.kind === 'discharge' && r.upto_line !== last)) {
      return fail('FEES_CHANGED', `费用明细已变动（最新第 ${last} 条），请重新预结算`);
    }
    const due = this.ledger.unsettled(r.ipt_no, r.upto_line);
    if (due.lines === 0) return fail('NOTHING_TO_SETTLE', '没有未结算的费用');
    const medfee = toFen(r.medfee_sumamt);
    const fund = toFen(r.fund_pay_sumamt);
    const acct = toFen(r.acct_pay);
    const cash = toFen(r.psn_cash_pay);
    if (medfee !== due.totalFen) return fail('AMOUNT_MISMATCH', `医疗费总额与未结算费用 ${signedYuanText(due.totalFen)} 不符`);
    if (fund + acct + cash !== medfee) return fail('AMOUNT_MISMATCH', '基金、个人账户与现金之和不等于医疗费总额');
    const applied: AppliedDeposit[] = [];
    for (const d of r.deposits) {
      const deposit = this.ledger.deposit(d.deposit_no);
      if (deposit?.ipt_no !== r.ipt_no) return fail('DEPOSIT_NOT_FOUND', `预交金 ${d.deposit_no} 不属于该次住院`);
      const amount = toFen(d.amount);
      if (amount > this.ledger.depositBalance(d.deposit_no)) return fail('DEPOSIT_BALANCE_SHORT', `预交金 ${d.deposit_no} 余额不足`);
      applied.push({ deposit_no: d.deposit_no, amount_fen: amount });
    }
    if (new Set(applied.map((a) => a.deposit_no)).size !== applied.length) return fail('PARAM_ERROR', '同一笔预交金只能列一次');
    const paid = r.payments.reduce((sum, p) => sum + toFen(p.amount), 0);
    const fromDeposits = applied.reduce((sum, a) => sum + a.amount_fen, 0);
    if (fromDeposits + paid !== cash) {
      return fail(
        'PAYMENT_MISMATCH',
        `预交金抵扣 ${fenToYuanText(fromDeposits)} 与补缴 ${fenToYuanText(paid)} 之和不等于现金部分 ${fenToYuanText(cash)}`,
      );
    }
    const at = this.now().getTime();
    const day = beijing(this.now()).day;
    const row: WardSettlementRow = {
      settle_id: r.settle_id,
      ipt_no: r.ipt_no,
      kind: r.kind,
      fingerprint: print,
      his_settle_no: `ZJ${day}${String(this.ledger.nextSerial('ward-settlement')).padStart(6, '0')}`,
      state: 'settled',
      upto_line: r.upto_line,
      medfee_fen: medfee,
      fund_fen: fund,
      acct_fen: acct,
      cash_fen: cash,
      mdtrt_id: r.mdtrt_id,
      setl_id: r.setl_id,
      deposits: JSON.stringify(applied),
      payments: JSON.stringify(
        r.payments.map((p) => ({
          pay_channel: p.pay_channel,
          out_trade_no: p.out_trade_no,
          transaction_id: p.transaction_id,
          amount_fen: toFen(p.amount),
        })),
      ),
      invoice_no: `ZYFP${day}${String(this.ledger.nextSerial('ward-invoice')).padStart(8, '0')}`,
      settled_at: at,
      cancel_id: null,
      cancelled_at: null,
    };
    this.ledger.insertSettlement(row);
    this.ledger.markLinesSettled(r.ipt_no, r.upto_line, r.settle_id);
    if (r.kind === 'discharge') this.ledger.setStayState(r.ipt_no, 'settled', at);
    return ok({ settlement: settlementJson(row, this.held) });
  }

  /** A self-pay stay turned insured; the same request again answers the stay (a lost answer is asked again). */
  private insure(q: Req<'inpatient.insure'>): ServiceAnswer {
    const stay = this.ledger.stay(q.ipt_no);
    if (!stay) return fail('STAY_NOT_FOUND', '住院记录不存在');
    const cover = this.ledger.stayInsurance(q.ipt_no);
    if (cover && !cover.self_pay && cover.psn_no === q.psn_no && cover.mdtrt_id === q.mdtrt_id)
      return ok({ stay: this.stayJson(stay, true) });
    if (!cover?.self_pay) return fail('STAY_INSURED', '该次住院已是医保费别');
    if (stay.state !== 'in' && stay.state !== 'discharge-ordered')
      return fail('STAY_CLOSED', `该次住院已${stay.state === 'settled' ? '出院结算' : '取消'}`);
    if (this.ledger.settlementsOf(q.ipt_no).some((x) => x.state === 'settled'))
      return fail('STAY_SETTLED', '该次住院已有自费结算，请先撤销');
    this.ledger.putStayInsurance({
      ipt_no: q.ipt_no,
      self_pay: 0,
      psn_no: q.psn_no,
      mdtrt_id: q.mdtrt_id,
      changed_at: this.now().getTime(),
    });
    return ok({ stay: this.stayJson(stay, true) });
  }

  /**
   * Undone (before the centre's 2305): the lines are due again, the deposits applied are back, the stay reopens. What
   * paid the shortfall is not paid back here: each payment becomes a deposit (转预交金) with its channel and trade
   * number, so a later surplus goes back to the wallet it came from — unless the station refunds the payments by their
   * own channel (the phone's 6203: `payments: 'refunded'`).
   */
  private cancel(q: Req<'inpatient.settle.cancel'>): ServiceAnswer {
    const row = this.ledger.settlement(q.settle_id);
    if (!row) return fail('SETTLE_NOT_FOUND', '结算记录不存在');
    if (row.state === 'cancelled') {
      if (row.cancel_id !== q.cancel_id) return fail('SETTLE_ALREADY_CANCELLED', '该结算已由另一笔撤销');
      return ok({ settlement: settlementJson(row, this.held) });
    }
    const later = this.ledger.settlementsOf(row.ipt_no).find((s) => s.state === 'settled' && s.upto_line > row.upto_line);
    if (later) return fail('LATER_SETTLEMENT', `请先撤销其后的结算 ${later.his_settle_no}`);
    const at = this.now().getTime();
    this.ledger.cancelSettlement(q.settle_id, q.cancel_id, at);
    this.ledger.unmarkLinesSettled(q.settle_id);
    if (q.payments === 'to-deposits')
      paymentsOf(row).forEach((p, i) =>
        this.ledger.insertDeposit({
          deposit_no: paymentDepositNo(row.his_settle_no, i),
          ipt_no: row.ipt_no,
          channel: p.pay_channel,
          out_trade_no: p.out_trade_no,
          transaction_id: p.transaction_id,
          amount_fen: p.amount_fen,
          paid_at: at,
        }),
      );
    if (row.kind === 'discharge') this.ledger.setStayState(row.ipt_no, 'discharge-ordered', at);
    return ok({ settlement: settlementJson(this.ledger.settlement(q.settle_id)!, this.held) });
  }

  private refundDeposit(q: Req<'deposit.refund'>): ServiceAnswer {
    const print = JSON.stringify(q);
    const existing = this.ledger.depositRefund(q.refund_id);
    if (existing) {
      if (existing.fingerprint !== print) return fail('REFUND_ID_CONFLICT', '退款流水号已用于另一笔退款');
      return ok({ refund: depositRefundJson(existing) });
    }
    const deposit = this.ledger.deposit(q.deposit_no);
    if (!deposit) return fail('DEPOSIT_NOT_FOUND', '预交金记录不存在');
    const amount = toFen(q.amount);
    if (amount === 0) return fail('PARAM_ERROR', '退款金额应大于零');
    if (amount > this.ledger.depositBalance(q.deposit_no)) return fail('DEPOSIT_BALANCE_SHORT', '退款金额超过该笔预交金余额');
    const toChannel = q.to === 'original' && deposit.channel !== 'cash';
    if (toChannel && !q.refund_trade_no) return fail('PARAM_ERROR', '原路退回须提供渠道退款单号');
    const row: DepositRefundRow = {
      refund_id: q.refund_id,
      deposit_no: q.deposit_no,
      fingerprint: print,
      channel: toChannel ? deposit.channel : 'cash',
      amount_fen: amount,
      refund_trade_no: toChannel ? q.refund_trade_no : '',
      refunded_at: this.now().getTime(),
    };
    this.ledger.insertDepositRefund(row);
    return ok({ refund: depositRefundJson(row) });
  }

  private stayJson(stay: StayRow, detail: boolean): unknown {
    const patient = this.patient(stay.patient_id);
    const cover = this.ledger.stayInsurance(stay.ipt_no);
    const ward = this.ledger.ward(stay.ward_code)!;
    const last = this.ledger.lastLineNo(stay.ipt_no);
    const deposits = this.ledger.deposits(stay.ipt_no);
    const balances = deposits.map((d) => this.ledger.depositBalance(d.deposit_no));
    const json: Record<string, unknown> = {
      ipt_no: stay.ipt_no,
      patient_id: stay.patient_id,
      patient_name: patient?.name ?? '',
      gender: patient?.gender ?? '',
      birth_date: patient?.birth_date ?? '',
      psn_no: cover ? cover.psn_no : (patient?.psn_no ?? ''),
      ward_code: ward.ward_code,
      ward_name: ward.name,
      bed_no: stay.bed_no,
      dept_code: ward.dept_code,
      dept_name: ward.dept_name,
      doctor_code: ward.doctor_code,
      doctor_name: ward.doctor_name,
      state: stay.state,
      admit_time: time(stay.admitted_at),
      discharge_order_time: time(stay.discharge_ordered_at),
      diagnosis_code: stay.diagnosis_code,
      diagnosis_name: stay.diagnosis_name,
      last_line: last,
      unsettled_amount: signedYuanText(this.ledger.unsettled(stay.ipt_no, last).totalFen),
      deposit_balance: fenToYuanText(balances.reduce((a, b) => a + b, 0)),
    };
    if (detail) {
      json.deposits = deposits.map((d, i) => depositJson(d, balances[i]!));
      json.settlements = this.ledger.settlementsOf(stay.ipt_no).map((x) => settlementJson(x, this.held));
    }
    return json;
  }
}

function lineJson(l: FeeLineRow): unknown {
  return {
    line_no: l.line_no,
    fee_day: l.fee_day,
    executed_time: time(l.executed_at),
    item_type: l.item_type,
    hosp_code: l.hosp_code,
    med_list_codg: l.med_list_codg,
    name: l.name,
    spec: l.spec,
    unit: l.unit,
    quantity: l.quantity,
    unit_price: fenToYuanText(l.unit_price_fen),
    amount: signedYuanText(l.amount_fen),
    reverses_line: l.reverses_line ?? 0,
    settle_id: l.settle_id ?? '',
  };
}

function depositJson(d: DepositRow, balanceFen: number): unknown {
  return {
    deposit_no: d.deposit_no,
    pay_channel: d.channel,
    out_trade_no: d.out_trade_no,
    transaction_id: d.transaction_id,
    amount: fenToYuanText(d.amount_fen),
    balance: fenToYuanText(balanceFen),
    paid_time: time(d.paid_at),
  };
}

interface PaymentJson {
  pay_channel: DepositRow['channel'];
  out_trade_no: string;
  transaction_id: string;
  amount_fen: number;
}
const paymentsOf = (row: WardSettlementRow) => JSON.parse(row.payments) as PaymentJson[];

/** A settlement as HIS answers it; once cancelled, with the deposits its payments became. */
function settlementJson(row: WardSettlementRow, held: (depositNo: string) => boolean): unknown {
  return {
    settle_id: row.settle_id,
    his_settle_no: row.his_settle_no,
    ipt_no: row.ipt_no,
    settle_type: row.kind,
    state: row.state,
    upto_line: row.upto_line,
    settle_time: time(row.settled_at),
    medfee_sumamt: signedYuanText(row.medfee_fen),
    fund_pay_sumamt: fenToYuanText(row.fund_fen),
    acct_pay: fenToYuanText(row.acct_fen),
    psn_cash_pay: fenToYuanText(row.cash_fen),
    mdtrt_id: row.mdtrt_id,
    setl_id: row.setl_id,
    deposits: (JSON.parse(row.deposits) as AppliedDeposit[]).map((d) => ({
      deposit_no: d.deposit_no,
      amount: fenToYuanText(d.amount_fen),
    })),
    payments: paymentsOf(row).map((p) => ({
      pay_channel: p.pay_channel,
      out_trade_no: p.out_trade_no,
      transaction_id: p.transaction_id,
      amount: fenToYuanText(p.amount_fen),
    })),
    payments_to_deposits:
      row.state === 'cancelled'
        ? paymentsOf(row)
            .map((p, i) => ({
              deposit_no: paymentDepositNo(row.his_settle_no, i),
              pay_channel: p.pay_channel,
              out_trade_no: p.out_trade_no,
              amount: fenToYuanText(p.amount_fen),
            }))
            .filter((d) => held(d.deposit_no))
        : [],
    invoice_no: row.invoice_no,
    cancel_id: row.cancel_id ?? '',
    cancel_time: time(row.cancelled_at),
  };
}

function depositRefundJson(row: DepositRefundRow): unknown {
  return {
    refund_id: row.refund_id,
    deposit_no: row.deposit_no,
    pay_channel: row.channel,
    amount: fenToYuanText(row.amount_fen),
    refund_trade_no: row.refund_trade_no,
    refund_time: time(row.refunded_at),
  };
}
