/**
 * The cashier's shift close (交班) and the station's day close (日结), issue 13 item 6: what the screens and the
 * slips read. Amounts are integer fen; the summary is what the station's own records say, frozen at the close.
 */
import { z } from 'zod';

/** The channels a window takes money by; cash and bank card are zero rows until the window takes them. */
export const SHIFT_CHANNELS = ['fund', 'account', 'wechat', 'alipay', 'cash', 'card'] as const;
export type ShiftChannel = (typeof SHIFT_CHANNELS)[number];
export const SHIFT_CHANNEL_LABELS: Record<ShiftChannel, string> = {
  fund: '医保统筹基金',
  account: '个人账户',
  wechat: '微信',
  alipay: '支付宝',
  cash: '现金',
  card: '银行卡',
};

const FenAmount = z.number().int();
const Count = z.number().int().min(0);

export const ShiftChannelLineSchema = z
  .object({ channel: z.enum(SHIFT_CHANNELS), count: Count, amountFen: FenAmount, refundCount: Count, refundFen: FenAmount })
  .strict();

/** An order of the operator still in doubt or waiting: named on the summary, it does not block the close. */
export const ShiftPendingOrderSchema = z
  .object({ orderId: z.string(), hisOrderNo: z.string(), state: z.string(), totalFen: FenAmount, updatedAt: z.string() })
  .strict();

export const ShiftSummarySchema = z
  .object({
    /** bills completed in the shift, and what they came to */
    orders: Count,
    totalFen: FenAmount,
    channels: z.array(ShiftChannelLineSchema),
    refunds: Count,
    refundFen: FenAmount,
    /** totalFen − refundFen */
    netFen: FenAmount,
    /** inpatient deposit surpluses paid out of this drawer in cash (预交金退款); absent from summaries frozen before */
    depositRefunds: Count.default(0),
    depositRefundFen: FenAmount.default(0),
    pending: z.array(ShiftPendingOrderSchema),
    /** the first and the last movement counted; null when none */
    firstAt: z.string().nullable(),
    lastAt: z.string().nullable(),
  })
  .strict();
export type ShiftChannelLine = z.infer<typeof ShiftChannelLineSchema>;
export type ShiftPendingOrder = z.infer<typeof ShiftPendingOrderSchema>;
export type ShiftSummary = z.infer<typeof ShiftSummarySchema>;

/** The cashier's count of the cash drawer at the close (钱箱清点), and the float it was opened with (备用金). */
export const DrawerCountSchema = z
  .object({
    countedFen: z.number().int().min(0).max(100_000_000),
    floatFen: z.number().int().min(0).max(100_000_000).default(0),
  })
  .strict();
export type DrawerCount = z.infer<typeof DrawerCountSchema>;

/** The drawer at the close: what should be in it (float + cash taken − cash refunded − deposits paid out) and the difference. */
export interface DrawerView {
  countedFen: number;
  floatFen: number;
  expectedFen: number;
  /** counted − expected: more than expected is 长款, less is 短款 */
  differenceFen: number;
}

export function drawerWords(differenceFen: number): '长款' | '短款' | '账实相符' {
  return differenceFen > 0 ? '长款' : differenceFen < 0 ? '短款' : '账实相符';
}

export interface ShiftView {
  id: string;
  stationId: string;
  operatorId: string;
  operatorName: string;
  /** records from here on belong to the shift (the previous shift's close, or this sign-in) */
  coversFrom: string;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** the day (station time zone) the shift was closed on, which day close counts it in */
  businessDay: string | null;
  summary: ShiftSummary;
  /** the drawer count recorded at the close; null while open, or closed without one (an admin closing another's shift) */
  drawer: DrawerView | null;
}

export interface DayCloseView {
  day: string;
  stationId: string;
  /** the day's closed shifts, in the order they were closed */
  shifts: ShiftView[];
  /** still open on this station: not counted, named so the admin can have them closed */
  openShifts: { id: string; operatorId: string; operatorName: string; openedAt: string }[];
  totals: Omit<ShiftSummary, 'pending' | 'firstAt' | 'lastAt'>;
}

export const ShiftInput = z.object({ shiftId: z.string().uuid() }).strict();
/**
 * The close, with the drawer count the cashier made (the screen asks for it; an admin closing another's may not), and
 * the reason an administrator gives for closing a shift its cashier left open (went home signed in): audited.
 */
export const CloseShiftInput = z
  .object({
    shiftId: z.string().uuid(),
    drawer: DrawerCountSchema.optional(),
    reason: z.string().trim().min(1).max(60).optional(),
  })
  .strict();
/** `day` absent: the station's today (its time zone, not the screen's). */
export const DayCloseInput = z
  .object({
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 yyyy-MM-dd')
      .optional(),
  })
  .strict();
