import { describe, expect, it, vi } from 'vitest';
import type { OperationName } from '../shared/api';
import type { ReceiptView } from '../shared/domain';
import { PRINTER_CHANNELS, PrinterAnswerSchemas, type PrinterStatus, type PrintSettingsView } from '../shared/printing';
import { sampleReceipt } from '../station/receipts/testing/sample-receipt';
import type { BridgeInvokeEvent, BridgeWebContents } from './ipc-bridge';
import { registerPrintIpc, type PrintIpcMain, type ReceiptPrinterPort, type WindowDispatch } from './print-ipc';

type Handler = Parameters<PrintIpcMain['handle']>[1];

class FakeIpcMain implements PrintIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: BridgeInvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

const sender: BridgeWebContents = { id: 7, isDestroyed: () => false, send: () => undefined, once: () => undefined };
const fromApp: BridgeInvokeEvent = { sender, senderFrame: { url: 'app://station/index.html', parent: null } };
const fromElsewhere: BridgeInvokeEvent = { sender, senderFrame: { url: 'https://evil.example/', parent: null } };
const fromSubframe: BridgeInvokeEvent = {
  sender,
  senderFrame: { url: 'app://station/x.html', parent: { url: 'app://station/index.html', parent: null } },
};
const status: PrinterStatus = { state: 'ok', printer: 'XP-80C', paper: '80 mm 热敏卷纸', message: null, at: '2026-12-04T07:00:00.000Z' };

const settings: PrintSettingsView = { printer: 'XP-80C', paper: '80mm', copies: 1, source: 'station', updatedBy: 'admin', updatedAt: null };
const outcome = { receipt: sampleReceipt(), settings, printed: null };

function setup(receipt: Awaited<ReturnType<WindowDispatch['dispatchFor']>> = { ok: true, value: outcome }) {
  const printed: ReceiptView[] = [];
  const printer: ReceiptPrinterPort = {
    printers: async () => [{ name: 'XP-80C', displayName: 'XP-80C', description: '' }],
    currentStatus: async () => status,
    printTestPage: async () => ({ ok: true, printer: 'XP-80C', copies: 1 }),
    printPage: async () => ({ ok: true, printer: 'XP-80C', copies: 1 }),
    print: async (o) => {
      printed.push(o.receipt);
      return { ok: true, printer: 'XP-80C', copies: 1 };
    },
  };
  const calls: { sender: BridgeWebContents; op: OperationName; input: unknown }[] = [];
  const station: WindowDispatch = {
    dispatchFor: async (s, op, input) => {
      calls.push({ sender: s, op, input });
      return receipt;
    },
  };
  const ipc = new FakeIpcMain();
  const log = { warn: vi.fn(), error: vi.fn() };
  const registration = registerPrintIpc(ipc, printer, station, log);
  return { ipc, printed, calls, log, registration };
}

describe('registerPrintIpc', () => {
  it('prints the slip the core gives for the order in the window’s own session, and answers in the shared schema', async () => {
    const { ipc, printed, calls } = setup();
    const answer = await ipc.invoke(PRINTER_CHANNELS.printReceipt, fromApp, { orderId: 'ord-000123' });
    expect(PrinterAnswerSchemas.printReceipt.parse(answer)).toEqual({ ok: true, printer: 'XP-80C', copies: 1 });
    expect(calls).toEqual([{ sender, op: 'printReceipt', input: { orderId: 'ord-000123' } }]);
    expect(printed.map((v) => v.orderId)).toEqual(['ord-000123']);
  });

  it('prints nothing when the core refuses the receipt (no such order, no right), and says why', async () => {
    const { ipc, printed } = setup({ ok: false, error: { message: '订单不存在' } });
    expect(await ipc.invoke(PRINTER_CHANNELS.printReceipt, fromApp, { orderId: 'nope' })).toEqual({ ok: false, message: '订单不存在' });
    expect(printed).toEqual([]);
  });

  it('refuses malformed input before asking the core: no order, extra fields, HTML instead of an order, two arguments', async () => {
    const { ipc, calls } = setup();
    for (const args of [[], [{}], [{ orderId: '' }], [{ orderId: 'x', html: '<h1>x</h1>' }], ['<h1>x</h1>'], [{ orderId: 'x' }, 2]]) {
      expect(await ipc.invoke(PRINTER_CHANNELS.printReceipt, fromApp, ...args), JSON.stringify(args)).toEqual({
        ok: false,
        message: '参数错误',
      });
    }
    expect(calls).toEqual([]);
  });

  it('answers only our app:// main frame, on every channel', async () => {
    const { ipc, calls, printed, log } = setup();
    for (const channel of Object.values(PRINTER_CHANNELS)) {
      for (const event of [fromElsewhere, fromSubframe, { sender, senderFrame: null }]) {
        expect(await ipc.invoke(channel, event, { orderId: 'ord-000123' })).toEqual({ ok: false, message: '请求来源不可信' });
      }
    }
    expect(calls).toEqual([]);
    expect(printed).toEqual([]);
    expect(log.warn).toHaveBeenCalledTimes(3 * Object.values(PRINTER_CHANNELS).length);
  });

  it('lists the system printers and the printer status for the status bar', async () => {
    const { ipc } = setup();
    expect(PrinterAnswerSchemas.list.parse(await ipc.invoke(PRINTER_CHANNELS.list, fromApp, undefined))).toEqual({
      ok: true,
      printers: [{ name: 'XP-80C', displayName: 'XP-80C', description: '' }],
    });
    expect(PrinterAnswerSchemas.status.parse(await ipc.invoke(PRINTER_CHANNELS.status, fromApp, undefined))).toEqual(status);
    expect(await ipc.invoke(PRINTER_CHANNELS.list, fromApp, 'x')).toEqual({ ok: false, message: '参数错误' });
  });

  it('removes its handlers on dispose', () => {
    const { ipc, registration } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.values(PRINTER_CHANNELS).sort());
    registration.dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('the test page channel', () => {
  const page = {
    html: '<!DOCTYPE html><title>打印测试页</title>',
    settings: { printer: 'XP-80C', paper: '80mm', copies: 2, source: 'station', updatedBy: 'admin', updatedAt: null } as PrintSettingsView,
  };

  it('prints the page the core made for this window’s session, and takes no argument from the page', async () => {
    const printedPages: unknown[] = [];
    const ipc = new FakeIpcMain();
    const calls: { op: OperationName; input: unknown }[] = [];
    const station: WindowDispatch = {
      dispatchFor: async (_s, op, input) => {
        calls.push({ op, input });
        return { ok: true, value: { ...page, printed: null } };
      },
    };
    const printer: ReceiptPrinterPort = {
      printers: async () => [],
      currentStatus: async () => status,
      print: async () => ({ ok: false, message: 'not this' }),
      printPage: async () => ({ ok: false, message: 'not this' }),
      printTestPage: async (p) => {
        printedPages.push(p);
        return { ok: true, printer: 'XP-80C', copies: 1 };
      },
    };
    registerPrintIpc(ipc, printer, station, { warn: vi.fn(), error: vi.fn() });
    expect(await ipc.invoke(PRINTER_CHANNELS.testPage, fromApp, '<h1>mine</h1>')).toEqual({ ok: false, message: '参数错误' });
    expect(calls).toEqual([]);
    expect(await ipc.invoke(PRINTER_CHANNELS.testPage, fromApp, undefined)).toEqual({ ok: true, printer: 'XP-80C', copies: 1 });
    expect(calls).toEqual([{ op: 'printTestPage', input: {} }]);
    expect(printedPages).toEqual([{ ...page, printed: null }]);
  });

  it('prints nothing when the core refuses (not an administrator)', async () => {
    const { ipc, printed } = setup({ ok: false, error: { message: '当前角色无权执行此操作' } });
    expect(await ipc.invoke(PRINTER_CHANNELS.testPage, fromApp, undefined)).toEqual({ ok: false, message: '当前角色无权执行此操作' });
    expect(printed).toEqual([]);
  });

  it('交班单 / 日结单 / 住院结算单 / 预交金退款凭证: the core renders and audits the slip for the window’s operator; this process prints it unless the core did', async () => {
    const page = { html: '<html><body>交班单</body></html>', settings: { ...settings, copies: 2 } };
    const pages: unknown[] = [];
    const calls: { op: OperationName; input: unknown }[] = [];
    let printedByCore: { printer: string; copies: number } | null = null;
    const station: WindowDispatch = {
      dispatchFor: async (_s, op, input) => {
        calls.push({ op, input });
        return { ok: true, value: { ...page, printed: printedByCore } };
      },
    };
    const printer: ReceiptPrinterPort = {
      printers: async () => [],
      currentStatus: async () => status,
      print: async () => ({ ok: false, message: 'not this' }),
      printTestPage: async () => ({ ok: false, message: 'not this' }),
      printPage: async (p) => {
        pages.push(p);
        return { ok: true, printer: 'XP-80C', copies: p.settings.copies };
      },
    };
    const ipc = new FakeIpcMain();
    registerPrintIpc(ipc, printer, station, { warn: vi.fn(), error: vi.fn() });
    const shiftId = '0b6f3c1e-8d1a-4a53-9a55-2f9d2c1b7e10';

    for (const bad of [
      undefined,
      { kind: 'shift' },
      { kind: 'shift', shiftId: 'x' },
      { kind: 'day', day: '4 Dec' },
      { kind: 'page', html: '<h1>mine</h1>' },
      { kind: 'stay-voucher', stayId: 'bed 12' },
      { kind: 'deposit-refund' },
      { kind: 'midstay-voucher', stayId: '5d1f0a7e-3c2b-4e8f-9a10-7b6c5d4e3f21', setlId: 'S 1' },
    ])
      expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, bad), JSON.stringify(bad)).toEqual({ ok: false, message: '参数错误' });
    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromElsewhere, { kind: 'day' })).toEqual({ ok: false, message: '请求来源不可信' });
    expect(calls).toEqual([]);

    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, { kind: 'shift', shiftId })).toEqual({
      ok: true,
      printer: 'XP-80C',
      copies: 2,
    });
    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, { kind: 'day', day: '2026-12-04' })).toEqual({
      ok: true,
      printer: 'XP-80C',
      copies: 2,
    });
    // The bedside's 住院结算单 and the window's 预交金退款凭证: the core's own operations, with their role checks.
    const stayId = '5d1f0a7e-3c2b-4e8f-9a10-7b6c5d4e3f21';
    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, { kind: 'stay-voucher', stayId })).toEqual({
      ok: true,
      printer: 'XP-80C',
      copies: 2,
    });
    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, { kind: 'deposit-refund', stayId })).toEqual({
      ok: true,
      printer: 'XP-80C',
      copies: 2,
    });
    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, { kind: 'midstay-voucher', stayId, setlId: 'S1' })).toEqual({
      ok: true,
      printer: 'XP-80C',
      copies: 2,
    });
    expect(calls).toEqual([
      { op: 'printShiftSlip', input: { shiftId } },
      { op: 'printDaySlip', input: { day: '2026-12-04' } },
      { op: 'printStayVoucher', input: { stayId } },
      { op: 'printDepositRefundSlip', input: { stayId } },
      { op: 'printMidstayVoucher', input: { stayId, setlId: 'S1' } },
    ]);
    expect(pages).toEqual([
      { ...page, printed: null },
      { ...page, printed: null },
      { ...page, printed: null },
      { ...page, printed: null },
      { ...page, printed: null },
    ]);
    // The core printed it itself (CUPS): nothing printed twice.
    printedByCore = { printer: 'cups-80', copies: 1 };
    expect(await ipc.invoke(PRINTER_CHANNELS.printSlip, fromApp, { kind: 'day' })).toEqual({ ok: true, printer: 'cups-80', copies: 1 });
    expect(pages).toHaveLength(5);
    expect(calls.at(-1)).toEqual({ op: 'printDaySlip', input: {} });
  });
});
