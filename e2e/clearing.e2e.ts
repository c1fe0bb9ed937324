/**
 * 系统管理 › 对账 › 异地清分（月） at 1366×768 (ZS-07): F2 (four times) turns to the month's clearing, which opens on last month
 * (the month the office clears in this month's 5th–8th window) and says when its window is; Alt+P goes a month back,
 * whose window has passed: it only shows (the keys to confirm do nothing), the month's picture is a canvas, the
 * layout fits at both sizes and the strict CSP blocks nothing. Screenshot saved and looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';

const skipReason = chromiumMissingReason();

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
}

describe.skipIf(skipReason !== null)('异地清分 at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens on last month with its window, and a month whose window has passed only shows', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const { page } = t;
      const thisMonth = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 7);
      await login(page, 'admin');
      await page.getByTestId('tab-reconciliation').click();
      await pw(page.getByTestId('recon-summary')).toBeVisible();
      for (let i = 0; i < 3; i += 1) await page.keyboard.press('F2');
      // On the way: HIS's own account of the day (HIS日对账), nothing reconciled yet.
      await pw(page.getByTestId('recon-his')).toContainText('尚未取得HIS日对账');
      await page.keyboard.press('F2');
      await pw(page.getByTestId('clearing')).toBeVisible();
      expect(await page.getByTestId('clearing-month').inputValue()).toBe(shiftMonth(thisMonth, -1));
      await pw(page.getByTestId('clearing-summary')).toContainText(`${thisMonth}-08`);
      await pw(page.locator('[data-testid="clearing-chart"] canvas')).toBeVisible();

      await page.keyboard.press('Alt+P');
      expect(await page.getByTestId('clearing-month').inputValue()).toBe(shiftMonth(thisMonth, -2));
      const lastMonth = shiftMonth(thisMonth, -1);
      await pw(page.getByTestId('clearing-summary')).toContainText(`受理时间 ${lastMonth}-05 至 ${lastMonth}-08，其余时间只能查看`);
      await pw(page.getByTestId('clearing-summary')).toContainText('未确认');
      expect(await page.getByTestId('clearing-check').isDisabled()).toBe(true);
      expect(await page.getByTestId('clearing-confirm').isDisabled()).toBe(true);
      await pw(page.getByTestId('clearing-rows')).toContainText('不在受理时间内');
      await page.keyboard.press('F8');
      await pw(page.getByTestId('clearing-ask')).toHaveCount(0);

      const essentials = [
        'clearing-month',
        'clearing-check',
        'clearing-confirm',
        'clearing-rollback',
        'clearing-export-csv',
        'clearing-summary',
        'clearing-chart',
        'clearing-rows',
      ].map((id) => page.getByTestId(id));
      expect(await problemsAtBothSizes(page, essentials)).toEqual([]);
      await saveScreen(page, 'admin-clearing-month.png');
      expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
