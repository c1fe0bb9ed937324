/**
 * Cash at the window (issue 13 item 3) in real Chromium at 1366×768: F4, F5, then F1 opens 现金收款; too little is
 * refused (Enter does nothing), the change shows to the fen as the cashier types, Enter records it; HIS books one
 * cash line and the payment platform sees nothing. Then Ctrl+J: the drawer count (钱箱清点) shows 短款 before the
 * close and the closed shift keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation, saveScreenshot, pressKey } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes } from './layout';
import { formatYuan, fen } from '../src/shared/money';
import type { ShiftView } from '../src/shared/shifts';
import { POPULATION } from '../src/simulators/nhsa';

const skipReason = chromiumMissingReason();
const resident = POPULATION.find((p) => p.insurances[0]?.insutype === '390' && p.insurances[0]?.insuplcAdmdvs === '350200')!;

describe.skipIf(skipReason !== null)(`cash at the window${skipReason ? ` (${skipReason})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('F1 takes cash with the change shown, refuses too little, HIS books it once; the shift close counts the drawer', async () => {
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
      await pw(page.getByTestId('key-F1')).toHaveAttribute('data-enabled', 'true');
      const dueText = (await page.getByTestId('order-cash-due').textContent())!;
      const dueFen = Number(dueText.replace(/[¥,.]/g, ''));
      expect(dueFen).toBeGreaterThan(0);

      await pressKey(page, 'F1', 'window');
      const dialog = page.getByTestId('cash-dialog');
      await pw(dialog).toBeVisible();
      await pw(page.getByTestId('cash-due')).toHaveText(formatYuan(fen(dueFen)));
      await pw(page.locator('[data-testid="cash-tendered"]:focus')).toHaveCount(1);
      // One fen short: refused, and Enter records nothing.
      await page.keyboard.type(((dueFen - 1) / 100).toFixed(2));
      await pw(page.getByTestId('cash-hint')).toHaveText('收款不足，还差 ¥0.01');
      await pw(page.getByTestId('cash-change')).toHaveText('—');
      await page.keyboard.press('Enter');
      await pw(dialog).toBeVisible();
      await pw(card).toHaveAttribute('data-state', 'awaiting-payment');
      // The next 100-yuan note up: the change to the fen.
      const tendered = dueFen + 10_000 - (dueFen % 10_000);
      await page.getByTestId('cash-tendered').fill(String(tendered / 100));
      await pw(page.getByTestId('cash-change')).toHaveText(formatYuan(fen(tendered - dueFen)));
      expect(await problemsAtBothSizes(page, [dialog, page.getByTestId('cash-change'), page.getByTestId('cash-confirm-ok')])).toEqual([]);
      await saveScreenshot(page, 'cash-at-window.png');
      await page.keyboard.press('Enter');
      await pw(card).toHaveAttribute('data-state', 'completed');
      await pw(page.getByTestId('order-result-way')).toHaveText(
        `现金（收款 ${formatYuan(fen(tendered))} 找零 ${formatYuan(fen(tendered - dueFen))}）`,
      );
      await saveScreenshot(page, 'cash-at-window-done.png');

      const his = rig.his.control.books().bookings;
      expect(his).toHaveLength(1);
      expect(his[0]!.payments).toEqual([expect.objectContaining({ channel: 'cash', amountFen: dueFen })]);
      expect(rig.payChannel.control.books().trades).toEqual([]);

      // 交班: 500.00 float, one yuan short of float + the cash taken.
      await page.keyboard.press('Control+j');
      await pw(page.getByTestId('shift-dialog')).toBeVisible();
      await pw(page.getByTestId('drawer-why')).toContainText('请清点钱箱');
      expect(await page.getByTestId('shift-close').isDisabled()).toBe(true);
      await page.getByTestId('drawer-float').fill('500');
      const counted = 50_000 + dueFen - 100;
      await page.getByTestId('drawer-counted').fill((counted / 100).toFixed(2));
      await pw(page.getByTestId('drawer-expected')).toHaveText(`应有现金 ${formatYuan(fen(50_000 + dueFen))}`);
      await pw(page.getByTestId('drawer-difference')).toHaveText('短款 ¥1.00');
      expect(await problemsAtBothSizes(page, [page.getByTestId('shift-dialog'), page.getByTestId('drawer-count')])).toEqual([]);
      await saveScreenshot(page, 'cash-drawer-count.png');
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('shift-confirm')).toBeVisible();
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('login-form')).toBeVisible();

      const admin = await connectCore(t, 'admin');
      const day = await admin.call<{ shifts: ShiftView[] }>('dayClose', {});
      admin.close();
      if (!day.ok) throw new Error('dayClose refused');
      expect(day.value.shifts.map((s) => s.drawer)).toEqual([
        { countedFen: counted, floatFen: 50_000, expectedFen: 50_000 + dueFen, differenceFen: -100 },
      ]);
    } finally {
      await t.close();
    }
  }, 90_000);

  it('Alt+K charges the bank card on the training POS terminal: one sale in its ledger, the order completed', async () => {
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
      await pw(page.getByTestId('device-badge-pos-1')).toHaveAttribute('data-state', 'connected');
      await pw(page.getByTestId('key-Alt+K')).toHaveAttribute('data-enabled', 'true');
      await page.keyboard.press('Alt+k');
      await pw(card).toHaveAttribute('data-state', 'completed');
      await pw(page.getByTestId('order-result-way')).toHaveText('银行卡（POS 终端）');
      expect(await problemsAtBothSizes(page, [page.getByTestId('order-result'), page.getByTestId('key-Alt+K')])).toEqual([]);
      await saveScreenshot(page, 'card-at-window.png');
      const sales = [...rig.pos!.ledger.values()].filter((e) => e.kind === 'sale');
      expect(sales).toHaveLength(1);
      expect(rig.pos!.chargedFen()).toBe(sales[0]!.amountFen);
      expect(rig.his.control.books().bookings[0]!.payments).toEqual([
        expect.objectContaining({ channel: 'card', amountFen: sales[0]!.amountFen }),
      ]);
    } finally {
      await t.close();
    }
  }, 90_000);
});
