/**
 * The nurse's bedside discharge (issue 15) in Chromium at 1366×768 (and 1920×1080), on the training ward: 陈建国's
 * stay registered at the centre (F2), discharged (F6), pre-settled (F7) and settled (F8) by key, the surplus going
 * back on his two WeChat deposits the system ticked (Enter) — seen in the training platform's refunds; 林美华's cash
 * deposit cannot go back by wallet, so she is sent to the window; 黄志强's deposits fall short: the amount is shown,
 * 出院结算 settles at the centre and the difference is paid by a QR on the screen (F9), then HIS books the discharge.
 * Every step fits without page scroll. Screenshots
 * for docs/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, pressKey } from './fixtures';
import { dischargedStay } from './ward-stay';
import { ok } from '../test/harness/outpatient-harness';
import type { StayView } from '../src/shared/inpatient';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';
import { POPULATION } from '../src/simulators/nhsa';
import { formatYuan } from '../src/shared/money';
import { TRAINING_WARD } from '../src/app/training-ward';

const skipReason = chromiumMissingReason();
const TEST_MS = 90_000;

/** F2 and the ID number typed (F2 puts the cursor in the field), F6 and Enter, F7, F8 and Enter: the stay settled at the centre and booked at HIS. */
async function dischargeSettled(page: Page, name: string, shot: string, settle = true) {
  const panel = page.getByTestId('stay-panel');
  await pressKey(page, 'F2', 'bedside');
  await page.keyboard.type(POPULATION.find((p) => p.name === name)!.idNo);
  await page.keyboard.press('Enter');
  await pw(panel).toHaveAttribute('data-state', 'admitted');
  await pressKey(page, 'F6', 'bedside');
  await pw(page.getByTestId('confirm-discharge')).toBeVisible();
  await pressKey(page, 'Enter', 'bedside');
  await pw(panel).toHaveAttribute('data-state', 'discharged');
  await pressKey(page, 'F7', 'bedside');
  await pw(panel).toHaveAttribute('data-step', 'preview');
  await saveScreen(page, `${shot}-presettled.png`);
  expect(await problemsAtBothSizes(page, [page.getByTestId('ward-list'), panel, page.getByTestId('key-bar')])).toEqual([]);
  if (!settle) return;
  await pressKey(page, 'F8', 'bedside');
  await pw(page.getByTestId('confirm-settle')).toBeVisible();
  await pressKey(page, 'Enter', 'bedside');
  await pw(panel).toHaveAttribute('data-state', 'completed');
}

describe.skipIf(skipReason !== null)('the bedside discharge at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'the surplus goes back on two WeChat deposits; a cash surplus is sent to the window',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { page } = t;
        const panel = page.getByTestId('stay-panel');
        await login(page, 'hs001');
        const rows = page.getByTestId('ward-list').locator('.ant-table-tbody tr');
        await pw(rows).toHaveCount(TRAINING_WARD.length);
        await saveScreen(page, 'bedside-ward.png');
        expect(
          await problemsAtBothSizes(page, [page.getByTestId('ward-list'), page.getByTestId('stay-panel'), page.getByTestId('key-bar')]),
        ).toEqual([]);

        // 陈建国, bed 01 (selected first): two WeChat deposits, both ticked by the system. His bill's first issue meets
        // no answer (the platform's deadline, 3 s): it is issued after the settlement's own readings on the screen.
        t.station.training!.ebill.control.fault('invEBillHospitalized', 'timeout-before-commit');
        await pw(page.getByTestId('stay-title')).toContainText('01 床');
        await dischargeSettled(page, '陈建国', 'bedside-wechat');
        await pw(page.getByTestId('surplus-choice')).toHaveAttribute('data-plan', 'channels');
        await pw(page.getByTestId('surplus-choice').locator('.ant-checkbox-wrapper-checked')).toHaveCount(2);
        // The bill, issued in the background, reaches the screen by the station's stayUpdated word: no key pressed.
        await pw(page.getByTestId('ebill-state'), 20_000).toHaveAttribute('data-ebill', 'issued');
        const bill = t.station.training!.ebill.control.bills().find((b) => b.busType === '01')!;
        await pw(page.getByTestId('ebill-state')).toContainText(bill.billNo);
        await pw(page.getByTestId('surplus-choice').locator('.ant-checkbox-wrapper-checked')).toHaveCount(2);
        await saveScreen(page, 'bedside-surplus-ticks.png');
        await pressKey(page, 'Enter', 'bedside');
        await pw(page.getByTestId('confirm-refund')).toBeVisible();
        await pressKey(page, 'Enter', 'bedside');
        await pw(page.getByTestId('surplus-result')).toContainText('已原路退回 2 笔');
        const refunds = t.station.training!.payChannel.control.refunds();
        expect(refunds.map((r) => r.state)).toEqual(['SUCCESS', 'SUCCESS']);
        expect(refunds.every((r) => r.out_trade_no.startsWith('YJ'))).toBe(true);
        await pw(page.getByTestId('ebill-state')).toContainText(bill.billNo);
        await saveScreen(page, 'bedside-refunded.png');

        // 林美华, bed 02: a cash deposit — the window.
        await pressKey(page, 'ArrowDown', 'bedside');
        await pw(page.getByTestId('stay-title')).toContainText('02 床');
        await dischargeSettled(page, '林美华', 'bedside-window');
        await pw(page.getByTestId('surplus-window')).toBeVisible();
        await pressKey(page, 'Enter', 'bedside');
        await pw(page.getByTestId('confirm-refund')).toBeVisible();
        await pressKey(page, 'Enter', 'bedside');
        await pw(page.getByTestId('surplus-result')).toContainText('请到收费窗口办理退款');
        expect(t.station.training!.payChannel.control.refunds()).toHaveLength(2);
        await saveScreen(page, 'bedside-window.png');

        // 黄志强, bed 03: 20 yuan of deposits against a larger self-pay part — the shortfall said; F8 settles at the
        // centre, F9 puts a QR for the difference on the screen, the patient's phone pays it, HIS books the discharge.
        await pressKey(page, 'ArrowDown', 'bedside');
        await pw(page.getByTestId('stay-title')).toContainText('03 床');
        await dischargeSettled(page, '黄志强', 'bedside-shortfall', false);
        await pw(page.getByTestId('shortfall')).toContainText('需补缴 ¥');
        await pressKey(page, 'F8', 'bedside');
        await pw(page.getByTestId('confirm-settle')).toContainText('需补缴');
        await pressKey(page, 'Enter', 'bedside');
        await pw(panel).toHaveAttribute('data-state', 'settled');
        await pw(page.getByTestId('shortfall-due')).toContainText('需补缴 ¥');
        await pw(page.getByTestId('key-F9')).toHaveAttribute('data-enabled', 'true');
        await pressKey(page, 'F9', 'bedside');
        await pw(page.getByTestId('qr-svg')).toBeVisible();
        await pw(page.getByTestId('key-F9')).toHaveAttribute('data-enabled', 'false');
        await saveScreen(page, 'bedside-shortfall-qr.png');
        expect(await problemsAtBothSizes(page, [page.getByTestId('ward-list'), panel, page.getByTestId('key-bar')])).toEqual([]);
        const platform = t.station.training!.payChannel.control;
        const shown = (await page.getByTestId('qr-panel').getAttribute('data-out-trade-no'))!;
        const wallet = platform.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
        expect(platform.payQr(platform.trade(shown)!.code_url!, wallet.authCode)).toMatchObject({ paid: true });
        await pw(panel, 15_000).toHaveAttribute('data-state', 'completed');
        expect(platform.trade(shown)).toMatchObject({ state: 'SUCCESS' });
        await pw(page.getByTestId('shortfall-paid')).toContainText('已补缴 ¥');
        await pw(page.getByTestId('surplus-choice')).toHaveCount(0);
        await pressKey(page, 'F11', 'bedside');
        await pw(page.getByTestId('voucher-printed')).toContainText('打印机');
        await saveScreen(page, 'bedside-shortfall-paid.png');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'a surplus the bedside sent to the window shows on the cashier’s screen and is paid out in cash by key',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        // The cashier is at work, nothing to pay out yet.
        const { page } = t;
        await login(page, 'sf001');
        await pw(page.getByTestId('cashier-today-list')).toBeVisible();
        const refunds = page.getByTestId('window-refunds');
        await pw(refunds).toHaveCount(0);
        // The nurse sends 林美华's cash surplus to the window (her deposit was cash), through the core as her screen does;
        // the cashier's screen shows it as it happens (stayUpdated), with nothing pressed.
        const { nurse, stay } = await dischargedStay(t, '林美华');
        ok(await nurse.call('settleDischarge', { stayId: stay.id }));
        const sent = ok(await nurse.call<StayView>('refundSurplus', { stayId: stay.id }));
        nurse.close();
        expect(sent.surplus).toMatchObject({ to: 'window' });
        await pw(refunds).toContainText(formatYuan(sent.surplus!.amountFen));
        await pw(page.getByTestId('window-refund-row')).toHaveCount(1);
        await saveScreen(page, 'window-deposit-refund.png');
        expect(await problemsAtBothSizes(page, [refunds, page.getByTestId('cashier-today-list')])).toEqual([]);
        await page.keyboard.press('Alt+t');
        await pw(page.getByTestId('confirm-window-refund')).toBeVisible();
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('window-refund-done')).toContainText('已现金退款');
        await pw(page.getByTestId('window-refund-done')).toContainText('退款凭证');
        await pw(page.getByTestId('window-refund-row')).toHaveCount(0);
        expect(t.station.training!.his.control.ward.wardBooks().depositRefunds).toEqual([
          expect.objectContaining({ channel: 'cash', amountFen: sent.surplus!.amountFen }),
        ]);
        await saveScreen(page, 'window-deposit-refunded.png');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
