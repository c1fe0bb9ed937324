/**
 * 结算流水 at 1366×768 (issue 13 items 4–5): 2,000 orders written into the station's database, found by day
 * range in the admin's section, paged by key, a row's fee lines opened by click and by ↑↓ + Enter, and the same
 * filter exported to CSV (F7) and xlsx (F6) — the CSV read back in the test — with the layout checks at both sizes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seedOrders } from '../src/station/ledger/testing/seed-orders';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security';
import { openDatabase } from '../src/station/store';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';

const skipReason = chromiumMissingReason();
const COUNT = 2_000;

describe.skipIf(skipReason !== null)('结算流水 at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('filters, pages, fee lines by click and by key, CSV and xlsx exports of the same filter', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const db = openDatabase(path.join(t.dataDir, 'station.db'));
      try {
        const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(t.dataDir, 'keys')));
        seedOrders(db, cipher, { count: COUNT, start: new Date('2026-11-30T16:00:00Z'), stepMs: 600_000, persons: 50 });
      } finally {
        db.close();
      }
      const { page } = t;
      await login(page, 'admin');
      await page.getByTestId('tab-ledger').click();
      await page.getByTestId('ledger-from').fill('2026-12-01');
      await page.getByTestId('ledger-to').fill('2026-12-31');
      await page.getByTestId('ledger-to').press('Enter');
      await pw(page.getByTestId('ledger-table')).toContainText('Ho-0001999'); // newest first
      await pw(page.getByText(`共 ${COUNT} 笔`)).toBeVisible();
      const essentials = ['ledger-filters', 'ledger-search', 'ledger-table', 'ledger-pager', 'ledger-export-csv'].map((id) =>
        page.getByTestId(id),
      );
      expect(await problemsAtBothSizes(page, essentials)).toEqual([]);
      await saveScreen(page, 'admin-ledger.png');

      await page.getByTestId('ledger-table').getByText('Ho-0001998').click();
      await pw(page.getByTestId('ledger-lines')).toContainText('阿莫西林胶囊');
      await page.keyboard.press('Escape');
      await pw(page.getByTestId('ledger-lines')).toHaveCount(0);

      await page.getByTestId('ledger-table').getByText('Ho-0001999').click(); // opens, then closes: the list has the keys
      await pw(page.getByText('费用明细 · Ho-0001999')).toBeVisible();
      await page.keyboard.press('Escape');
      await pw(page.getByTestId('ledger-lines')).toHaveCount(0);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await pw(page.getByText('费用明细 · Ho-0001997')).toBeVisible();
      await page.keyboard.press('Escape');

      await page.keyboard.press('PageDown');
      await pw(page.getByTestId('ledger-table')).toContainText('Ho-0001949');
      await pw(page.getByTestId('ledger-table').getByText('Ho-0001999')).toHaveCount(0);

      await page.keyboard.press('F7');
      await pw(page.getByTestId('ledger-export-state'), 30_000).toHaveAttribute('data-state', 'finished');
      const exports = path.join(t.dataDir, 'exports');
      const csv = fs.readdirSync(exports).find((f) => f.endsWith('.csv'))!;
      await pw(page.getByTestId('ledger-export-state')).toContainText(csv);
      const lines = fs.readFileSync(path.join(exports, csv), 'utf8').split('\r\n').filter(Boolean);
      expect(lines).toHaveLength(COUNT + 1);
      expect(lines[1]!.split(',')[0]).toBe('Ho-0001999');

      await page.keyboard.press('F6');
      await pw(page.getByTestId('ledger-export-state'), 30_000).toContainText('.xlsx');
      expect(fs.readdirSync(exports).filter((f) => f.endsWith('.xlsx'))).toHaveLength(1);
    } finally {
      await t.close();
    }
  }, 90_000);
});
