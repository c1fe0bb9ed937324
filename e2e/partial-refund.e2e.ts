/**
 * 部分退费 from the order drawer (issue 13 item 2), in real Chromium at 1366×768: digits tick lines, Del asks
 * "部分退费？" with the ticked lines and a reason by digit, Enter refunds them; the bill goes 退费中 and back to
 * 已完成 with what remains (its lines and total), the self-pay difference is back on its trade, and F9 shows the
 * slip of the rest with the refunded line listed. Every book agrees afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import {
  chromiumMissingReason,
  connectCore,
  launchBrowser,
  login,
  openStation,
  pressKey,
  saveScreenshot,
  type StationUnderTest,
} from './fixtures';
import { CASHIER_PC, problemsAtBothSizes } from './layout';
import type { OrderView } from '../src/shared/domain';
import { formatYuan } from '../src/shared/money';
import { ok, openOrder, settle } from '../test/harness/outpatient-harness';
import { bookViolations } from '../test/harness/station-orders';

const skipReason = chromiumMissingReason();

/** A resident's bill of several lines (a cash share) settled at the centre, its share paid by a QR. */
async function paidByQr(t: StationUnderTest): Promise<{ order: OrderView; outTradeNo: string; authCode: string }> {
  const c = await connectCore(t);
  try {
    const open = await openOrder(c, '390');
    expect(open.lines.length).toBeGreaterThan(1);
    await settle(c, open.id);
    const withQr = ok(await c.call<OrderView>('payOrderByQr', { orderId: open.id }));
    const qr = withQr.payments.find((p) => p.mode === 'precreate' && p.state === 'pending')!;
    const wallet = t.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    expect(t.station.training!.payChannel.control.payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    return { order: withQr, outTradeNo: qr.outTradeNo, authCode: wallet.authCode };
  } finally {
    c.close();
  }
}

describe.skipIf(skipReason !== null)(`a refund by line from the order drawer${skipReason ? ` (${skipReason})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('digit ticks the last line, Del + digit + Enter refunds it; the rest stays 已完成, the difference back on its trade', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC });
    try {
      const { page } = t;
      const rig = t.station.training!;
      const { order, outTradeNo, authCode } = await paidByQr(t);
      await login(page);
      const listed = page.getByTestId('cashier-today-list').locator(`[data-testid="today-order-state"][data-order-id="${order.id}"]`);
      await pw(listed, 20_000).toHaveAttribute('data-state', 'completed');

      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await pw(page.getByTestId('order-detail')).toHaveAttribute('data-order-id', order.id);
      await pw(page.locator('.order-drawer [class*="-motion-"]')).toHaveCount(0);
      const line = order.lines.at(-1)!;
      const digit = String(order.lines.length);
      await pw(page.getByTestId('detail-tick-hint')).toBeVisible();
      await page.keyboard.press(digit);
      await pw(page.locator('.order-drawer .ant-table-row-selected')).toHaveCount(1);
      await pw(page.locator('.order-drawer .ant-table-row-selected')).toContainText(line.name);
      await pw(page.getByTestId('detail-ticked')).toContainText(formatYuan(line.amountFen));
      const problems = await problemsAtBothSizes(
        page,
        ['order-detail', 'detail-tick-hint', 'detail-lines', 'detail-keys'].map((id) => page.getByTestId(id).first()),
      );
      expect(problems).toEqual([]);
      await saveScreenshot(page, 'cashier-partial-refund-ticked.png');

      await page.keyboard.press('Delete');
      const confirm = page.getByTestId('confirm-refund');
      await pw(page.getByText('部分退费？')).toBeVisible();
      await pw(confirm).toContainText('按剩余项目重新结算');
      await pw(confirm).toContainText(line.name);
      await page.keyboard.press('1');
      await page.keyboard.press('Enter');
      const rest = order.totalFen - line.amountFen;
      await pw(page.getByTestId('detail-total'), 20_000).toHaveText(formatYuan(rest));
      await pw(page.getByTestId('detail-state')).toHaveAttribute('data-state', 'completed');
      await pw(page.getByTestId('detail-lines').getByText(line.name)).toHaveCount(0);
      await saveScreenshot(page, 'cashier-partial-refund-done.png');

      const refunds = rig.payChannel.control.books().refunds;
      expect(refunds).toEqual([expect.objectContaining({ out_trade_no: outTradeNo, state: 'SUCCESS' })]);
      const back = refunds[0]!.refund_fee;
      expect(back).toBeGreaterThan(0);
      expect(rig.payChannel.control.balance(authCode)).toBe(1_000_000 - order.split!.cashFen + back);
      expect(bookViolations(t.dataDir, rig)).toEqual([]);

      await pressKey(page, 'F9', 'window');
      const dialog = page.getByTestId('receipt-dialog');
      await pw(dialog.getByTestId('receipt-refund-line')).toContainText(line.name);
      await pw(dialog.getByTestId('receipt-refund-cash')).toContainText(formatYuan(back));
      await saveScreenshot(page, 'cashier-partial-refund-slip.png');
    } finally {
      await t.close();
    }
  }, 90_000);
});
