/**
 * The finance lists beside the orders (issue 13 item 4, HX-36..39, HX-44/45): registrations (2201 and its 2202),
 * payments and refunds, with one filter bar — day range, operator, station, state, channel, the patient by name or
 * ID number (through the persons' blind indexes), sort, page — and the same exports as the orders.
 */
import { z } from 'zod';
import { checkIdNumber } from './id-number';
import { EXPORT_FORMATS, PAY_CHANNELS, type PayChannel } from './ledger';
import type { OrderState } from './domain';
import type { Fen } from './money';

export const FINANCE_LISTS = ['registrations', 'payments', 'refunds'] as const;
export type FinanceListName = (typeof FINANCE_LISTS)[number];
export const FINANCE_LIST_TITLES: Record<FinanceListName, string> = { registrations: '挂号', payments: '支付', refunds: '退费' };

/** A registration as the centre's two calls left it: 2201's outcome and, after it, 2202's. */
export const REGISTRATION_STATES = ['registered', 'failed', 'in-doubt', 'reversed-2601'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];
export const REGISTRATION_STATE_LABELS: Record<RegistrationState, string> = {
  registered: '已登记',
  failed: '登记失败',
  'in-doubt': '结果未知',
  'reversed-2601': '已冲正',
};
export const REVERSAL_STATES = ['none', 'reversing', 'reversed', 'failed'] as const;
export type ReversalState = (typeof REVERSAL_STATES)[number];
export const REVERSAL_STATE_LABELS: Record<ReversalState, string> = {
  none: '未撤销',
  reversing: '撤销中',
  reversed: '已撤销(2202)',
  failed: '撤销失败',
};

export const PAYMENT_STATES = ['pending', 'paid', 'failed', 'reversed', 'closed', 'refunded'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  pending: '待支付',
  paid: '已支付',
  failed: '失败',
  reversed: '已撤销',
  closed: '已关闭',
  refunded: '已退款',
};

export const REFUND_STATES = ['applying', 'applied', 'centre-cancelled', 'withdrawing', 'refused', 'waiting', 'refunded'] as const;
export type RefundState = (typeof REFUND_STATES)[number];
export const REFUND_STATE_LABELS: Record<RefundState, string> = {
  applying: '申请中',
  applied: 'HIS已受理',
  'centre-cancelled': '医保已撤销',
  withdrawing: '撤回申请中',
  refused: '已拒绝',
  waiting: '待人工核实',
  refunded: '已退费',
};

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 yyyy-MM-dd');

/** The patient as typed: a valid ID number is looked up by its digest, anything else as a whole name. */
export type PatientQuery = { certNo: string } | { name: string };
export const PatientText = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((text, ctx): PatientQuery => {
    if (/^\d{17}[\dXx]$/.test(text)) {
      const checked = checkIdNumber(text);
      if (checked.ok) return { certNo: checked.value };
      ctx.addIssue({ code: 'custom', message: checked.message });
      return z.NEVER;
    }
    if (/^[\dXx]+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: '身份证号应为18位（或输入完整姓名）' });
      return z.NEVER;
    }
    return { name: text };
  });

export const FinanceFilter = z
  .object({
    from: Day,
    to: Day,
    operatorId: z.string().trim().min(1).max(32).optional(),
    stationId: z.string().trim().min(1).max(32).optional(),
    /** the list's own states (checked against the list's vocabulary by the core) */
    states: z.array(z.string().min(1).max(32)).max(12).optional(),
    channel: z.enum(PAY_CHANNELS).optional(),
    patient: PatientText.optional(),
  })
  .strict()
  .refine((f) => f.from <= f.to, { message: '开始日期不能晚于结束日期' });
export type FinanceFilter = z.output<typeof FinanceFilter>;
export type FinanceFilterInput = z.input<typeof FinanceFilter>;

export const FinanceSort = z.enum(['time-desc', 'time-asc', 'amount-desc', 'amount-asc']);
export type FinanceSort = z.infer<typeof FinanceSort>;

export const SearchFinanceInput = z
  .object({
    list: z.enum(FINANCE_LISTS),
    filter: FinanceFilter,
    sort: FinanceSort.default('time-desc'),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export const ExportFinanceInput = z
  .object({ list: z.enum(FINANCE_LISTS), filter: FinanceFilter, sort: FinanceSort.default('time-asc'), format: z.enum(EXPORT_FORMATS) })
  .strict();

interface RowBase {
  id: string;
  orderId: string;
  /** the order's state now: what a quick reversal would do with it */
  orderState: OrderState;
  hisOrderNo: string;
  patientName: string;
  certNo: string;
  operatorId: string;
  stationId: string;
}
export interface RegistrationRow extends RowBase {
  list: 'registrations';
  /** the centre's visit number (mdtrt_id) while the order holds it */
  mdtrtId: string;
  state: RegistrationState;
  reversal: ReversalState;
  /** whether a settlement (2207) went through on this registration */
  settled: boolean;
  amountFen: Fen;
  registeredAt: string;
  reversedAt: string | null;
}
/** How a payment was taken: the patient's payment code, a QR on the screen, or the patient's phone (医保移动支付). */
export const PAYMENT_MODES = ['micropay', 'precreate', 'mobile'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];
export const PAYMENT_MODE_LABELS: Record<PaymentMode, string> = { micropay: '付款码', precreate: '扫码', mobile: '手机支付' };

export interface PaymentRow extends RowBase {
  list: 'payments';
  channel: PayChannel | null;
  mode: PaymentMode;
  amountFen: Fen;
  state: PaymentState;
  outTradeNo: string;
  transactionId: string;
  createdAt: string;
  updatedAt: string;
}
export interface RefundRow extends RowBase {
  list: 'refunds';
  state: RefundState;
  fundFen: Fen;
  accountFen: Fen;
  cashFen: Fen;
  amountFen: Fen;
  channel: PayChannel | null;
  reason: string;
  createdAt: string;
  finishedAt: string | null;
}
export type FinanceRow = RegistrationRow | PaymentRow | RefundRow;

/** Where a list was read: this station's own database (本站) or the hospital's ledger, every station (全院). */
export type FinanceSource = 'station' | 'hospital';
export const FINANCE_SOURCE_LABELS: Record<FinanceSource, string> = { station: '本站', hospital: '全院' };

export interface FinancePage {
  list: FinanceListName;
  rows: FinanceRow[];
  total: number;
  /** the hospital ledger counts at most its pager's cap: more rows match than `total` */
  totalCapped: boolean;
  source: FinanceSource;
  /** what the screen says beside the rows (全院 by patient: older rows carry no lookup tokens) */
  notice?: string;
  /** the station answering: a 全院 row of another one is not acted on here (不在本站) */
  here: string;
}

/**
 * The station holding a row when it is not this one: quick reversal and reprint run on the station that holds the
 * order, so on a 全院 row of another station the screen says where it is instead of asking for it here.
 */
export function heldElsewhere(row: Pick<FinanceRow, 'stationId'>, page: Pick<FinancePage, 'source' | 'here'>): string | null {
  return page.source === 'hospital' && row.stationId !== page.here ? row.stationId : null;
}

/** What Del and F9 say on a phone's row: its money goes back through the business it paid, not the window's refund. */
export const PHONE_ROW_NOTICE = '医保移动支付（手机支付）的单据不在此撤销或补打：出院结算请用“撤销出院结算”原路退款';

/** A payment the patient made on the phone (医保移动支付). */
export function paidOnPhone(row: FinanceRow): boolean {
  return row.list === 'payments' && row.mode === 'mobile';
}

/** What Del and F9 say on another station's row. */
export function elsewhereNotice(stationId: string): string {
  return `不在本站：该记录在工作站 ${stationId}，请到该工作站撤销或补打`;
}

/** An administrator's quick reversal from the list (HX-37, HX-43): the reason, and a second person when required. */
export const QuickReverseInput = z
  .object({
    orderId: z.string().min(1).max(64),
    reason: z.string().trim().min(1, '请选择撤销原因').max(60),
    approver: z
      .object({ id: z.string().trim().min(1, '请输入审批人工号').max(32), password: z.string().min(1, '请输入审批人密码').max(128) })
      .strict()
      .optional(),
  })
  .strict();
export type QuickReverseInput = z.input<typeof QuickReverseInput>;

export const ReversalSettingsInput = z.object({ approvalRequired: z.boolean() }).strict();
export interface ReversalSettings {
  /** a second administrator signs each quick reversal in the same dialog */
  approvalRequired: boolean;
}
