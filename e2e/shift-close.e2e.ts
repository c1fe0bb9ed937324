/**
 * 交班 and 日结 in real Chromium at 1366×768 (issue 13 item 6): the cashier settles a bill by payment code, opens
 * 交班 by its key (Ctrl+J) from the header, sees the WeChat amount the platform took, prints the slip (F9),
 * confirms by key and is signed out; the admin's 日结 section lists the closed shift with the same sums.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation, pressKey } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';
import { POPULATION } from '../src/simulators/nhsa';
import { fenToYuan } from '../src/shared/money';
import type { DayCloseView } from '../src/shared/shifts';

const skipReason = chromiumMissingReason();
const resident = POPULATION.find((p) => p.insurances[0]?.insutype === '390' && p.insurances[0]?.insuplcAdmdvs === '350200')!;

describe.skipIf(skipReason !== null)('交班 and 日结 at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Ctrl+J shows the shift by channel, F9 prints, Enter twice closes it and signs out; the admin’s 日结 lists it', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const { page } = t;
      const rig = t.station.training!;
      await login(page);
      await page.getByTestId('idcard-input').fill(resident.idNo);
      await page.getByTestId('idcard-input').press('Enter');
      const card = page.getByTestId('order-card');
      await pw(card).toBeVisible();
      await pressKey(page, 'F4', 'window');
      await pw(card).toHaveAttribute('data-state', 'previewed');
      await pressKey(page, 'F5', 'window');
      await pw(card).toHaveAttribute('data-state', 'awaiting-payment');
      await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
      const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 500_000 });
      await rig.scanner!.scan(wallet.authCode);
      await pw(card).toHaveAttribute('data-state', 'completed');
      const paidFen = 500_000 - rig.payChannel.control.balance(wallet.authCode);
      expect(paidFen).toBeGreaterThan(0);

      await page.keyboard.press('Control+j');
      await pw(page.getByTestId('shift-dialog')).toBeVisible();
      await pw(page.getByTestId('shift-summary-wechat')).toContainText(fenToYuan(paidFen));
      await pw(page.getByTestId('shift-summary-total')).toContainText('结算 1 笔');
      expect(await problemsAtBothSizes(page, [page.getByTestId('shift-dialog'), page.getByTestId('shift-close')])).toEqual([]);
      await saveScreen(page, 'shift-close.png');
      await page.keyboard.press('F9');
      await pw(page.getByTestId('shift-outcome')).toBeVisible();
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('shift-confirm')).toBeVisible();
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('login-form')).toBeVisible();

      const admin = await connectCore(t, 'admin');
      const day = await admin.call<DayCloseView>('dayClose', {}); // the station's today
      const audit = await admin.call<{ action: string }[]>('listAudit', { limit: 500 });
      admin.close();
      if (!day.ok || !audit.ok) throw new Error('dayClose / listAudit refused');
      expect(day.value.shifts.map((s) => [s.operatorId, s.summary.channels.find((c) => c.channel === 'wechat')!.amountFen])).toEqual([
        ['sf001', paidFen],
      ]);
      expect(audit.value.map((a) => a.action)).toEqual(expect.arrayContaining(['shift.slip', 'shift.close']));

      await login(page, 'admin');
      await page.getByTestId('tab-day-close').click();
      await pw(page.getByTestId('day-close-shifts')).toContainText('张敏');
      await pw(page.getByTestId('day-close-totals-wechat')).toContainText(fenToYuan(paidFen));
      expect(await problemsAtBothSizes(page, [page.getByTestId('day-close'), page.getByTestId('day-close-print')])).toEqual([]);
      await saveScreen(page, 'admin-day-close.png');
    } finally {
      await t.close();
    }
  });
});
