/**
 * Issue 12, item 4 at the station's front door (a real training station on the loopback host): a slip's second
 * and later prints are marked 补打 with their time, the audit says who printed each, and the print settings are
 * the administrator's alone to change — validated, audited, and handed with every print.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntryView, OrderView } from '../shared/domain';
import type { OperationOutputs } from '../shared/api';
import type { PrintSettingsView } from '../shared/printing';
import { receiptHtml, REPRINT_MARK } from '../station/receipts';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import { ok, openOrder, scanCode, settle, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { connect, type TestClient } from '../../test/harness/ws-test-client';

type PrintOutcome = OperationOutputs['printReceipt'];

let h: OutpatientHarness;
let admin: TestClient;
beforeEach(async () => {
  h = await startOutpatientHarness();
  admin = await connect(h.host);
  ok(await admin.call('login', { login: 'admin', password: TRAINING_PASSWORD }));
});
afterEach(async () => {
  admin.close();
  await h.close();
});

/** An insured order settled and its cash share paid: a slip to print. */
async function completedOrder(): Promise<OrderView> {
  const order = await openOrder(h.c, '310');
  const settled = await settle(h.c, order.id);
  if (settled.state === 'completed') return settled;
  const wallet = h.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
  return ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
}

describe('reprints marked 补打', () => {
  it('the first print is the original; the second and third say 补打, their print number and time; the audit names who printed', async () => {
    const order = await completedOrder();
    expect(order.state).toBe('completed');

    const first = ok(await h.c.call<PrintOutcome>('printReceipt', { orderId: order.id }));
    expect(first.receipt.reprint).toBeNull();
    expect(first.printed).toBeNull(); // no printer of the core's own here: the caller prints
    expect(receiptHtml(first.receipt)).not.toContain(REPRINT_MARK);
    expect(receiptHtml(first.receipt)).toContain('打印时间');

    const second = ok(await h.c.call<PrintOutcome>('printReceipt', { orderId: order.id }));
    expect(second.receipt.reprint).toEqual({ printNo: 2 });
    expect(Date.parse(second.receipt.printedAt)).toBeGreaterThanOrEqual(Date.parse(first.receipt.printedAt));
    const html = receiptHtml(second.receipt, { paper: '80mm' });
    expect(html).toContain(`<div class="reprint-note" data-reprint="2">${REPRINT_MARK}</div>`);
    expect(html).toContain('补打时间');
    expect(html).toContain('第 2 次（补打）');

    const third = ok(await admin.call<PrintOutcome>('printReceipt', { orderId: order.id }));
    expect(third.receipt.reprint).toEqual({ printNo: 3 });

    const audit = ok(await admin.call<AuditEntryView[]>('listAudit', { limit: 50 })).filter((e) => e.action.startsWith('receipt.'));
    expect(audit.map((e) => [e.action, e.operatorId, e.detail]).reverse()).toEqual([
      ['receipt.printed', 'sf001', `${order.hisOrderNo} 第1次打印`],
      ['receipt.reprinted', 'sf001', `${order.hisOrderNo} 第2次打印`],
      ['receipt.reprinted', 'admin', `${order.hisOrderNo} 第3次打印`],
    ]);
    // A preview (getReceipt) is not a print: it neither counts nor marks.
    expect(ok(await h.c.call<{ reprint?: unknown }>('getReceipt', { orderId: order.id })).reprint).toBeUndefined();
  });

  it('an order not settled has no slip to print, and nothing is counted', async () => {
    const order = await openOrder(h.c, '310');
    expect(await h.c.call('printReceipt', { orderId: order.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const audit = ok(await admin.call<AuditEntryView[]>('listAudit', { limit: 50 }));
    expect(audit.filter((e) => e.action.startsWith('receipt.'))).toEqual([]);
  });
});

describe('the print settings', () => {
  it('come from station.config.json until an administrator saves a choice, which then prints with every slip', async () => {
    const before = ok(await h.c.call<PrintSettingsView>('getPrintSettings', {}));
    expect(before).toEqual({ printer: null, paper: 'A5', copies: 1, source: 'config', updatedBy: null, updatedAt: null });

    const saved = ok(await admin.call<PrintSettingsView>('setPrintSettings', { printer: 'XP-80C', paper: '80mm', copies: 2 }));
    expect(saved).toMatchObject({ printer: 'XP-80C', paper: '80mm', copies: 2, source: 'station', updatedBy: 'admin' });
    expect(ok(await h.c.call<PrintSettingsView>('getPrintSettings', {}))).toEqual(saved);

    const order = await completedOrder();
    expect(ok(await h.c.call<PrintOutcome>('printReceipt', { orderId: order.id })).settings).toEqual(saved);

    const audit = ok(await admin.call<AuditEntryView[]>('listAudit', { limit: 50 })).find((e) => e.action === 'receipts.printSettings');
    expect(audit).toMatchObject({ operatorId: 'admin', outcome: 'ok' });
    expect(audit!.detail).toBe('打印机=系统默认 纸张=A5 份数=1 → 打印机=XP-80C 纸张=80mm 份数=2');

    // The choice lives in the station's database: a restart keeps it.
    await h.restart();
    expect(ok(await h.c.call<PrintSettingsView>('getPrintSettings', {}))).toEqual(saved);
  });

  it('are the administrator’s alone, and checked before anything is saved', async () => {
    expect(await h.c.call('setPrintSettings', { printer: 'XP-80C', paper: '80mm', copies: 1 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    for (const bad of [
      { printer: 'XP-80C', paper: '80mm', copies: 9 },
      { printer: '', paper: '80mm', copies: 1 },
      { printer: 'XP-80C', paper: 'A4', copies: 1 },
      { printer: 'XP-80C', paper: '80mm', copies: 1, html: '<b>' },
    ]) {
      expect(await admin.call('setPrintSettings', bad), JSON.stringify(bad)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
    }
    expect(await h.c.call('listSystemPrinters', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ok(await h.c.call<PrintSettingsView>('getPrintSettings', {})).source).toBe('config');
  });
});
