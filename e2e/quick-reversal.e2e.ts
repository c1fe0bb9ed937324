/**
 * 快速撤销 with a second person's approval (HX-37), in real Chromium at 1366×768: a registration the cashier left
 * pre-settled shows in 挂号·支付·退费 as 已登记 / 未结算; the admin turns the approval setting on (F8), selects the row,
 * Del, signs as the approver himself — refused — then another administrator signs with 工号 + password and the
 * station undoes the registration (2205 → 2202): the row shows 已撤销(2202), and the trail
 * holds the refused and the granted approval under the approvers' own names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AuditEntryView, OrderView } from '../src/shared/domain';
import { ok, openOrder } from '../test/harness/outpatient-harness';
import { expect as pw } from './expect';
import { TRAINING_PASSWORD } from '../src/station/auth/training-operators';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';

const skipReason = chromiumMissingReason();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(skipReason !== null)('快速撤销 with approval at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a pre-settled registration: self-approval refused, another admin approves, 2202 done, both in the trail', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const cashier = await connectCore(t);
      const open = await openOrder(cashier, '310');
      const previewed = ok(await cashier.call<OrderView>('preSettleOrder', { orderId: open.id }));
      expect(previewed.state).toBe('previewed');
      cashier.close();
      const adminCore = await connectCore(t, 'admin');
      ok(await adminCore.call('addOperator', { id: 'admin2', name: '林审', roles: ['admin'], password: 'Approve2026' }));
      // the password admin set is admin's to know: admin2 signs in once and makes it his own
      const admin2 = await connectCore(t, 'admin2', 'Approve2026');
      ok(await admin2.call('changePassword', { current: 'Approve2026', next: 'Own2026pass' }));
      admin2.close();

      const { page } = t;
      await login(page, 'admin');
      await page.getByTestId('tab-finance').click();
      await page.getByTestId('finance-from').fill(day(-1));
      await page.getByTestId('finance-to').fill(day(1));
      await page.keyboard.press('F3');
      const table = page.getByTestId('finance-table');
      await pw(page.getByText('挂号 共 1 笔')).toBeVisible();
      await pw(table).toContainText(open.hisOrderNo);
      await pw(table).toContainText('未撤销');
      await pw(table).toContainText('未结算');

      await page.keyboard.press('F8');
      await pw(page.getByTestId('finance-approval')).toHaveAttribute('aria-checked', 'true');
      await table.getByText(open.hisOrderNo).click();
      await page.keyboard.press('Delete');
      await pw(page.getByTestId('confirm-reversal')).toContainText('撤销挂号');
      await page.keyboard.press('2'); // 患者放弃就诊
      await pw(page.getByTestId('reversal-reason').locator('.ant-radio-wrapper-checked')).toContainText('患者放弃就诊');
      await page.getByTestId('reversal-approver').fill('admin');
      await page.getByTestId('reversal-password').fill(TRAINING_PASSWORD);
      expect(await problemsAtBothSizes(page, [page.getByTestId('confirm-reversal'), page.getByTestId('confirm-reversal-ok')])).toEqual([]);
      await saveScreen(page, 'admin-quick-reversal-approval.png');
      await page.getByTestId('reversal-password').press('Enter');
      await pw(page.getByTestId('finance-error')).toContainText('不能审批自己的撤销申请');
      await pw(table).toContainText('未撤销');

      await pw(page.getByTestId('confirm-reversal')).toHaveCount(0);
      await table.getByText(open.hisOrderNo).click();
      await page.keyboard.press('Delete');
      await pw(page.getByTestId('confirm-reversal')).toContainText('撤销挂号');
      await page.keyboard.press('2');
      await pw(page.getByTestId('reversal-reason').locator('.ant-radio-wrapper-checked')).toContainText('患者放弃就诊');
      await page.getByTestId('reversal-approver').fill('admin2');
      await page.getByTestId('reversal-password').fill('Own2026pass');
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('finance-notice'), 20_000).toContainText('已提交撤销（患者放弃就诊）');
      await pw(table).toContainText('已撤销(2202)');
      await saveScreen(page, 'admin-quick-reversal-done.png');

      const trail = ok(await adminCore.call<AuditEntryView[]>('listAudit', { limit: 50 }))
        .filter((e) => e.action.startsWith('ledger.reversal'))
        .map((e) => `${e.operatorId} ${e.action} ${e.outcome}`)
        .reverse();
      expect(trail).toEqual([
        'admin ledger.reversal.setting ok',
        'admin ledger.reversal denied',
        'admin ledger.reversal.approve denied',
        'admin2 ledger.reversal.approve ok',
        'admin ledger.reversal ok',
      ]);
      adminCore.close();
    } finally {
      await t.close();
    }
  }, 90_000);
});
