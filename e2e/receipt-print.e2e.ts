/**
 * Issue 12, item 4 in real Chromium over the loopback host (no Electron, no CUPS printer of the core's own): 打印
 * counts the print in the core and hands the page to the browser's window.print() (silent under the station's
 * --kiosk-printing); the second print shows 补打 on the slip the browser prints; the administrator chooses the
 * paper in 系统管理 › 打印机 and the core keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation, saveScreenshot } from './fixtures';
import type { AuditEntryView, OrderView } from '../src/shared/domain';
import type { PrintSettingsView } from '../src/shared/printing';
import { ok, openOrder, scanWith, settle } from '../test/harness/outpatient-harness';

const skipReason = chromiumMissingReason();
const TEST_MS = 120_000;

describe.skipIf(skipReason !== null)(`printing a slip from the browser${skipReason ? ` (${skipReason})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'the second print is marked 补打 on the page the browser prints; the admin saves the paper in 系统管理 › 打印机',
    async () => {
      const t = await openStation(browser);
      const c = await connectCore(t);
      try {
        const { page } = t;
        // An order settled and paid by another window of the station, so it is in today's list.
        const order = await openOrder(c, '310');
        let done: OrderView = await settle(c, order.id);
        if (done.state !== 'completed') {
          const wallet = t.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
          const scanId = await scanWith(c, t.station.training!.scanner!, wallet.authCode);
          done = ok(await c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId }));
        }
        expect(done.state).toBe('completed');

        await login(page);
        // window.print() is what kiosk printing makes silent; counted here instead of printed.
        await page.evaluate(() => {
          const w = window as unknown as { printed: number };
          w.printed = 0;
          window.print = () => void (w.printed += 1);
        });
        const printed = () => page.evaluate(() => (window as unknown as { printed: number }).printed);
        const today = page.getByTestId('cashier-today-list');
        await page.getByTestId('today-refresh').click();
        await today.getByTestId('today-receipt').first().click();
        const dialog = page.getByTestId('receipt-dialog');
        await pw(dialog.getByTestId('receipt-slip')).toBeVisible();

        await dialog.getByTestId('receipt-print').click();
        await pw(dialog.getByTestId('receipt-printed')).toBeVisible();
        expect(await printed()).toBe(1);
        await pw(dialog.getByTestId('receipt-reprint')).toHaveCount(0);

        await dialog.getByTestId('receipt-print').click();
        await pw(dialog.getByTestId('receipt-reprint')).toHaveAttribute('data-print-no', '2');
        await pw(dialog.getByTestId('receipt-slip')).toContainText('补打时间');
        await pw(dialog.getByTestId('receipt-slip')).toContainText('第 2 次（补打）');
        expect(await printed()).toBe(2);
        await saveScreenshot(page, 'receipt-reprint.png');
        await page.keyboard.press('Escape');

        // The administrator: 系统管理 › 打印机, 80 mm paper, saved as the station's setting.
        await page.getByTestId('logout').click();
        await login(page, 'admin');
        await page.getByTestId('tab-printer').click();
        const settings = page.getByTestId('printer-settings');
        await pw(settings).toBeVisible();
        await pw(settings).toContainText('配置文件 station.config.json');
        await settings.getByText('80 mm 卷纸').click();
        await settings.getByTestId('printer-save').click();
        await pw(settings.getByTestId('printer-outcome')).toContainText('打印设置已保存');
        await pw(settings).toContainText('本工作站设置');
        await saveScreenshot(page, 'admin-printer.png');

        const admin = await connectCore(t, 'admin');
        try {
          const now = ok(await admin.call<PrintSettingsView>('getPrintSettings', {}));
          expect(now).toMatchObject({ paper: '80mm', source: 'station', updatedBy: 'admin' });
          const audit = ok(await admin.call<AuditEntryView[]>('listAudit', { limit: 100 }));
          expect(audit.filter((e) => e.action.startsWith('receipt')).map((e) => [e.action, e.operatorId])).toEqual([
            ['receipts.printSettings', 'admin'],
            ['receipt.reprinted', 'sf001'],
            ['receipt.printed', 'sf001'],
          ]);
        } finally {
          admin.close();
        }
      } finally {
        c.close();
        await t.close();
      }
    },
    TEST_MS,
  );
});
