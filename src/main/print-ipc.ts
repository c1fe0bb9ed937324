/**
 * The shell's printer channels (src/shared/printing.ts): the system's printers for IT, the printer's state for the
 * status bar, and a silent print of an order's slip. Same rule as the station's channels (ipc-bridge.ts): only our
 * app:// main frame, exactly one argument, validated with zod. The slip is fetched in the window's own session
 * (printReceipt, with its role check), never taken from the page, so a page cannot print what it likes.
 *
 * Electron is reached through structural types, so this is unit-tested with fakes.
 */
import type { OperationName } from '../shared/api';
import type { OperationOutputs } from '../shared/api';
import {
  PRINTER_CHANNELS,
  PrintReceiptInputSchema,
  PrintSlipInputSchema,
  type PrinterInfo,
  type PrintSlipInput,
  type PrinterListAnswer,
  type PrinterStatus,
  type PrinterStatusAnswer,
  type PrintReceiptAnswer,
} from '../shared/printing';
import type { Disposable } from '../station/api/core-contract';
import type { BridgeInvokeEvent, BridgeLogger, BridgeWebContents } from './ipc-bridge';
import { isTrustedSender } from './policy';

export interface PrintIpcMain {
  handle(channel: string, listener: (event: BridgeInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface ReceiptPrinterPort {
  printers(): Promise<PrinterInfo[]>;
  currentStatus(): Promise<PrinterStatus>;
  /** the slip as the core marked this print (补打 from the second on), on the settings the core holds */
  print(outcome: OperationOutputs['printReceipt']): Promise<PrintReceiptAnswer>;
  /** one copy of the core's test page on the core's settings */
  printTestPage(page: OperationOutputs['printTestPage']): Promise<PrintReceiptAnswer>;
  /** a page the core rendered (交班单, 日结单, 住院结算单, 预交金退款凭证) on the core's settings, its copies */
  printPage(page: OperationOutputs['printShiftSlip']): Promise<PrintReceiptAnswer>;
}

export interface WindowDispatch {
  dispatchFor(
    sender: BridgeWebContents,
    op: OperationName,
    input: unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>;
}

const REFUSED = { ok: false, message: '请求来源不可信' } as const;

export function registerPrintIpc(
  ipc: PrintIpcMain,
  printer: ReceiptPrinterPort,
  station: WindowDispatch,
  log: BridgeLogger = console,
): Disposable {
  function trusted(event: BridgeInvokeEvent, channel: string): boolean {
    const frame = event.senderFrame;
    const ok = isTrustedSender(frame?.url, frame !== null && frame.parent === null);
    if (!ok) log.warn(`[ipc] refused ${channel} from untrusted frame ${frame?.url ?? '(gone)'} of webContents ${event.sender.id}`);
    return ok;
  }

  ipc.handle(PRINTER_CHANNELS.list, async (event, ...args): Promise<PrinterListAnswer> => {
    if (!trusted(event, PRINTER_CHANNELS.list)) return REFUSED;
    if (args.length !== 1 || args[0] !== undefined) return { ok: false, message: '参数错误' };
    try {
      return { ok: true, printers: await printer.printers() };
    } catch (cause) {
      log.error('[print] listing printers failed', cause);
      return { ok: false, message: '无法读取系统打印机列表' };
    }
  });

  ipc.handle(PRINTER_CHANNELS.status, async (event, ...args): Promise<PrinterStatusAnswer> => {
    if (!trusted(event, PRINTER_CHANNELS.status)) return REFUSED;
    if (args.length !== 1 || args[0] !== undefined) return { ok: false, message: '参数错误' };
    return printer.currentStatus();
  });

  ipc.handle(PRINTER_CHANNELS.printReceipt, async (event, ...args): Promise<PrintReceiptAnswer> => {
    if (!trusted(event, PRINTER_CHANNELS.printReceipt)) return REFUSED;
    const input = PrintReceiptInputSchema.safeParse(args.length === 1 ? args[0] : undefined);
    if (!input.success) return { ok: false, message: '参数错误' };
    // printReceipt counts the print (a second one is marked 补打) and audits who printed; the core has no printer
    // of its own in the shell, so it hands back the slip and the admin's settings for this process to print.
    const receipt = await station.dispatchFor(event.sender, 'printReceipt', input.data);
    if (!receipt.ok) return { ok: false, message: receipt.error.message };
    try {
      // The core's own answer (its contract: OperationOutputs['printReceipt']), relayed after the relay's zod check.
      return await printer.print(receipt.value as OperationOutputs['printReceipt']);
    } catch (cause) {
      log.error('[print] printing a slip failed', cause);
      return { ok: false, message: '打印失败：内部错误' };
    }
  });

  ipc.handle(PRINTER_CHANNELS.testPage, async (event, ...args): Promise<PrintReceiptAnswer> => {
    if (!trusted(event, PRINTER_CHANNELS.testPage)) return REFUSED;
    if (args.length !== 1 || args[0] !== undefined) return { ok: false, message: '参数错误' };
    // The page comes from the core, for an administrator's session only: a window cannot print HTML of its own.
    const page = await station.dispatchFor(event.sender, 'printTestPage', {});
    if (!page.ok) return { ok: false, message: page.error.message };
    const value = page.value as OperationOutputs['printTestPage'];
    if (value.printed) return { ok: true, ...value.printed };
    try {
      return await printer.printTestPage(value);
    } catch (cause) {
      log.error('[print] printing the test page failed', cause);
      return { ok: false, message: '打印失败：内部错误' };
    }
  });

  ipc.handle(PRINTER_CHANNELS.printSlip, async (event, ...args): Promise<PrintReceiptAnswer> => {
    if (!trusted(event, PRINTER_CHANNELS.printSlip)) return REFUSED;
    const input = PrintSlipInputSchema.safeParse(args.length === 1 ? args[0] : undefined);
    if (!input.success) return { ok: false, message: '参数错误' };
    // The core renders the slip, checks who may print it and audits the print; a core with a printer of its own
    // (CUPS) has printed it already, else this process prints what it rendered.
    const slip = await dispatchSlip(station, event.sender, input.data);
    if (!slip.ok) return { ok: false, message: slip.error.message };
    const value = slip.value as OperationOutputs['printShiftSlip'];
    if (value.printed) return { ok: true, ...value.printed };
    try {
      return await printer.printPage(value);
    } catch (cause) {
      log.error(`[print] printing a ${input.data.kind} slip failed`, cause);
      return { ok: false, message: '打印失败：内部错误' };
    }
  });

  return {
    dispose() {
      for (const channel of Object.values(PRINTER_CHANNELS)) ipc.removeHandler(channel);
    },
  };
}

/** The core's operation that renders (and audits) each kind of slip; every one answers with the same page shape. */
function dispatchSlip(station: WindowDispatch, sender: BridgeWebContents, input: PrintSlipInput) {
  switch (input.kind) {
    case 'shift':
      return station.dispatchFor(sender, 'printShiftSlip', { shiftId: input.shiftId });
    case 'day':
      return station.dispatchFor(sender, 'printDaySlip', input.day ? { day: input.day } : {});
    case 'stay-voucher':
      return station.dispatchFor(sender, 'printStayVoucher', { stayId: input.stayId });
    case 'deposit-refund':
      return station.dispatchFor(sender, 'printDepositRefundSlip', { stayId: input.stayId });
    case 'midstay-voucher':
      return station.dispatchFor(sender, 'printMidstayVoucher', { stayId: input.stayId, setlId: input.setlId });
  }
}
