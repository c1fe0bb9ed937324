/**
 * The admin's lists over the settled orders (issue 13 items 4–5, HX-40/42/44): the filter the list, its page and
 * its exports share, and the rows they return. Days are the station's own (its time zone), amounts fen.
 */
import { z } from 'zod';
import { ORDER_STATES, type OrderState, type Role } from './domain';
import type { Fen } from './money';
import { checkIdNumber } from './id-number';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 yyyy-MM-dd');

/** How the self-pay share was taken: a wallet, or at the window in cash or by bank card. */
/** `mobile`: 医保移动支付's self-pay part, taken from the patient's wallet by the NHSA mobile-payment centre (a phone's payment). */
export const PAY_CHANNELS = ['wechat', 'alipay', 'cash', 'card', 'mobile'] as const;
export type PayChannel = (typeof PAY_CHANNELS)[number];
/** How the lists, their filters and exports name a channel. */
export const PAY_CHANNEL_LABELS: Record<PayChannel, string> = {
  wechat: '微信',
  alipay: '支付宝',
  cash: '现金',
  card: '银行卡',
  mobile: '医保移动支付',
};

export const OrderFilter = z
  .object({
    /** first and last local day, both included */
    from: Day,
    to: Day,
    operatorId: z.string().trim().min(1).max(32).optional(),
    states: z.array(z.enum(ORDER_STATES)).max(ORDER_STATES.length).optional(),
    channel: z.enum(PAY_CHANNELS).optional(),
    /** the patient's ID number: looked up through the persons' blind index, never matched against sealed text */
    certNo: z
      .string()
      .transform((text, ctx) => {
        const checked = checkIdNumber(text);
        if (checked.ok) return checked.value;
        ctx.addIssue({ code: 'custom', message: checked.message });
        return z.NEVER;
      })
      .optional(),
  })
  .strict()
  .refine((f) => f.from <= f.to, { message: '开始日期不能晚于结束日期' });
export type OrderFilter = z.infer<typeof OrderFilter>;

export const OrderSort = z.enum(['time-desc', 'time-asc', 'total-desc', 'total-asc']);
export type OrderSort = z.infer<typeof OrderSort>;

export const SearchOrdersInput = z
  .object({
    filter: OrderFilter,
    sort: OrderSort.default('time-desc'),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type SearchOrdersInput = z.input<typeof SearchOrdersInput>;

export const OrderFeeLinesInput = z.object({ orderId: z.string().min(1).max(64) }).strict();

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ExportOrdersInput = z
  .object({ filter: OrderFilter, sort: OrderSort.default('time-asc'), format: z.enum(EXPORT_FORMATS) })
  .strict();

export const CancelExportInput = z.object({ exportId: z.string().uuid() }).strict();

/** One order as the list shows it: the patient masked unless the viewer's role may see personal data. */
export interface OrderListRow {
  id: string;
  hisOrderNo: string;
  patientName: string;
  certNo: string;
  doctorName: string;
  deptName: string;
  operatorId: string;
  state: OrderState;
  channel: PayChannel | null;
  totalFen: Fen;
  fundFen: Fen;
  accountFen: Fen;
  selfPayFen: Fen;
  createdAt: string;
  completedAt: string | null;
}

export interface OrderPage {
  rows: OrderListRow[];
  /** the rows the filter matches, for the pager — at most the pager's cap */
  total: number;
  /** more rows match than `total` (the cap): the screen says "10000+" */
  totalCapped?: boolean;
}

export interface ExportProgress {
  exportId: string;
  done: number;
  total: number;
  state: 'running' | 'finished' | 'cancelled' | 'failed';
  file: string | null;
}

/** Who may read names and ID numbers in full in the lists and exports; everyone else sees them masked. */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['admin'];
export function maySeePersonalData(roles: readonly Role[]): boolean {
  return roles.some((r) => PERSONAL_DATA_ROLES.includes(r));
}

/** DQ-05: the report of e-voucher (医保电子凭证) identifications by day and operator, over at most 92 days. */
const ReportRange = {
  /** absent: the station's today (its time zone, not the screen's) */
  from: Day.optional(),
  to: Day.optional(),
  operatorId: z.string().min(1).max(64).optional(),
};
const rangeChecked = <T extends { from?: string | undefined; to?: string | undefined }>(s: z.ZodType<T>) =>
  s
    .refine((r) => !r.from || !r.to || r.from <= r.to, '开始日期不能晚于结束日期')
    .refine((r) => !r.from || !r.to || Date.parse(r.to) - Date.parse(r.from) <= 91 * 86_400_000, '报表最多 92 天');
export const EVoucherReportInput = rangeChecked(z.object(ReportRange).strict());
export const ExportEVoucherReportInput = rangeChecked(z.object({ ...ReportRange, format: z.enum(EXPORT_FORMATS) }).strict());

/** The report over the days it covers (the station's days). */
export interface EVoucherReportView {
  from: string;
  to: string;
  rows: EVoucherReportRow[];
}

/** One day and operator: how many patients were identified by e-voucher, and what those identifications led to. */
export interface EVoucherReportRow {
  day: string;
  operatorId: string;
  operatorName: string;
  /** identifications by e-voucher (the scan box read the patient's code; 1101 with cert type 01) */
  identifications: number;
  /** of those, how many led to at least one settled bill */
  settledIdentifications: number;
  /** bills settled (completed or later refunded) after an e-voucher identification, and their amounts */
  settlements: number;
  totalFen: Fen;
  fundFen: Fen;
  accountFen: Fen;
  cashFen: Fen;
  /** of those bills, how many were refunded (whole) */
  refunded: number;
}
