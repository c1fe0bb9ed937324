/**
 * What the hospital does on the ward, for tests, chaos and training to drive: admit a patient to a bed (insured, or
 * self-pay: 自费), execute fee lines on a day (or take one back), take a deposit, the doctor's discharge order. Each
 * is one transaction of the ward ledger. The wards are seeded on the first start.
 */
import { z } from 'zod';
import { beijing } from '../nhsa/clock';
import type { PatientRow } from './ledger';
import { catalogueItem, lineAmountFen } from './seed';
import type { DepositChannel, DepositRow, FeeLineRow, StayRow, WardLedger, WardRow } from './ward-ledger';

export const WARDS: readonly WardRow[] = [
  {
    ward_code: 'W0301',
    name: '心内科一病区',
    dept_code: '0302',
    dept_name: '心血管内科',
    doctor_code: 'D0302',
    doctor_name: '周海',
    beds: 30,
  },
  { ward_code: 'W0401', name: '骨科病区', dept_code: '0402', dept_name: '骨科', doctor_code: 'D0402', doctor_name: '吴刚', beds: 24 },
];

export const WardControlSchemas = [
  z.object({
    op: z.literal('admit'),
    patientId: z.string().min(1),
    wardCode: z.string().optional(),
    bedNo: z.string().optional(),
    diagnosis: z.object({ code: z.string().min(1), name: z.string().min(1) }).optional(),
    /** ISO time of the admission; now by default (training's ward has been there a few days). */
    admittedAt: z.iso.datetime().optional(),
    /** Admitted as self-pay (自费): no insurance shown, HIS lists the stay without a person number. */
    selfPay: z.boolean().optional(),
  }),
  z.object({
    op: z.literal('charge'),
    iptNo: z.string().min(1),
    /** yyyy-MM-dd (Beijing); today by default. */
    day: z
      .string()
      .regex(/^\d{4}-\d\d-\d\d$/)
      .optional(),
    lines: z
      .array(z.object({ hospCode: z.string(), quantity: z.string().regex(/^\d{1,6}(\.\d{1,4})?$/) }))
      .min(1)
      .max(5000),
  }),
  z.object({ op: z.literal('takeBack'), iptNo: z.string().min(1), lineNo: z.number().int().positive() }),
  z.object({
    op: z.literal('deposit'),
    iptNo: z.string().min(1),
    channel: z.enum(['cash', 'card', 'wechat', 'alipay']),
    amountFen: z.number().int().positive(),
    outTradeNo: z.string().default(''),
    transactionId: z.string().default(''),
  }),
  z.object({
    op: z.literal('transfer'),
    iptNo: z.string().min(1),
    wardCode: z.string().optional(),
    bedNo: z.string().optional(),
    diagnosis: z.object({ code: z.string().min(1), name: z.string().min(1) }).optional(),
  }),
  z.object({ op: z.literal('orderDischarge'), iptNo: z.string().min(1) }),
  z.object({ op: z.literal('cancelAdmission'), iptNo: z.string().min(1) }),
  z.object({ op: z.literal('stays') }),
  z.object({ op: z.literal('wardBooks') }),
] as const;
export type WardControlCommand = z.infer<(typeof WardControlSchemas)[number]>;
export const WARD_CONTROL_OPS: ReadonlySet<string> = new Set(WardControlSchemas.map((s) => s.shape.op.value));

/** The ward's books, read-only: settlements with what they applied, and the deposits' refunds. */
export interface WardBooks {
  settlements: {
    settleId: string;
    /** HIS's own number of the booking (the discharge's e-bill busNo). */
    hisSettleNo: string;
    iptNo: string;
    kind: 'midway' | 'discharge';
    state: 'settled' | 'cancelled';
    medfeeFen: number;
    fundFen: number;
    acctFen: number;
    cashFen: number;
    setlId: string;
    deposits: { depositNo: string; amountFen: number }[];
    /** The shortfall paid beside the deposits (the bedside's payment code or QR). */
    payments: { channel: string; outTradeNo: string; transactionId: string; amountFen: number }[];
  }[];
  depositRefunds: { refundId: string; depositNo: string; channel: DepositChannel; amountFen: number; refundTradeNo: string }[];
}

export interface WardControl {
  admit(a: {
    patientId: string;
    wardCode?: string;
    bedNo?: string;
    diagnosis?: { code: string; name: string };
    admittedAt?: string;
    selfPay?: boolean;
  }): string;
  /** Executes lines on a day; returns the new line numbers. */
  charge(c: { iptNo: string; day?: string; lines: { hospCode: string; quantity: string }[] }): number[];
  /** A line taken back (a negative line referring to it); returns its number. */
  takeBack(iptNo: string, lineNo: number): number;
  deposit(d: { iptNo: string; channel: DepositChannel; amountFen: number; outTradeNo?: string; transactionId?: string }): string;
  /** 转科/转床 (another ward — and so department — or bed) and/or a changed admission diagnosis. */
  transfer(t: { iptNo: string; wardCode?: string; bedNo?: string; diagnosis?: { code: string; name: string } }): void;
  orderDischarge(iptNo: string): void;
  /** 取消入院 at HIS (the station cancels 2401 at the centre first, when nothing was uploaded). */
  cancelAdmission(iptNo: string): void;
  stays(): StayRow[];
  wardBooks(): WardBooks;
  /** One stay's deposits: in = applied (standing settlements) + refunded + held, when the books balance. */
  depositBooks(iptNo: string): { inFen: number; appliedFen: number; refundedFen: number; heldFen: number };
}

export function wardControl(ledger: WardLedger, patient: (id: string) => PatientRow | undefined, now: () => Date): WardControl {
  if (!ledger.hasWards()) ledger.atomically(() => WARDS.forEach((w) => ledger.insertWard(w)));
  const stayOf = (iptNo: string) => {
    const stay = ledger.stay(iptNo);
    if (!stay) throw new Error(`no stay ${iptNo}`);
    return stay;
  };
  const open = (stay: StayRow) => {
    if (stay.state === 'settled' || stay.state === 'cancelled') throw new Error(`stay ${stay.ipt_no} is ${stay.state}`);
  };
  return {
    admit: (a) =>
      ledger.atomically(() => {
        if (!patient(a.patientId)) throw new Error(`no patient ${a.patientId}`);
        if (ledger.currentStayOf(a.patientId)) throw new Error(`patient ${a.patientId} is already in hospital`);
        const ward = ledger.ward(a.wardCode ?? WARDS[0]!.ward_code);
        if (!ward) throw new Error(`no ward ${a.wardCode}`);
        const used = ledger.bedsInUse(ward.ward_code);
        const bed = a.bedNo ?? Array.from({ length: ward.beds }, (_, i) => String(i + 1).padStart(2, '0')).find((b) => !used.has(b));
        if (!bed || used.has(bed)) throw new Error(`no free bed in ${ward.ward_code}`);
        const at = a.admittedAt ? Date.parse(a.admittedAt) : now().getTime();
        const iptNo = `ZY${beijing(now()).day}${String(ledger.nextSerial('stay')).padStart(4, '0')}`;
        ledger.insertStay({
          ipt_no: iptNo,
          patient_id: a.patientId,
          ward_code: ward.ward_code,
          bed_no: bed,
          state: 'in',
          admitted_at: at,
          discharge_ordered_at: null,
          diagnosis_code: a.diagnosis?.code ?? 'I10.x00',
          diagnosis_name: a.diagnosis?.name ?? '原发性高血压',
          changed_at: at,
        });
        if (a.selfPay) ledger.putStayInsurance({ ipt_no: iptNo, self_pay: 1, psn_no: '', mdtrt_id: '', changed_at: at });
        return iptNo;
      }),
    charge: (c) =>
      ledger.atomically(() => {
        open(stayOf(c.iptNo));
        const at = now().getTime();
        const day = c.day ?? isoDay(now());
        let lineNo = ledger.lastLineNo(c.iptNo);
        return c.lines.map(({ hospCode, quantity }) => {
          const item = catalogueItem(hospCode);
          if (!item) throw new Error(`no catalogue item ${hospCode}`);
          lineNo += 1;
          const row: FeeLineRow = {
            ipt_no: c.iptNo,
            line_no: lineNo,
            fee_day: day,
            executed_at: at,
            item_type: item.kind,
            hosp_code: item.hospCode,
            med_list_codg: item.nationalCode,
            name: item.name,
            spec: item.spec,
            unit: item.unit,
            quantity,
            unit_price_fen: item.priceFen,
            amount_fen: lineAmountFen(item.priceFen, quantity),
            reverses_line: null,
            settle_id: null,
          };
          ledger.insertFeeLine(row);
          return lineNo;
        });
      }),
    takeBack: (iptNo, lineNo) =>
      ledger.atomically(() => {
        open(stayOf(iptNo));
        const line = ledger.feeLine(iptNo, lineNo);
        if (!line || line.amount_fen < 0) throw new Error(`no line ${lineNo} to take back in ${iptNo}`);
        if (ledger.takingBackOf(iptNo, lineNo)) throw new Error(`line ${lineNo} of ${iptNo} is already taken back`);
        const n = ledger.lastLineNo(iptNo) + 1;
        ledger.insertFeeLine({
          ...line,
          line_no: n,
          fee_day: isoDay(now()),
          executed_at: now().getTime(),
          quantity: `-${line.quantity}`,
          amount_fen: -line.amount_fen,
          reverses_line: lineNo,
          settle_id: null,
        });
        return n;
      }),
    deposit: (d) =>
      ledger.atomically(() => {
        open(stayOf(d.iptNo));
        if (d.channel !== 'cash' && !d.outTradeNo) throw new Error('a deposit by card or wallet needs its trade number');
        const depositNo = `YJ${beijing(now()).day}${String(ledger.nextSerial('deposit')).padStart(6, '0')}`;
        const row: DepositRow = {
          deposit_no: depositNo,
          ipt_no: d.iptNo,
          channel: d.channel,
          out_trade_no: d.outTradeNo ?? '',
          transaction_id: d.transactionId ?? '',
          amount_fen: d.amountFen,
          paid_at: now().getTime(),
        };
        ledger.insertDeposit(row);
        return depositNo;
      }),
    transfer: (t) =>
      ledger.atomically(() => {
        const stay = stayOf(t.iptNo);
        if (stay.state !== 'in' && stay.state !== 'discharge-ordered') throw new Error(`stay ${t.iptNo} is ${stay.state}`);
        const ward = ledger.ward(t.wardCode ?? stay.ward_code);
        if (!ward) throw new Error(`no ward ${t.wardCode}`);
        const sameWard = ward.ward_code === stay.ward_code;
        const used = ledger.bedsInUse(ward.ward_code);
        if (sameWard) used.delete(stay.bed_no); // its own bed is free to it
        const freeBed = Array.from({ length: ward.beds }, (_, i) => String(i + 1).padStart(2, '0')).find((b) => !used.has(b));
        const bed = t.bedNo ?? (sameWard ? stay.bed_no : freeBed);
        if (!bed || used.has(bed)) throw new Error(`no free bed ${bed ?? ''} in ${ward.ward_code}`);
        const diagnosis = t.diagnosis ?? { code: stay.diagnosis_code, name: stay.diagnosis_name };
        ledger.moveStay(
          t.iptNo,
          { ward_code: ward.ward_code, bed_no: bed, diagnosis_code: diagnosis.code, diagnosis_name: diagnosis.name },
          now().getTime(),
        );
      }),
    orderDischarge: (iptNo) =>
      ledger.atomically(() => {
        const stay = stayOf(iptNo);
        if (stay.state !== 'in') throw new Error(`stay ${iptNo} is ${stay.state}`);
        const at = now().getTime();
        ledger.setStayState(iptNo, 'discharge-ordered', at, at);
      }),
    cancelAdmission: (iptNo) =>
      ledger.atomically(() => {
        const stay = stayOf(iptNo);
        if (stay.state !== 'in') throw new Error(`stay ${iptNo} is ${stay.state}`);
        if (ledger.lastLineNo(iptNo) > 0 || ledger.deposits(iptNo).length > 0) throw new Error(`stay ${iptNo} has fees or deposits`);
        ledger.setStayState(iptNo, 'cancelled', now().getTime());
      }),
    stays: () => ledger.stays(),
    depositBooks: (iptNo) => ledger.depositBooks(iptNo),
    wardBooks: () => ({
      settlements: ledger.settlements().map((s) => ({
        settleId: s.settle_id,
        hisSettleNo: s.his_settle_no,
        iptNo: s.ipt_no,
        kind: s.kind,
        state: s.state,
        medfeeFen: s.medfee_fen,
        fundFen: s.fund_fen,
        acctFen: s.acct_fen,
        cashFen: s.cash_fen,
        setlId: s.setl_id,
        deposits: (JSON.parse(s.deposits) as { deposit_no: string; amount_fen: number }[]).map((d) => ({
          depositNo: d.deposit_no,
          amountFen: d.amount_fen,
        })),
        payments: (
          JSON.parse(s.payments) as { pay_channel: string; out_trade_no: string; transaction_id: string; amount_fen: number }[]
        ).map((p) => ({ channel: p.pay_channel, outTradeNo: p.out_trade_no, transactionId: p.transaction_id, amountFen: p.amount_fen })),
      })),
      depositRefunds: ledger.depositRefunds().map((r) => ({
        refundId: r.refund_id,
        depositNo: r.deposit_no,
        channel: r.channel,
        amountFen: r.amount_fen,
        refundTradeNo: r.refund_trade_no,
      })),
    }),
  };
}

/** The control endpoint's ward commands. */
export function runWardControl(control: WardControl, c: WardControlCommand): unknown {
  switch (c.op) {
    case 'admit': {
      const { op: _op, ...a } = c;
      return { iptNo: control.admit(a) };
    }
    case 'charge':
      return { lineNos: control.charge(c) };
    case 'takeBack':
      return { lineNo: control.takeBack(c.iptNo, c.lineNo) };
    case 'deposit':
      return { depositNo: control.deposit(c) };
    case 'transfer': {
      const { op: _op, ...t } = c;
      return control.transfer(t);
    }
    case 'orderDischarge':
      return control.orderDischarge(c.iptNo);
    case 'cancelAdmission':
      return control.cancelAdmission(c.iptNo);
    case 'stays':
      return control.stays();
    case 'wardBooks':
      return control.wardBooks();
  }
}

/** yyyy-MM-dd in Beijing. */
function isoDay(d: Date): string {
  const day = beijing(d).day;
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}
