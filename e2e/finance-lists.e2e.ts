/**
 * 挂号·支付·退费 at 1366×768 (issue 13 item 4): 600 seeded orders with their registrations, payments and refunds;
 * the registrations list by day range shows the 2202 reversal state, F2 turns to payments, a patient found by
 * name (blind index) on this station — the phone's payment (医保移动支付) among the window's — the refunds list,
 * the phone's refunds too, exported to CSV (F7) and read back; the layout checks at both sizes, screenshots saved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seedFinance } from '../src/station/ledger/testing/seed-finance';
import { seedMobile, seedMobileOrders } from '../src/station/ledger/testing/seed-mobile';
import { seedOrder, seedOrders, seedPerson } from '../src/station/ledger/testing/seed-orders';
import { FieldCipher, loadOrCreateDataKeys } from '../src/station/security';
import { openDatabase } from '../src/station/store';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';

const skipReason = chromiumMissingReason();
const COUNT = 600;
const PERSONS = 30;
const START = new Date('2026-11-30T16:00:00Z');
const STEP = 20 * 60_000; // ≈ 8 days
const seed = Array.from({ length: COUNT }, (_, i) => seedOrder(i, START, STEP, PERSONS));
const phone = Array.from({ length: 8 }, (_, k) => seedMobile(k, START));

describe.skipIf(skipReason !== null)('挂号·支付·退费 at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registrations with their reversal state, payments of one patient by name, refunds exported to CSV', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const db = openDatabase(path.join(t.dataDir, 'station.db'));
      try {
        const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(t.dataDir, 'keys')));
        seedOrders(db, cipher, { count: COUNT, start: START, stepMs: STEP, persons: PERSONS });
        seedFinance(db, cipher, { count: COUNT, start: START, stepMs: STEP, persons: PERSONS });
        seedMobileOrders(db, cipher, phone);
      } finally {
        db.close();
      }
      const { page } = t;
      await login(page, 'admin');
      await page.getByTestId('tab-finance').click();
      await page.getByTestId('finance-from').fill('2026-12-01');
      await page.getByTestId('finance-to').fill('2026-12-31');
      await page.getByTestId('finance-to').press('Enter');
      const registrations = seed.filter((o, i) => !o.selfPayOnly && (o.state !== 'open' || i % 20 === 8)).length;
      await pw(page.getByText(`挂号 共 ${registrations} 笔`)).toBeVisible();
      await pw(page.getByTestId('finance-source')).toHaveText('（本站）'); // no hospital ledger configured: this station's own rows
      await pw(page.getByTestId('finance-table')).toContainText('已撤销(2202)');
      await pw(page.getByTestId('finance-table')).toContainText('Ho-0000599'); // newest first
      const essentials = ['finance-filters', 'finance-search', 'finance-table', 'finance-pager', 'finance-export-csv'].map((id) =>
        page.getByTestId(id),
      );
      expect(await problemsAtBothSizes(page, essentials)).toEqual([]);
      await saveScreen(page, 'admin-finance-registrations.png');

      await page.keyboard.press('F2');
      const p = seedPerson(9);
      await page.getByTestId('finance-patient').fill(p.name);
      await page.getByTestId('finance-station').fill('training-01');
      await page.getByTestId('finance-patient').press('Enter');
      const payments = seed.filter((o) => o.channel && o.person === 9);
      const onPhone = phone.filter((m) => m.ownFen > 0 && m.person === 9);
      expect(onPhone).toHaveLength(1);
      await pw(page.getByText(`支付 共 ${payments.length + onPhone.length} 笔`)).toBeVisible();
      await pw(page.getByTestId('finance-table')).toContainText(onPhone[0]!.payOrdId);
      await pw(page.getByTestId('finance-table')).toContainText('手机支付');
      await pw(page.getByTestId('finance-table')).toContainText(p.name);
      await pw(page.getByTestId('finance-table')).toContainText(`T${payments.at(-1)!.id}`);
      await saveScreen(page, 'admin-finance-payments.png');

      await page.getByTestId('finance-station').fill('W99');
      await page.getByTestId('finance-station').press('Enter');
      await pw(page.getByText('支付 共 0 笔')).toBeVisible();

      await page.getByTestId('finance-station').fill('');
      await page.getByTestId('finance-patient').fill('');
      await page.keyboard.press('F2');
      await page.keyboard.press('F3');
      const refunds = seed.filter((o) => o.state === 'refunded');
      const phoneRefunds = phone.filter((m) => m.refundedAt);
      await pw(page.getByText(`退费 共 ${refunds.length + phoneRefunds.length} 笔`)).toBeVisible();
      await pw(page.getByTestId('finance-table')).toContainText('患者要求退费');
      await page.keyboard.press('F7');
      await pw(page.getByTestId('finance-export-state'), 30_000).toHaveAttribute('data-state', 'finished');
      const exports = path.join(t.dataDir, 'exports');
      const csv = fs.readdirSync(exports).find((f) => f.startsWith('退费列表') && f.endsWith('.csv'))!;
      const lines = fs.readFileSync(path.join(exports, csv), 'utf8').split('\r\n').filter(Boolean);
      expect(lines).toHaveLength(refunds.length + phoneRefunds.length + 1);
      expect(lines.filter((l) => l.includes('医保移动支付'))).toHaveLength(phoneRefunds.filter((m) => m.ownFen > 0).length);
      expect(lines[1]!.split(',')[0]).toBe(`H${refunds.at(-1)!.id}`);
      await saveScreen(page, 'admin-finance-refunds.png');
    } finally {
      await t.close();
    }
  }, 90_000);
});
