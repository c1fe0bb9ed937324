/**
 * Issue 13, the cashier's side of items 2 and 4, in real Chromium at 1366×768: the idle window lists today's
 * settlements (masked name, order, state, total, self-pay); ↑/↓ and Enter open an order's detail — fee lines
 * (HX-42) and payments — in a drawer that fits the screen; Del refunds it (退费, confirmed by key with a reason
 * chosen by digit); the order shows 退费中 then 已退费 as the core moves it; the money is back in the payment
 * platform's books and HIS's. A refund HIS refuses (drugs dispensed) shows its next step and leaves the bill as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
import { maskPersonName } from '../src/renderer/features/cashier/today-list';
import { ok, openOrder, settle } from '../test/harness/outpatient-harness';
import { bookViolations } from '../test/harness/station-orders';

const skipReason = chromiumMissingReason();
const TEST_MS = 90_000;

/** A resident's order (no personal account: a cash share) settled at the centre, its share paid by a QR. */
async function settledByQr(t: StationUnderTest): Promise<{ order: OrderView; outTradeNo: string; authCode: string }> {
  const c = await connectCore(t);
  try {
    const open = await openOrder(c, '390');
    const due = await settle(c, open.id);
    expect(due.state).toBe('awaiting-payment');
    const withQr = ok(await c.call<OrderView>('payOrderByQr', { orderId: open.id }));
    const qr = withQr.payments.find((p) => p.mode === 'precreate' && p.state === 'pending')!;
    const wallet = t.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    expect(t.station.training!.payChannel.control.payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    return { order: withQr, outTradeNo: qr.outTradeNo, authCode: wallet.authCode };
  } finally {
    c.close();
  }
}

/** Signs in and waits until the list shows the order completed (the station's poll finds the QR paid). */
async function listShowsCompleted(page: Page, orderId: string): Promise<void> {
  await login(page);
  const state = page.getByTestId('cashier-today-list').locator(`[data-testid="today-order-state"][data-order-id="${orderId}"]`);
  await pw(state, 20_000).toHaveAttribute('data-state', 'completed');
}

async function inView(page: Page, step: string, ids: readonly string[]): Promise<void> {
  // A drawer sliding in is not yet where it stays: measure once its motion classes are gone.
  await pw(page.locator('.order-drawer [class*="-motion-"]')).toHaveCount(0);
  const problems = await problemsAtBothSizes(
    page,
    ids.map((id) => page.getByTestId(id).first()),
  );
  expect([step, problems]).toEqual([step, []]);
}

describe.skipIf(skipReason !== null)(`today's settlements at the cashier window${skipReason ? ` (${skipReason})` : ''}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'a QR-paid bill: ↓ Enter opens its lines and payments, Del + digit + Enter refunds it, 退费中 then 已退费, the money back on its trade',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        const { order, outTradeNo, authCode } = await settledByQr(t);
        const cashFen = order.split!.cashFen;
        expect(cashFen).toBeGreaterThan(0);
        await listShowsCompleted(page, order.id);

        const row = page.getByTestId('today-row').first();
        await pw(row).toContainText(maskPersonName(order.patientName));
        await pw(row).toContainText(order.hisOrderNo);
        await pw(row).toContainText(formatYuan(cashFen));
        expect(await row.innerText()).not.toContain(order.patientName);
        await inView(page, 'list', ['cashier-today-list', 'today-row', 'key-bar']);

        await page.keyboard.press('ArrowDown');
        await pw(row).toHaveAttribute('data-selected', 'true');
        await page.keyboard.press('Enter');
        const detail = page.getByTestId('order-detail');
        await pw(detail).toHaveAttribute('data-order-id', order.id);
        await pw(page.getByTestId('detail-lines')).toContainText(order.lines[0]!.name);
        await pw(page.getByTestId('detail-total')).toHaveText(formatYuan(order.totalFen));
        const payments = page.getByTestId('detail-payments');
        await pw(payments).toContainText(outTradeNo);
        await pw(payments).toContainText(formatYuan(cashFen));
        await pw(payments).toContainText('微信');
        await inView(page, 'detail', ['order-detail', 'detail-lines', 'detail-payments', 'detail-keys']);
        await saveScreenshot(page, 'cashier-today-detail.png');

        // F9 from the detail: the settlement slip by the existing print path — the browser's print counted, not printed.
        await page.evaluate(() => {
          const w = window as unknown as { printed: number };
          w.printed = 0;
          window.print = () => void (w.printed += 1);
        });
        const printed = () => page.evaluate(() => (window as unknown as { printed: number }).printed);
        await pressKey(page, 'F9', 'window');
        const dialog = page.getByTestId('receipt-dialog');
        await pw(dialog.getByTestId('receipt-title')).toHaveText('门诊医保结算单');
        await page.keyboard.press('Control+p');
        await pw(dialog.getByTestId('receipt-printed')).toBeVisible();
        expect(await printed()).toBe(1);
        await pw(dialog.getByTestId('receipt-refund')).toHaveCount(0);
        await page.keyboard.press('Escape');
        await pw(dialog).toHaveCount(0);
        await pw(detail).toBeVisible(); // Esc closed the slip, not the detail

        // The platform answers the refund a moment late, so 退费中 is on screen while the core waits for it.
        rig.payChannel.control.inject({ op: 'refund', fault: { kind: 'delay', ms: 1500 }, times: 1 });
        await page.keyboard.press('Delete');
        const confirm = page.getByTestId('confirm-refund');
        await pw(confirm).toBeVisible();
        await page.keyboard.press('2');
        await pw(confirm.locator('.ant-radio-wrapper-checked')).toContainText('医生取消处方');
        await page.keyboard.press('Enter');
        const state = page.getByTestId('detail-state');
        await pw(state).toHaveAttribute('data-state', 'refunding');
        await pw(state).toHaveText('退费中');
        await pw(state, 20_000).toHaveAttribute('data-state', 'refunded');
        await pw(state).toHaveText('已退费');
        await saveScreenshot(page, 'cashier-today-refunded.png');

        // Every other book: the platform refunded the whole trade, the wallet has it back, HIS's refund is done.
        const books = rig.payChannel.control.books();
        expect(books.refunds).toEqual([expect.objectContaining({ out_trade_no: outTradeNo, refund_fee: cashFen, state: 'SUCCESS' })]);
        expect(rig.payChannel.control.balance(authCode)).toBe(1_000_000);
        expect(rig.his.control.books().refunds).toEqual([expect.objectContaining({ state: 'done' })]);
        expect(rig.centre.control.messages().map((m) => m.infno)).toContain('2208');
        expect(bookViolations(t.dataDir, rig)).toEqual([]);

        // F9: the refund slip (退费凭证), a document of its own: its first print is no 补打 of the settlement slip.
        await pressKey(page, 'F9', 'window');
        await pw(dialog.getByTestId('receipt-title')).toHaveText('门诊退费凭证');
        await pw(dialog.getByTestId('receipt-refund-cash')).toContainText(formatYuan(cashFen));
        await pw(dialog.getByTestId('receipt-refund-fund')).toContainText(formatYuan(order.split!.fundFen));
        await pw(dialog.getByTestId('receipt-refund-account')).toContainText(formatYuan(order.split!.accountFen));
        await pw(dialog.getByTestId('receipt-refund-payment')).toContainText(formatYuan(cashFen));
        await pw(dialog.getByTestId('receipt-refund-payment')).toContainText('微信');
        await page.keyboard.press('Control+p');
        await pw(dialog.getByTestId('receipt-printed')).toBeVisible();
        expect(await printed()).toBe(2);
        await pw(dialog.getByTestId('receipt-reprint')).toHaveCount(0);
        await page.keyboard.press('Control+p');
        await pw(dialog.getByTestId('receipt-reprint')).toHaveAttribute('data-print-no', '2');
        await pw(dialog.getByTestId('receipt-title')).toHaveText('门诊退费凭证');
        expect(await printed()).toBe(3);
        await saveScreenshot(page, 'cashier-refund-slip.png');
        await page.keyboard.press('Escape');
        await pw(dialog).toHaveCount(0);

        await page.keyboard.press('Escape');
        await pw(detail).toHaveCount(0);
        const listed = page.getByTestId('cashier-today-list').locator(`[data-testid="today-order-state"][data-order-id="${order.id}"]`);
        await pw(listed).toHaveAttribute('data-state', 'refunded');
        await pw(listed).toHaveText('已退费');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  /** Opens the one completed bill from the list and refunds it by key: ↓ Enter, Del, Enter. */
  async function refundFromList(page: Page): Promise<void> {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await pw(page.getByTestId('order-detail')).toBeVisible();
    await page.keyboard.press('Delete');
    await pw(page.getByTestId('confirm-refund')).toBeVisible();
    await page.keyboard.press('Enter');
  }

  it(
    'HIS refuses the refund of a bill whose drugs were dispensed: the refusal and its next step (退药 first), the bill still 已完成, nothing refunded',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        const { order } = await settledByQr(t);
        await listShowsCompleted(page, order.id);
        rig.his.control.dispense(order.hisOrderNo);

        await refundFromList(page);
        const refused = page.getByTestId('refund-refused');
        await pw(refused).toContainText('药品已发放');
        await pw(refused).toContainText('药房办理退药');
        await pw(page.getByTestId('detail-state')).toHaveAttribute('data-state', 'completed');
        await pw(page.getByTestId('confirm-refund')).toHaveCount(0);
        await inView(page, 'refused', ['order-detail', 'refund-refused', 'detail-keys']);
        expect(rig.payChannel.control.books().refunds).toEqual([]);
        expect(rig.centre.control.messages().map((m) => m.infno)).not.toContain('2208');
        expect(bookViolations(t.dataDir, rig)).toEqual([]);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'the centre refuses the 2208: the refusal in its words and the next step (医保科), HIS application withdrawn, the bill still 已完成, nothing refunded',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        const { order } = await settledByQr(t);
        await listShowsCompleted(page, order.id);
        rig.centre.control.inject({ infno: '2208', fault: { kind: 'business-error', errMsg: '结算已清算，不能撤销' }, times: 1 });

        await refundFromList(page);
        const refused = page.getByTestId('refund-refused');
        await pw(refused).toContainText('结算已清算，不能撤销');
        await pw(refused).toContainText('医保科');
        await pw(page.getByTestId('detail-state')).toHaveAttribute('data-state', 'completed');
        expect(rig.payChannel.control.books().refunds).toEqual([]);
        expect(rig.his.control.books().refunds).toEqual([expect.objectContaining({ state: 'withdrawn' })]);
        expect(bookViolations(t.dataDir, rig)).toEqual([]);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
