/**
 * The shell's receipt printer as the page reaches it: `window.stationPrinter`, exposed by the Electron preload.
 * Absent in a browser (the loopback host): the slip then prints through the browser's dialog, window.print().
 * Every answer is checked against the shared schema; one that does not fit is a failure, never trusted.
 */
import {
  PrinterAnswerSchemas,
  type PrinterListAnswer,
  type PrinterStatus,
  type PrintReceiptAnswer,
  type PrintSlipInput,
  type StationPrinterApi,
} from '../../../shared/printing';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in a plain browser. */
    readonly stationPrinter?: StationPrinterApi;
  }
}

export interface PrinterBridge {
  printReceipt(orderId: string): Promise<PrintReceiptAnswer>;
  /** null when the shell cannot say (refused, or an answer that does not fit) */
  status(): Promise<PrinterStatus | null>;
  printers(): Promise<PrinterListAnswer>;
  printTestPage(): Promise<PrintReceiptAnswer>;
  printSlip(input: PrintSlipInput): Promise<PrintReceiptAnswer>;
}

/** Sent on window after each silent print, so the status bar shows its outcome at once. */
export const PRINTED_EVENT = 'station:receipt-printed';

const NO_ANSWER = '打印服务没有有效答复，请重试或联系信息科';

async function settle(work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch {
    return undefined;
  }
}

/** The bridge over `host.stationPrinter`, or null when the page runs outside the shell. */
export function printerBridge(host: { readonly stationPrinter?: StationPrinterApi | undefined }): PrinterBridge | null {
  const api = host.stationPrinter;
  if (!api) return null;
  return {
    async printReceipt(orderId) {
      const answer = PrinterAnswerSchemas.printReceipt.safeParse(await settle(() => api.printReceipt({ orderId })));
      return answer.success ? answer.data : { ok: false, message: NO_ANSWER };
    },
    async status() {
      const answer = PrinterAnswerSchemas.status.safeParse(await settle(() => api.status()));
      return answer.success && !('ok' in answer.data) ? answer.data : null;
    },
    async printTestPage() {
      const answer = PrinterAnswerSchemas.printReceipt.safeParse(await settle(() => api.printTestPage()));
      return answer.success ? answer.data : { ok: false, message: NO_ANSWER };
    },
    async printSlip(input) {
      const answer = PrinterAnswerSchemas.printReceipt.safeParse(await settle(() => api.printSlip(input)));
      return answer.success ? answer.data : { ok: false, message: NO_ANSWER };
    },
    async printers() {
      const answer = PrinterAnswerSchemas.list.safeParse(await settle(() => api.printers()));
      return answer.success ? answer.data : { ok: false, message: NO_ANSWER };
    },
  };
}

/** 打印测试页 through the Electron shell; null outside it (the page then says how to print one from the system). */
export async function printTestPageInShell(host: {
  readonly stationPrinter?: StationPrinterApi | undefined;
}): Promise<{ ok: string } | { warn: string } | null> {
  const bridge = printerBridge(host);
  if (!bridge) return null;
  const r = await bridge.printTestPage();
  return r.ok ? { ok: `测试页已发送到打印机：${r.printer}` } : { warn: r.message };
}

const SLIP_NAMES: Record<PrintSlipInput['kind'], string> = {
  shift: '交班单',
  day: '日结单',
  'stay-voucher': '住院结算单',
  'deposit-refund': '退款凭证',
  'midstay-voucher': '中途结算单',
};

/**
 * 交班单 / 日结单 / 住院结算单 / 预交金退款凭证 through the Electron shell, silently on the window's printer like the receipt; null outside it
 * (the core then prints them itself where it has a printer — CUPS on the loopback host).
 */
export async function printSlipInShell(
  host: { readonly stationPrinter?: StationPrinterApi | undefined },
  input: PrintSlipInput,
): Promise<{ ok: string } | { warn: string } | null> {
  const bridge = printerBridge(host);
  if (!bridge) return null;
  const r = await bridge.printSlip(input);
  const what = SLIP_NAMES[input.kind];
  return r.ok ? { ok: `${what}已发送到打印机：${r.printer}` } : { warn: `${what}未打印：${r.message}` };
}

/** The status bar's words and tone for the printer's state. */
export function printerBadge(status: PrinterStatus): { label: string; tone: 'ok' | 'warn' | 'danger' | 'neutral'; tooltip: string } {
  const name = status.printer ?? '系统默认打印机';
  const tooltip = [`${name} · ${status.paper}`, status.message].filter(Boolean).join('\n');
  switch (status.state) {
    case 'ok':
      return { label: '打印机 就绪', tone: 'ok', tooltip };
    case 'missing':
      return { label: '打印机 未找到', tone: 'danger', tooltip };
    case 'error':
      return { label: '打印机 打印失败', tone: 'danger', tooltip };
    case 'unknown':
      return { label: '打印机 未检测', tone: 'neutral', tooltip };
  }
}
