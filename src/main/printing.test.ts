import { describe, expect, it } from 'vitest';
import { choosePrinter, PrinterStatusTracker, printFailure, printOptionsFor, receiptsConfigOf } from './printing';

const printers = [
  { name: 'XP-80C', displayName: 'XP-80C', description: '热敏' },
  { name: 'HP_LaserJet_M1136', displayName: 'HP LaserJet M1136', description: '' },
];

describe('choosePrinter', () => {
  it('takes the configured printer by its system name, or by its name or display name in another case', () => {
    expect(choosePrinter('XP-80C', printers)).toEqual({ ok: true, deviceName: 'XP-80C', label: 'XP-80C' });
    expect(choosePrinter('xp-80c', printers)).toEqual({ ok: true, deviceName: 'XP-80C', label: 'XP-80C' });
    expect(choosePrinter('hp laserjet m1136', printers)).toEqual({ ok: true, deviceName: 'HP_LaserJet_M1136', label: 'HP LaserJet M1136' });
  });

  it('leaves the device out (the system default) when none is configured', () => {
    expect(choosePrinter(undefined, printers)).toEqual({ ok: true, deviceName: undefined, label: '系统默认打印机' });
  });

  it('says which printers there are when the configured one is not among them, and when there is none at all', () => {
    expect(choosePrinter('XP-58', printers)).toEqual({
      ok: false,
      message: '未找到打印机“XP-58”（系统中有：XP-80C、HP_LaserJet_M1136）：请检查配置 receipts.printer',
    });
    expect(choosePrinter(undefined, [])).toEqual({ ok: false, message: '系统中没有打印机：请先安装收费窗口的打印机' });
  });
});

describe('printOptionsFor', () => {
  it('prints an A5 slip silently on A5 with the CSS margins', () => {
    expect(printOptionsFor({ paper: 'A5', copies: 1 }, 'HP_LaserJet_M1136', 2000)).toEqual({
      silent: true,
      printBackground: true,
      color: false,
      copies: 1,
      deviceName: 'HP_LaserJet_M1136',
      pageSize: { width: 148_000, height: 210_000 },
      margins: { marginType: 'default' },
    });
  });

  it('prints a roll slip as long as it measured, no margins, and leaves the device out for the default printer', () => {
    const options = printOptionsFor({ paper: '80mm', copies: 2 }, undefined, 960);
    expect(options).toEqual({
      silent: true,
      printBackground: true,
      color: false,
      copies: 2,
      pageSize: { width: 80_000, height: 266_000 },
      margins: { marginType: 'none' },
    });
    expect('deviceName' in options).toBe(false);
  });
});

describe('printFailure', () => {
  it.each([
    ['Invalid deviceName provided', 'missing', '打印机不可用（已删除、改名或未连接）：请检查打印机与配置 receipts.printer'],
    ['No valid printers available', 'missing', '打印机不可用（已删除、改名或未连接）：请检查打印机与配置 receipts.printer'],
    ['Print job canceled', 'error', '打印已取消'],
    ['Invalid printer settings', 'error', '打印机不支持所选纸张或设置：请检查配置 receipts.paper 与打印机驱动的纸张设置'],
    ['Print job failed', 'error', '打印失败：请检查打印机是否脱机、缺纸或卡纸，然后按 F9 重新打印'],
    ['', 'error', '打印失败（原因未知）：请检查打印机后按 F9 重新打印'],
    ['something new', 'error', '打印失败（something new）：请检查打印机后按 F9 重新打印'],
  ])('%j → %s', (reason, state, message) => {
    expect(printFailure(reason)).toEqual({ state, message });
  });
});

describe('PrinterStatusTracker', () => {
  const at = new Date('2026-12-04T07:00:00.000Z');

  it('starts unknown with the configured printer and paper, then follows the list and the prints', () => {
    const t = new PrinterStatusTracker({ printer: 'XP-80C', paper: '80mm' }, () => at);
    expect(t.current()).toEqual({ state: 'unknown', printer: 'XP-80C', paper: '80 mm 热敏卷纸', message: null, at: null });
    t.listed(choosePrinter('XP-80C', printers));
    expect(t.current()).toMatchObject({ state: 'ok', message: null, at: at.toISOString() });
    t.failed('error', '打印已取消');
    // A look at the list does not hide a failed print: the printer may be listed and still out of paper.
    t.listed(choosePrinter('XP-80C', printers));
    expect(t.current()).toMatchObject({ state: 'error', message: '打印已取消' });
    t.printed();
    expect(t.current()).toMatchObject({ state: 'ok', message: null });
    t.listed(choosePrinter('XP-80C', []));
    expect(t.current()).toMatchObject({ state: 'missing', message: '系统中没有打印机：请先安装收费窗口的打印机' });
  });

  it('names the system default printer as null', () => {
    expect(new PrinterStatusTracker({ printer: undefined, paper: 'A5' }).current()).toMatchObject({
      printer: null,
      paper: 'A5 纸（148×210 mm）',
    });
  });

  it("follows the settings the core hands with a print: the admin's printer and paper, or the system default", () => {
    const t = new PrinterStatusTracker({ printer: 'FROM-FILE', paper: 'A5' }, () => at);
    const base = { source: 'station', updatedBy: 'admin', updatedAt: null } as const;
    t.configure(receiptsConfigOf({ ...base, printer: 'XP-80C', paper: '80mm', copies: 2 }));
    expect(t.current()).toMatchObject({ printer: 'XP-80C', paper: '80 mm 热敏卷纸' });
    t.configure(receiptsConfigOf({ ...base, printer: null, paper: '58mm', copies: 1 }));
    expect(t.current()).toMatchObject({ printer: null, paper: '58 mm 热敏卷纸' });
    expect(receiptsConfigOf({ ...base, printer: null, paper: '58mm', copies: 1 })).toEqual({ paper: '58mm', copies: 1 });
  });
});
