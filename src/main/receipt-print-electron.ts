/**
 * Silent printing of a slip to the station's receipt printer (issue 12, item 4): a hidden window of its own renders
 * the slip's HTML and webContents.print sends it to the printer without a dialog. Thin on purpose — the decisions
 * (printer, page, failures, state) are printing.ts's, unit-tested; this file is only type-checked here.
 *
 * The window is locked down like the PDF printer's (sandbox, context isolation, no preload, no Node, its own
 * in-memory session, every request but data: blocked by security.ts). Script is on only to measure a roll slip's
 * height after layout; the slip itself never contains a script (receiptHtml escapes every value).
 */
import { BrowserWindow } from 'electron';
import type { PrinterInfo, PrintSettingsView } from '../shared/printing';
import { PAPER_SPECS, receiptHtml, type ReceiptsConfig } from '../station/receipts';
import type { ReceiptView } from '../shared/domain';
import { choosePrinter, printFailure, printOptionsFor, PrinterStatusTracker, receiptsConfigOf, type PrinterChoice } from './printing';

export const RECEIPT_SILENT_PRINT_PARTITION = 'receipt-silent-print';
/** The list of printers is asked again at most this often (it costs a spooler round trip). */
const LIST_MAX_AGE_MS = 30_000;
const PRINT_TIMEOUT_MS = 60_000;

export type SilentPrintResult = { ok: true; printer: string; copies: number } | { ok: false; message: string };

function hiddenWindow(width: number, javascript: boolean): BrowserWindow {
  return new BrowserWindow({
    show: false,
    width,
    height: 800,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      javascript,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
      partition: RECEIPT_SILENT_PRINT_PARTITION,
    },
  });
}

export class ElectronReceiptPrinter {
  readonly status: PrinterStatusTracker;
  private listedAt = 0;
  private lastList: PrinterInfo[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** the core's settings as of the last print (null before it: the config file's) */
  private chosen: PrintSettingsView | null = null;

  constructor(private readonly settings: () => ReceiptsConfig) {
    this.status = new PrinterStatusTracker(settings());
  }

  /** The system's printers (for IT's choice), and the configured one's state from them. */
  async printers(): Promise<PrinterInfo[]> {
    const win = hiddenWindow(400, false);
    try {
      const list = await win.webContents.getPrintersAsync();
      this.lastList = list.map((p) => ({ name: p.name, displayName: p.displayName, description: p.description }));
      this.listedAt = Date.now();
      this.status.listed(choosePrinter(this.chosen ? (this.chosen.printer ?? undefined) : this.settings().printer, this.lastList));
      return this.lastList;
    } finally {
      win.destroy();
    }
  }

  /** The printer's state, looking at the system's list again when the last look is old. */
  async currentStatus() {
    if (Date.now() - this.listedAt > LIST_MAX_AGE_MS) await this.printers().catch(() => undefined);
    return this.status.current();
  }

  /** One slip at a time: two quick F9s print two slips, in order, never interleaved. */
  print(outcome: { receipt: ReceiptView; settings: PrintSettingsView }): Promise<SilentPrintResult> {
    // The core's settings (the admin's choice over the config file) win; keepDays is the file's.
    this.chosen = outcome.settings;
    const settings: ReceiptsConfig = { keepDays: this.settings().keepDays, ...receiptsConfigOf(outcome.settings) };
    this.status.configure(settings);
    const job = this.queue.then(() => this.printNow(receiptHtml(outcome.receipt, { paper: settings.paper }), settings));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** 打印测试页: one copy of the core's page, queued like a slip. */
  printTestPage(page: { html: string; settings: PrintSettingsView }): Promise<SilentPrintResult> {
    const settings: ReceiptsConfig = { keepDays: this.settings().keepDays, ...receiptsConfigOf(page.settings), copies: 1 };
    const job = this.queue.then(() => this.printNow(page.html, settings));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** A page the core rendered (交班单, 日结单), on the admin's settings with their copies. */
  printPage(page: { html: string; settings: PrintSettingsView }): Promise<SilentPrintResult> {
    const settings: ReceiptsConfig = { keepDays: this.settings().keepDays, ...receiptsConfigOf(page.settings) };
    const job = this.queue.then(() => this.printNow(page.html, settings));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async printNow(html: string, settings: ReceiptsConfig): Promise<SilentPrintResult> {
    const choice: PrinterChoice = choosePrinter(settings.printer, await this.printers());
    if (!choice.ok) return { ok: false, message: choice.message };
    const spec = PAPER_SPECS[settings.paper];
    const roll = spec.heightMicrons === null;
    // The window is as wide as the paper at 96 dpi, so the roll slip lays out as it will print.
    const win = hiddenWindow(Math.ceil((spec.widthMicrons / 25_400) * 96), roll);
    try {
      await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      const height = roll ? await this.measure(win) : null;
      const options = printOptionsFor(settings, choice.deviceName, height);
      const failure = await new Promise<string | null>((resolve) => {
        const timer = setTimeout(() => resolve('Print job failed (timeout)'), PRINT_TIMEOUT_MS);
        win.webContents.print(options, (success, reason) => {
          clearTimeout(timer);
          resolve(success ? null : reason);
        });
      });
      if (failure === null) {
        this.status.printed();
        return { ok: true, printer: choice.label, copies: settings.copies };
      }
      const { state, message } = printFailure(failure);
      this.status.failed(state, message);
      return { ok: false, message };
    } catch (cause) {
      const { state, message } = printFailure(cause instanceof Error ? cause.message : String(cause));
      this.status.failed(state, message);
      return { ok: false, message };
    } finally {
      if (!win.isDestroyed()) win.destroy();
    }
  }

  /** The slip's height in CSS px after layout, or null (the page falls back to an A4 length). */
  private async measure(win: BrowserWindow): Promise<number | null> {
    try {
      const height: unknown = await win.webContents.executeJavaScript('document.documentElement.scrollHeight', false);
      return typeof height === 'number' ? height : null;
    } catch {
      return null;
    }
  }
}
