/**
 * The shell's receipt printer as the window sees it (Electron only; a browser page prints with window.print()).
 * Its own small IPC surface beside the station's operations: printing happens in the Electron main process, which
 * alone can reach the system's printers. Every answer crosses the IPC boundary, so each has a schema.
 */
import { z } from 'zod';

export { PRINTER_CHANNELS } from './printing-channels';

/** The slip's papers (station/receipts/receipt-paper.ts has their sizes). */
export const RECEIPT_PAPERS = ['A5', '80mm', '58mm'] as const;
export const ReceiptPaperSchema = z.enum(RECEIPT_PAPERS);
export type ReceiptPaper = z.infer<typeof ReceiptPaperSchema>;

/** What an administrator chooses in 系统管理 › 打印机 (setPrintSettings); null printer: the system's default. */
export const PrintSettingsInputSchema = z
  .object({
    printer: z.string().trim().min(1, '请选择打印机').max(256).nullable(),
    paper: ReceiptPaperSchema,
    copies: z.number().int().min(1, '份数为 1–5').max(5, '份数为 1–5'),
  })
  .strict();
export type PrintSettingsInput = z.infer<typeof PrintSettingsInputSchema>;

/** The settings a slip prints with: the administrator's choice (station) over station.config.json (config). */
export interface PrintSettingsView {
  printer: string | null;
  paper: ReceiptPaper;
  copies: number;
  source: 'config' | 'station';
  /** who saved the station's choice and when (null while the config file's values apply) */
  updatedBy: string | null;
  updatedAt: string | null;
}

/** The system's printers as the core sees them (CUPS on Linux; none elsewhere: the Electron shell lists them). */
export interface SystemPrintersView {
  source: 'cups' | 'none';
  printers: PrinterInfo[];
  defaultPrinter: string | null;
  /** why there is no list, in IT's words */
  message: string | null;
}

export const PrintReceiptInputSchema = z.object({ orderId: z.string().min(1).max(64) }).strict();
export type PrintReceiptInput = z.infer<typeof PrintReceiptInputSchema>;

/**
 * 交班单 of a shift, 日结单 of a day (absent: the station's today), 住院结算单 / 中途结算单 of a stay (the bedside) or the
 * 预交金退款凭证 of a stay's surplus paid out at the window: the core renders the page and audits it, never the window.
 */
export const PrintSlipInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('shift'), shiftId: z.string().uuid() }).strict(),
  z
    .object({
      kind: z.literal('day'),
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    })
    .strict(),
  z.object({ kind: z.literal('stay-voucher'), stayId: z.string().uuid() }).strict(),
  z.object({ kind: z.literal('deposit-refund'), stayId: z.string().uuid() }).strict(),
  z
    .object({
      kind: z.literal('midstay-voucher'),
      stayId: z.string().uuid(),
      setlId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
    })
    .strict(),
]);
export type PrintSlipInput = z.infer<typeof PrintSlipInputSchema>;

export const PrinterInfoSchema = z.object({ name: z.string(), displayName: z.string(), description: z.string() });
export type PrinterInfo = z.infer<typeof PrinterInfoSchema>;

/** ok: last seen in the system's list, or printed; missing: not in it; error: the last print failed; unknown: not looked yet. */
export const PrinterStatusSchema = z.object({
  state: z.enum(['unknown', 'ok', 'missing', 'error']),
  /** the configured printer's name, or null for the system's default printer */
  printer: z.string().nullable(),
  paper: z.string(),
  /** what went wrong, in the cashier's words (missing / error) */
  message: z.string().nullable(),
  /** when the state was last established (ISO) */
  at: z.string().nullable(),
});
export type PrinterStatus = z.infer<typeof PrinterStatusSchema>;

export const PrinterAnswerSchemas = {
  list: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), printers: z.array(PrinterInfoSchema) }),
    z.object({ ok: z.literal(false), message: z.string() }),
  ]),
  status: z.union([PrinterStatusSchema, z.object({ ok: z.literal(false), message: z.string() })]),
  printReceipt: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), printer: z.string(), copies: z.number().int() }),
    z.object({ ok: z.literal(false), message: z.string() }),
  ]),
} as const;
/** The test page answers like a slip's print. */
export type PrintTestPageAnswer = PrintReceiptAnswer;
export type PrinterStatusAnswer = z.infer<typeof PrinterAnswerSchemas.status>;
export type PrinterListAnswer = z.infer<typeof PrinterAnswerSchemas.list>;
export type PrintReceiptAnswer = z.infer<typeof PrinterAnswerSchemas.printReceipt>;

/** What the preload exposes as `window.stationPrinter`. */
export interface StationPrinterApi {
  printers(): Promise<unknown>;
  status(): Promise<unknown>;
  printReceipt(input: PrintReceiptInput): Promise<unknown>;
  /** 打印测试页 (the core checks the window's operator is an administrator) */
  printTestPage(): Promise<unknown>;
  /** 交班单 / 日结单 / 住院结算单 / 预交金退款凭证, silently on the station's printer (the core checks who may print which) */
  printSlip(input: PrintSlipInput): Promise<unknown>;
}
