/**
 * The administrator's side of 交班 and DQ-05 in real Chromium at 1366×768: a cashier identifies a patient by
 * e-voucher and leaves with the shift open; the admin's 日结 names it, F7 + digit + Enter closes it for them (代交班,
 * audited with the reason) and counts it; 电子凭证报表 shows the identification by day and operator and exports it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';

const skipReason = chromiumMissingReason();

describe.skipIf(skipReason !== null)('代交班 and the e-voucher report at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('F7 closes a shift left open, with a reason; the report counts the e-voucher identification and exports it', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const { page } = t;
      const rig = t.station.training!;
      await login(page);
      await pw(page.getByTestId('key-Ctrl+J')).toHaveAttribute('data-enabled', 'true');
      await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
      const voucher = rig.vouchers.find((v) => v.insutype === '310' && v.region === '350200')!;
      await rig.scanner!.scan(voucher.qr);
      await pw(page.getByTestId('patient-card')).toBeVisible();

      // The cashier leaves without 交班 (signing out leaves the shift open, as going home signed in does).
      await page.getByTestId('logout').click();
      await login(page, 'admin');
      await page.getByTestId('tab-day-close').click();
      await pw(page.getByTestId('day-close-open')).toContainText('张敏');
      await page.keyboard.press('F7');
      await pw(page.getByTestId('confirm-close-other')).toContainText('张敏');
      await page.keyboard.press('2');
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('day-close-outcome')).toContainText('已为 张敏 代交班（收费员无法在本机操作）');
      await pw(page.getByTestId('day-close-shifts')).toContainText('张敏');
      await pw(page.getByTestId('day-close-open')).toHaveCount(0);
      expect(await problemsAtBothSizes(page, [page.getByTestId('day-close'), page.getByTestId('day-close-close-other')])).toEqual([]);
      await saveScreen(page, 'admin-close-for-other.png');

      await page.getByTestId('tab-evoucher').click();
      const rows = page.getByTestId('evoucher-rows');
      await pw(rows.locator('tbody tr.ant-table-row')).toHaveCount(1);
      await pw(rows).toContainText('张敏（sf001）');
      await page.keyboard.press('F8');
      await pw(page.getByTestId('evoucher-outcome')).toContainText('已导出 1 行');
      expect(await problemsAtBothSizes(page, [page.getByTestId('evoucher-report'), page.getByTestId('evoucher-export-xlsx')])).toEqual([]);
      await saveScreen(page, 'admin-evoucher-report.png');

      const admin = await connectCore(t, 'admin');
      const audit = await admin.call<{ action: string; detail: string }[]>('listAudit', { limit: 500 });
      admin.close();
      if (!audit.ok) throw new Error('listAudit refused');
      expect(audit.value.find((a) => a.action === 'shift.closeForOther')?.detail).toContain('代交班原因：收费员无法在本机操作');
      const exported = audit.value.find((a) => a.action === 'report.eVoucher')!.detail.split(' → ')[1]!;
      const [, line] = fs.readFileSync(exported, 'utf8').split('\r\n');
      expect(line!.split(',').slice(1, 4)).toEqual(['sf001', '张敏', '1']);
    } finally {
      await t.close();
    }
  }, 90_000);
});
