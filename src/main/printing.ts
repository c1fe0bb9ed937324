/**
 * The shell's printing decisions, kept pure so they are unit-tested without the Electron binary
 * (receipt-print-electron.ts makes the calls): which printer, which page and margins, what a failure means to a
 * cashier, and the printer's state for the status bar.
 */
import type { PrinterInfo, PrinterStatus, PrintSettingsView } from '../shared/printing';
import { pageSizeFor, PAPER_SPECS, type ReceiptsConfig } from '../station/receipts';

export type PrinterChoice = { ok: true; deviceName: string | undefined; label: string } | { ok: false; message: string };

/**
 * The configured printer by its system name (exact, else the one whose name or display name differs only in case),
 * or — none configured — the system's default printer (Electron prints there when deviceName is left out).
 */
export function choosePrinter(configured: string | undefined, printers: readonly PrinterInfo[]): PrinterChoice {
  if (printers.length === 0) return { ok: false, message: '系统中没有打印机：请先安装收费窗口的打印机' };
  if (configured === undefined) return { ok: true, deviceName: undefined, label: '系统默认打印机' };
  const exact = printers.find((p) => p.name === configured);
  const wanted = configured.toLocaleLowerCase();
  const found = exact ?? printers.find((p) => p.name.toLocaleLowerCase() === wanted || p.displayName.toLocaleLowerCase() === wanted);
  if (found) return { ok: true, deviceName: found.name, label: found.displayName || found.name };
  const names = printers.map((p) => p.name).join('、');
  return { ok: false, message: `未找到打印机“${configured}”（系统中有：${names}）：请检查配置 receipts.printer` };
}

/** The core's print settings as the shell's printing rules take them (null printer: the system's default). */
export function receiptsConfigOf(settings: PrintSettingsView): Pick<ReceiptsConfig, 'printer' | 'paper' | 'copies'> {
  return { ...(settings.printer === null ? {} : { printer: settings.printer }), paper: settings.paper, copies: settings.copies };
}

/** Electron's print options for a slip: silent, the paper's page (a roll as long as the slip), copies. */
export function printOptionsFor(
  settings: Pick<ReceiptsConfig, 'paper' | 'copies'>,
  deviceName: string | undefined,
  contentHeightPx: number | null,
) {
  const roll = PAPER_SPECS[settings.paper].heightMicrons === null;
  return {
    silent: true,
    printBackground: true,
    color: false,
    copies: settings.copies,
    ...(deviceName === undefined ? {} : { deviceName }),
    pageSize: pageSizeFor(settings.paper, contentHeightPx),
    // A roll's slip carries its own side margins (laid out in the head's reach); a sheet keeps the CSS @page margins.
    margins: { marginType: roll ? ('none' as const) : ('default' as const) },
  };
}

/** Electron's failure reasons (print callback) in a cashier's words; `missing` when the printer itself is the problem. */
export function printFailure(reason: string): { state: 'missing' | 'error'; message: string } {
  const r = reason.toLowerCase();
  if (r.includes('invalid devicename') || r.includes('no valid printers')) {
    return { state: 'missing', message: '打印机不可用（已删除、改名或未连接）：请检查打印机与配置 receipts.printer' };
  }
  if (r.includes('cancel')) return { state: 'error', message: '打印已取消' };
  if (r.includes('invalid printer settings')) {
    return { state: 'error', message: '打印机不支持所选纸张或设置：请检查配置 receipts.paper 与打印机驱动的纸张设置' };
  }
  if (r.includes('fail')) return { state: 'error', message: '打印失败：请检查打印机是否脱机、缺纸或卡纸，然后按 F9 重新打印' };
  return { state: 'error', message: `打印失败（${reason || '原因未知'}）：请检查打印机后按 F9 重新打印` };
}

/** The printer's state for the status bar: set by each look at the system's list and by each print. */
export class PrinterStatusTracker {
  private status: PrinterStatus;

  constructor(
    settings: Pick<ReceiptsConfig, 'printer' | 'paper'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.status = {
      state: 'unknown',
      printer: settings.printer ?? null,
      paper: PAPER_SPECS[settings.paper].label,
      message: null,
      at: null,
    };
  }

  current(): PrinterStatus {
    return { ...this.status };
  }

  /** The settings the core handed with a print (the admin may have chosen another printer or paper since start). */
  configure(settings: Pick<ReceiptsConfig, 'printer' | 'paper'>): void {
    this.status = { ...this.status, printer: settings.printer ?? null, paper: PAPER_SPECS[settings.paper].label };
  }

  /** After a look at the system's printers: found is ok, not found is missing. A failed print stays until the next print. */
  listed(choice: PrinterChoice): void {
    if (!choice.ok) this.set('missing', choice.message);
    else if (this.status.state !== 'error') this.set('ok', null);
  }

  printed(): void {
    this.set('ok', null);
  }

  failed(state: 'missing' | 'error', message: string): void {
    this.set(state, message);
  }

  private set(state: PrinterStatus['state'], message: string | null): void {
    this.status = { ...this.status, state, message, at: this.now().toISOString() };
  }
}
