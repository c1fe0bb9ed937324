/**
 * The station's side of printing slips (issue 12, item 4): the print settings (the admin's choice over the
 * config file), the system's printers as the core sees them, and each print of a slip — counted, so the second
 * and later ones say 补打 with their time, and audited with who printed. Where the core has a printer of its own
 * (CUPS, loopback host on Linux) it prints here; otherwise it hands the marked slip and the settings to whoever
 * prints (the Electron shell's main process, or the browser's kiosk printing).
 */
import type { ReceiptView, SignedInOperator } from '../../shared/domain';
import type { PrintSettingsInput, PrintSettingsView, SystemPrintersView } from '../../shared/printing';
import { StationError } from '../../shared/result';
import type { AuditRepo, Db } from '../store';
import type { ReceiptsConfig } from './print-settings';
import { PrintSettingsStore } from './print-settings-store';
import { receiptHtml } from './receipt-html';
import { ReceiptPrintsRepo } from './receipt-prints';
import { receiptTestPageHtml } from './receipt-test-page';
import type { SystemPrinterPort } from './system-printer';

export interface ReceiptPrintOutcome {
  /** the slip as printed: printedAt is this print's time, reprint set from the second print on */
  receipt: ReceiptView;
  settings: PrintSettingsView;
  /** printed by the core (CUPS); null: the caller prints it (Electron shell, browser) */
  printed: { printer: string; copies: number } | null;
}

export interface ReceiptServiceDeps {
  db: Db;
  audit: AuditRepo;
  config: () => Pick<ReceiptsConfig, 'printer' | 'paper' | 'copies'>;
  /** the slip of a settled order, as getReceipt shows it (throws for an order that is not settled) */
  receiptOf: (orderId: string) => ReceiptView;
  system: SystemPrinterPort | null;
  stationId: string;
  now: () => Date;
}

const NO_CORE_PRINTER: SystemPrintersView = {
  source: 'none',
  printers: [],
  defaultPrinter: null,
  message: '本机未接入 CUPS 打印服务：结算单由浏览器静默打印到系统默认打印机，纸张与份数以打印机驱动的设置为准',
};

/** `printed` null: the core has no printer of its own; `html` is the page for the caller to print. */
export interface PagePrintOutcome {
  printed: { printer: string; copies: number } | null;
  html: string;
  settings: PrintSettingsView;
}

export class ReceiptService {
  private readonly prints: ReceiptPrintsRepo;
  private readonly store: PrintSettingsStore;

  constructor(private readonly deps: ReceiptServiceDeps) {
    this.prints = new ReceiptPrintsRepo(deps.db);
    this.store = new PrintSettingsStore(deps.db, deps.config, deps.audit);
  }

  settings(): PrintSettingsView {
    return this.store.current();
  }

  saveSettings(operator: SignedInOperator, input: PrintSettingsInput): PrintSettingsView {
    return this.store.save(operator.id, input, this.deps.now());
  }

  async systemPrinters(): Promise<SystemPrintersView> {
    return this.deps.system ? this.deps.system.list() : NO_CORE_PRINTER;
  }

  /** The slip marked as the print it is (first, or 补打), recorded and audited before it goes to a printer. */
  async print(operator: SignedInOperator, orderId: string): Promise<ReceiptPrintOutcome> {
    const base = this.deps.receiptOf(orderId);
    // The refund slip is a document of its own: its first print is an original, not a 补打 of the settlement slip.
    const { printNo, at } = this.prints.record(base.refund ? `${orderId}:refund` : orderId, operator.id, this.deps.now());
    const receipt: ReceiptView = { ...base, printedAt: at, reprint: printNo > 1 ? { printNo } : null };
    this.deps.audit.append(
      {
        operatorId: operator.id,
        action: printNo > 1 ? 'receipt.reprinted' : 'receipt.printed',
        outcome: 'ok',
        detail: `${receipt.hisOrderNo} 第${printNo}次打印`,
      },
      new Date(at),
    );
    const settings = this.settings();
    const system = await this.usableSystem(settings);
    if (!system) return { receipt, settings, printed: null };
    const printed = await systemPrint(
      system,
      receiptHtml(receipt, { paper: settings.paper }),
      settings,
      `${receipt.title} ${receipt.hisOrderNo}`,
    );
    return { receipt, settings, printed };
  }

  /** Another page on the slip printer (交班单, 日结单): laid out for the chosen paper, printed by the core when it can. */
  async printPage(render: (paper: PrintSettingsView['paper']) => string, title: string): Promise<PagePrintOutcome> {
    const settings = this.settings();
    const html = render(settings.paper);
    const system = await this.usableSystem(settings);
    if (!system) return { printed: null, html, settings };
    return { printed: await systemPrint(system, html, settings, title), html, settings };
  }

  async printTestPage(): Promise<{ printed: { printer: string; copies: number } | null; html: string; settings: PrintSettingsView }> {
    const settings = this.settings();
    const html = receiptTestPageHtml(settings, this.deps.stationId, this.deps.now());
    const system = await this.usableSystem(settings);
    if (!system) return { printed: null, html, settings };
    return { printed: await systemPrint(system, html, { ...settings, copies: 1 }, '打印测试页'), html, settings };
  }

  /**
   * The core prints when it knows where: a printer chosen by name, or a system default. A PC whose CUPS has
   * neither (a trainer's laptop) leaves the print to the browser (kiosk printing), as without CUPS.
   */
  private async usableSystem(settings: PrintSettingsView): Promise<SystemPrinterPort | null> {
    const system = this.deps.system;
    if (!system) return null;
    if (settings.printer !== null) return system;
    return (await system.list()).defaultPrinter !== null ? system : null;
  }
}

async function systemPrint(system: SystemPrinterPort, html: string, settings: PrintSettingsView, title: string) {
  try {
    return await system.print({ html, paper: settings.paper, printer: settings.printer, copies: settings.copies, title });
  } catch (e) {
    throw new StationError('DEVICE_ERROR', `打印失败：${e instanceof Error ? e.message : String(e)}；请检查打印机后重新打印`);
  }
}
