import { describe, expect, it } from 'vitest';
import type { PrinterStatus, StationPrinterApi } from '../../../shared/printing';
import { printerBadge, printerBridge, printSlipInShell, printTestPageInShell } from './printer-bridge';

const status: PrinterStatus = { state: 'ok', printer: 'XP-80C', paper: '80 mm 热敏卷纸', message: null, at: '2026-12-04T07:00:00.000Z' };

function shell(
  answers: { print?: unknown; status?: unknown; list?: unknown; testPage?: unknown; slip?: unknown },
  calls: unknown[] = [],
): { stationPrinter: StationPrinterApi } {
  return {
    stationPrinter: {
      printReceipt: async (input) => {
        calls.push(input);
        if (answers.print instanceof Error) throw answers.print;
        return answers.print;
      },
      status: async () => answers.status,
      printers: async () => answers.list,
      printTestPage: async () => answers.testPage,
      printSlip: async (input) => {
        calls.push(input);
        return answers.slip;
      },
    },
  };
}

describe('shift and day slips through the shell', () => {
  it('asks the shell for the slip by kind, says where it went or why not; nothing outside the shell; a misfit answer fails', async () => {
    const calls: unknown[] = [];
    const shiftId = '0b6f3c1e-8d1a-4a53-9a55-2f9d2c1b7e10';
    expect(await printSlipInShell(shell({ slip: { ok: true, printer: 'XP-80C', copies: 1 } }, calls), { kind: 'shift', shiftId })).toEqual({
      ok: '交班单已发送到打印机：XP-80C',
    });
    expect(await printSlipInShell(shell({ slip: { ok: false, message: '未找到打印机' } }, calls), { kind: 'day' })).toEqual({
      warn: '日结单未打印：未找到打印机',
    });
    expect(await printSlipInShell(shell({ slip: { ok: 'yes' } }), { kind: 'day' })).toEqual({
      warn: '日结单未打印：打印服务没有有效答复，请重试或联系信息科',
    });
    expect(await printSlipInShell({}, { kind: 'day' })).toBeNull();
    // The bedside's and the window's inpatient slips, named as the nurse and the cashier know them.
    const stayId = '5d1f0a7e-3c2b-4e8f-9a10-7b6c5d4e3f21';
    const printed = shell({ slip: { ok: true, printer: 'XP-80C', copies: 1 } }, calls);
    expect(await printSlipInShell(printed, { kind: 'stay-voucher', stayId })).toEqual({ ok: '住院结算单已发送到打印机：XP-80C' });
    expect(await printSlipInShell(printed, { kind: 'midstay-voucher', stayId, setlId: 'S1' })).toEqual({
      ok: '中途结算单已发送到打印机：XP-80C',
    });
    expect(await printSlipInShell(printed, { kind: 'deposit-refund', stayId })).toEqual({ ok: '退款凭证已发送到打印机：XP-80C' });
    expect(calls).toEqual([
      { kind: 'shift', shiftId },
      { kind: 'day' },
      { kind: 'stay-voucher', stayId },
      { kind: 'midstay-voucher', stayId, setlId: 'S1' },
      { kind: 'deposit-refund', stayId },
    ]);
  });
});

describe('the test page through the shell', () => {
  it('says which printer it went to, or why not; nothing outside the shell; an answer that does not fit is a failure', async () => {
    expect(await printTestPageInShell(shell({ testPage: { ok: true, printer: 'XP-80C', copies: 1 } }))).toEqual({
      ok: '测试页已发送到打印机：XP-80C',
    });
    expect(await printTestPageInShell(shell({ testPage: { ok: false, message: '当前角色无权执行此操作' } }))).toEqual({
      warn: '当前角色无权执行此操作',
    });
    expect(await printTestPageInShell(shell({ testPage: { ok: true } }))).toEqual({ warn: expect.stringContaining('没有有效答复') });
    expect(await printTestPageInShell({})).toBeNull();
  });
});

describe('printerBridge', () => {
  it('is absent in a browser page, which prints through its dialog', () => {
    expect(printerBridge({})).toBeNull();
  });

  it('asks the shell to print the order and passes its answer on', async () => {
    const calls: unknown[] = [];
    const bridge = printerBridge(shell({ print: { ok: true, printer: 'XP-80C', copies: 1 } }, calls))!;
    expect(await bridge.printReceipt('ord-1')).toEqual({ ok: true, printer: 'XP-80C', copies: 1 });
    expect(calls).toEqual([{ orderId: 'ord-1' }]);
    expect(await printerBridge(shell({ print: { ok: false, message: '打印已取消' } }))!.printReceipt('ord-1')).toEqual({
      ok: false,
      message: '打印已取消',
    });
  });

  it('turns an answer that does not fit, or a rejected call, into a failure, never a success', async () => {
    for (const print of [undefined, { ok: true }, { ok: 'yes', printer: 'x', copies: 1 }, 'ok', new Error('gone')]) {
      expect(await printerBridge(shell({ print }))!.printReceipt('ord-1'), JSON.stringify(print)).toEqual({
        ok: false,
        message: '打印服务没有有效答复，请重试或联系信息科',
      });
    }
  });

  it('reads the printer status and the system printers, and says nothing for a refusal or a malformed status', async () => {
    expect(await printerBridge(shell({ status }))!.status()).toEqual(status);
    expect(await printerBridge(shell({ status: { ok: false, message: '请求来源不可信' } }))!.status()).toBeNull();
    expect(await printerBridge(shell({ status: { ...status, state: 'on fire' } }))!.status()).toBeNull();
    const list = { ok: true, printers: [{ name: 'XP-80C', displayName: 'XP-80C', description: '' }] };
    expect(await printerBridge(shell({ list }))!.printers()).toEqual(list);
  });
});

describe('printerBadge', () => {
  it.each([
    ['ok', '打印机 就绪', 'ok'],
    ['missing', '打印机 未找到', 'danger'],
    ['error', '打印机 打印失败', 'danger'],
    ['unknown', '打印机 未检测', 'neutral'],
  ] as const)('%s → %s', (state, label, tone) => {
    expect(printerBadge({ ...status, state })).toMatchObject({ label, tone });
  });

  it('names the printer, the paper and the reason in the tooltip; the system default when none is configured', () => {
    expect(printerBadge({ ...status, state: 'error', message: '打印已取消' }).tooltip).toBe('XP-80C · 80 mm 热敏卷纸\n打印已取消');
    expect(printerBadge({ ...status, printer: null }).tooltip).toBe('系统默认打印机 · 80 mm 热敏卷纸');
  });
});
