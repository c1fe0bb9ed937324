/**
 * Every outpatient settlement path at the cashier window, in real Chromium and by the keyboard as a cashier
 * works (issue 6): fully covered by the personal account (F4, F5) and its slip (F9, 保存 PDF); the top-up paid by
 * a QR on the screen (F7, HX-22); self-pay only (F8 + Enter, HX-20/21); a refused payment code undoing the
 * insurance part by itself (HX-28); the top-up window running out (HX-33..35); and the cashier closing the QR
 * (Esc). Each test has its own station, and ends by checking the screen against every other side's ledger: the
 * NHSA centre, HIS, the payment platform and the message gateway. At every step the step's essentials are in
 * view without page scroll at 1366×768 and at 1920×1080 (issue 12, item 1; `e2e/layout.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect as pw } from './expect';
import {
  chromiumMissingReason,
  connectCore,
  launchBrowser,
  login,
  openStation,
  saveScreenshot,
  type StationUnderTest,
  pressKey,
} from './fixtures';
import { POPULATION, type InsuredPerson } from '../src/simulators/nhsa';
import { ORDER_STATE_LABELS, type OrderView } from '../src/shared/domain';
import { fenToCapitals } from '../src/shared/money-capitals';
import { qrMatrix, qrPath } from '../src/renderer/features/cashier/qr-svg';
import { readQrOnScreen } from './qr-oracle';
import { bookViolations } from '../test/harness/station-orders';
import { CASHIER_PC, problemsAtBothSizes } from './layout';

const skipReason = chromiumMissingReason();
if (skipReason) console.warn(`[e2e] skipped: ${skipReason}`);

/** Local (Xiamen), currently insured people of the training population, by insurance type. */
const local = (insutype: '310' | '390') =>
  POPULATION.filter(
    (p) => p.insurances[0]?.insutype === insutype && p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.psnInsuStas === '1',
  );
/** 陈建国: employee (310), account 3,256.78 — far more than any training order's personal part. */
const employee = local('310')[0]!;
/** 林美华: another employee, who chooses to pay everything herself. */
const selfPayer = local('310')[1]!;
/** 黄志强: resident (390), no personal account — there is always a cash share to top up. */
const resident = local('390')[0]!;

const TEST_MS = 60_000;

/**
 * What each step must show, wholly in view without page scroll, beside the status bar (issue 12, item 1): the
 * patient bar and the order's total always, then the split, the amount to collect and its countdown, the QR, the
 * result, or the news of a reversal.
 */
const ESSENTIALS = {
  identified: ['patient-card', 'order-total', 'order-split', 'key-bar'],
  previewed: ['patient-card', 'order-total', 'order-split', 'order-split-cash', 'key-bar'],
  awaiting: ['patient-card', 'order-total', 'order-split', 'order-cash-due', 'order-pay-countdown', 'key-bar'],
  qr: ['patient-card', 'order-total', 'order-cash-due', 'order-pay-countdown', 'qr-svg', 'qr-amount', 'qr-countdown'],
  completed: ['patient-card', 'order-total', 'order-result', 'his-settle-no', 'key-bar'],
  reopened: ['patient-card', 'order-total', 'order-state', 'order-detail', 'key-bar'],
  expired: ['patient-card', 'order-total', 'order-state', 'key-bar'],
} as const;

/** The step's essentials in view at 1366×768 and, resized, at 1920×1080. */
async function stepInView(page: Page, step: keyof typeof ESSENTIALS): Promise<void> {
  const problems = await problemsAtBothSizes(
    page,
    ESSENTIALS[step].map((id) => page.getByTestId(id)),
  );
  expect([step, problems]).toEqual([step, []]);
}

const centreInfnos = (t: StationUnderTest) => t.station.training!.centre.control.messages().map((m) => m.infno);

/** Every book on its own (the centre's, HIS's, the platform's) agrees with the station's orders at the path's end. */
function booksAgree(t: StationUnderTest): void {
  expect(bookViolations(t.dataDir, t.station.training!)).toEqual([]);
}

describe.skipIf(skipReason !== null)('cashier settles outpatient orders on every path', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Sign in, wait for the scan box, then F2 → the ID number → Enter, as at the window. */
  async function identifyByIdNumber(page: Page, person: InsuredPerson) {
    await login(page);
    await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
    await page.keyboard.press('F2');
    await page.keyboard.type(person.idNo);
    await page.keyboard.press('Enter');
    await pw(page.getByTestId('patient-name')).toHaveText(person.name);
    await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'open');
    await stepInView(page, 'identified');
  }

  /** F4 (split shown), then F5: the insurance part settled, the cash share awaited. */
  async function settleInsurance(page: Page) {
    const card = page.getByTestId('order-card');
    await pressKey(page, 'F4', 'window');
    await pw(card).toHaveAttribute('data-state', 'previewed');
    await pw(page.getByTestId('order-split-cash')).toContainText('¥');
    await stepInView(page, 'previewed');
    await pressKey(page, 'F5', 'window');
  }

  /** The one order of the identified patient as the core holds it (a second window of the same cashier). */
  async function coreOrder(t: StationUnderTest): Promise<OrderView> {
    const c = await connectCore(t);
    try {
      const r = await c.call<OrderView[]>('listTodayOrders', {});
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      expect(r.value).toHaveLength(1);
      return r.value[0]!;
    } finally {
      c.close();
    }
  }

  it(
    'insured, fully covered by the personal account (F3 card, F4, F5): completed with HIS, no payment; F9 slip with 补充累计起付, PDF saved',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        await login(page);
        await pw(page.getByTestId('device-badge-reader-1')).toHaveAttribute('data-state', 'connected');
        const card = rig.cards.find((c) => c.ssn === employee.idNo)!;
        rig.cardReader!.insert(card);
        await page.keyboard.press('F3');
        await pw(page.getByTestId('patient-name')).toHaveText(employee.name);
        const order = page.getByTestId('order-card');
        await pw(order).toHaveAttribute('data-state', 'open');
        await stepInView(page, 'identified');

        await pressKey(page, 'F4', 'window');
        await pw(order).toHaveAttribute('data-state', 'previewed');
        await pw(page.getByTestId('order-split-cash')).toHaveText('¥0.00');
        await stepInView(page, 'previewed');
        await pressKey(page, 'F5', 'window');
        await pw(order).toHaveAttribute('data-state', 'completed');
        await pw(page.getByTestId('order-state')).toHaveText(ORDER_STATE_LABELS.completed);
        await pw(page.getByTestId('his-settle-no')).toBeVisible();
        await stepInView(page, 'completed');
        await pw(page.getByTestId('order-result')).toBeVisible();
        await pw(page.getByTestId('order-result-cash')).toHaveText('¥0.00');
        await pw(page.getByTestId('order-pay-prompt')).toHaveCount(0);
        await pw(page.getByTestId('his-settle-no')).toBeVisible();
        const hisSettleNo = (await page.getByTestId('his-settle-no').innerText()).trim();
        await saveScreenshot(page, 'cashier-settled-covered.png');

        // Ledgers: HIS booked it once with the centre's settlement, the centre has its 2207, nothing was charged.
        const core = await coreOrder(t);
        expect(core).toMatchObject({ state: 'completed', settleMode: 'insurance' });
        expect(core.split!.cashFen).toBe(0);
        expect(core.split!.accountFen).toBeGreaterThan(0);
        const his = rig.his.control.settlements();
        expect(his).toHaveLength(1);
        expect(his[0]).toMatchObject({
          kind: 'insured',
          state: 'settled',
          order_no: core.hisOrderNo,
          setl_id: core.setlId,
          his_settle_no: hisSettleNo,
          cash_fen: 0,
          acct_fen: core.split!.accountFen,
          fund_fen: core.split!.fundFen,
        });
        expect(centreInfnos(t).filter((i) => i === '2207')).toHaveLength(1);
        expect(centreInfnos(t)).not.toContain('2208');
        expect(rig.payChannel.control.trades()).toHaveLength(0);

        // F9: the slip, with the supplementary cumulative deductible an employee's scheme supplies.
        await pressKey(page, 'F9', 'window');
        const dialog = page.getByTestId('receipt-dialog');
        await pw(dialog).toBeVisible();
        await pw(dialog.getByTestId('receipt-title')).toHaveText('门诊医保结算单');
        await pw(dialog.getByTestId('receipt-his-settle-no')).toHaveText(hisSettleNo);
        await pw(dialog.getByTestId('receipt-supp-deductible')).toHaveCount(1);
        await pw(dialog.getByTestId('receipt-cash')).toContainText('¥0.00');
        // The total in capitals; grades by name, the centre's codes never shown (issue 12, item 4).
        await pw(dialog.getByTestId('receipt-total-capitals')).toContainText(`人民币${fenToCapitals(core.totalFen)}`);
        expect(core.lines.map((l) => l.chargeLevel).filter((g) => !['甲类', '乙类', '丙类'].includes(g))).toEqual([]);
        await pw(dialog.getByTestId('receipt-lines')).toContainText(core.lines[0]!.chargeLevel);
        await dialog.getByTestId('receipt-pdf').click();
        await pw(dialog.getByTestId('receipt-pdf-path'), 20_000).toBeVisible();
        const pdfPath = (await dialog.getByTestId('receipt-pdf-path').locator('.code').innerText()).trim();
        expect(pdfPath.startsWith(path.join(t.dataDir, 'receipts'))).toBe(true);
        expect(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
        await page.keyboard.press('Escape');
        await pw(dialog).toHaveCount(0);
        await pw(page.getByTestId('patient-name')).toHaveText(employee.name); // Esc closed the slip, not the patient
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'insured + top-up by a QR on the screen (HX-22; F6 face, F4, F5, F7): the patient pays it, completed, pushed; wallet charged the cash share once',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        await login(page);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        const { name } = await rig.presentFace(rig.vouchers.findIndex((v) => v.psnNo === resident.psnNo));
        expect(name).toBe(resident.name);
        await page.keyboard.press('F6');
        await pw(page.getByTestId('patient-name')).toHaveText(resident.name);
        const order = page.getByTestId('order-card');
        await pw(order).toHaveAttribute('data-state', 'open');
        await stepInView(page, 'identified');

        await settleInsurance(page);
        await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
        await stepInView(page, 'awaiting');
        await pressKey(page, 'F7', 'window');
        const panel = page.getByTestId('qr-panel');
        await pw(panel).toBeVisible();
        await pw(panel.getByTestId('qr-svg')).toBeVisible();
        await pw(panel.getByTestId('qr-countdown')).toHaveAttribute('data-phase', 'running');
        await stepInView(page, 'qr');
        expect(await panel.getByTestId('qr-countdown').innerText()).toMatch(/^\d{1,2}:\d{2}$/);
        const outTradeNo = (await panel.getAttribute('data-out-trade-no'))!;

        // The patient's phone reads the QR: the core's code_url for this payment, and the very symbol on screen.
        const shown = await coreOrder(t);
        const qr = shown.payments.find((p) => p.outTradeNo === outTradeNo)!;
        expect(qr).toMatchObject({ mode: 'precreate', state: 'pending', amountFen: shown.split!.cashFen });
        expect(qr.qrCode).toBeTruthy();
        expect(await panel.getByTestId('qr-svg').locator('path').getAttribute('d')).toBe(qrPath(qrMatrix(qr.qrCode!)));
        expect(await readQrOnScreen(panel.getByTestId('qr-svg'))).toBe(qr.qrCode); // read by another decoder (jsQR)
        await pw(panel.getByTestId('qr-amount')).toHaveText(await page.getByTestId('order-cash-due').innerText());

        const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
        expect(rig.payChannel.control.payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: true, outTradeNo });
        // Nobody touches the screen: the station's poll of the QR order finds it paid.
        await pw(order, 15_000).toHaveAttribute('data-state', 'completed');
        await pw(panel).toHaveCount(0);
        await pw(page.getByTestId('order-result')).toBeVisible();
        await pw(page.getByTestId('his-settle-no')).toBeVisible();
        await pw(page.getByTestId('push-state'), 15_000).toHaveAttribute('data-push', 'sent');
        await pw(page.getByTestId('order-result-payments')).toContainText(outTradeNo);
        await stepInView(page, 'completed');
        await saveScreenshot(page, 'cashier-settled-qr.png');

        const done = await coreOrder(t);
        const cashFen = done.split!.cashFen;
        expect(cashFen).toBeGreaterThan(0);
        const his = rig.his.control.settlements();
        expect(his).toHaveLength(1);
        expect(his[0]).toMatchObject({ kind: 'insured', state: 'settled', setl_id: done.setlId, cash_fen: cashFen });
        expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000 - cashFen);
        const trades = rig.payChannel.control.trades();
        expect(trades).toHaveLength(1);
        expect(trades[0]).toMatchObject({ out_trade_no: outTradeNo, state: 'SUCCESS', total_fee: cashFen });
        expect(rig.messages.control.inbox(wallet.payerId)).toHaveLength(1);
        expect(centreInfnos(t).filter((i) => i === '2207')).toHaveLength(1);
        expect(centreInfnos(t)).not.toContain('2208');
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'self-pay only (HX-20/21; F8, Enter): the whole amount by payment code, HIS books it as self-pay, nothing goes to the centre; slip 门诊自费结算单',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        await identifyByIdNumber(page, selfPayer);
        const order = page.getByTestId('order-card');
        const totalText = (await page.getByTestId('order-total').innerText()).trim();
        const centreBefore = centreInfnos(t);
        expect(centreBefore).toEqual(['9001', '1101']);

        await pressKey(page, 'F8', 'window');
        await pw(page.getByTestId('selfpay-confirm')).toBeVisible();
        await page.keyboard.press('Enter');
        await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
        await pw(order).toHaveAttribute('data-settle-mode', 'self-pay');
        await pw(page.getByTestId('order-cash-due')).toHaveText(totalText);
        await pw(page.getByTestId('patient-name')).toHaveText(selfPayer.name); // Enter confirmed, it did not resubmit the ID form
        await stepInView(page, 'awaiting');

        const due = await coreOrder(t);
        expect(due.split).toMatchObject({ cashFen: due.totalFen, fundFen: 0, accountFen: 0 });
        const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 10 * due.totalFen });
        await rig.scanner!.scan(wallet.authCode);
        await pw(order).toHaveAttribute('data-state', 'completed');
        await pw(page.getByTestId('order-result-cash')).toHaveText(totalText);
        await pw(page.getByTestId('his-settle-no')).toBeVisible();
        await stepInView(page, 'completed');

        expect(rig.payChannel.control.balance(wallet.authCode)).toBe(9 * due.totalFen);
        const his = rig.his.control.settlements();
        expect(his).toEqual([
          expect.objectContaining({ kind: 'selfpay', state: 'settled', order_no: due.hisOrderNo, cash_fen: due.totalFen }),
        ]);
        const centre = centreInfnos(t);
        expect(centre).toEqual(centreBefore);
        for (const infno of ['2201', '2204', '2206', '2207']) expect(centre).not.toContain(infno);

        await pressKey(page, 'F9', 'window');
        const dialog = page.getByTestId('receipt-dialog');
        await pw(dialog.getByTestId('receipt-title')).toHaveText('门诊自费结算单');
        await pw(dialog.getByTestId('receipt-cash')).toContainText(totalText);
        await pw(dialog.getByTestId('receipt-supp-deductible')).toHaveCount(0);
        await pw(dialog.getByTestId('receipt-payments')).toContainText(totalText);
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'a refused payment code (HX-28): the insurance part is reversed by itself (2208, 2205, 2202), the order back at 待结算, nothing booked or charged',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        await identifyByIdNumber(page, resident);
        const order = page.getByTestId('order-card');
        await settleInsurance(page);
        await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
        await stepInView(page, 'awaiting');

        const poor = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1 });
        await rig.scanner!.scan(poor.authCode);
        await pw(order, 15_000).toHaveAttribute('data-state', 'open');
        await pw(page.getByTestId('order-state')).toHaveText(ORDER_STATE_LABELS.open);
        await pw(page.getByTestId('order-detail')).toContainText('已自动撤销');
        expect(await page.getByTestId('order-detail').innerText()).toMatch(/付款失败.*已自动撤销/s);
        await stepInView(page, 'reopened');
        await saveScreenshot(page, 'cashier-payment-refused.png');

        const back = await coreOrder(t);
        expect(back).toMatchObject({ state: 'open', setlId: null });
        expect(centreInfnos(t).slice(-5)).toEqual(['2208', '2205', '5204', '2202', '5201']); // 5204 / 5201 confirm the empty answers
        expect(rig.his.control.settlements()).toHaveLength(0);
        expect(rig.payChannel.control.balance(poor.authCode)).toBe(1);
        expect(rig.payChannel.control.trades().filter((tr) => tr.state === 'SUCCESS')).toHaveLength(0);
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'the top-up window runs out (HX-33..35): the settlement (2208) and the registration (2202) are reversed, the order 已过期',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, payWindowMs: 8000, sweepEveryMs: 200 });
      try {
        const { page } = t;
        const rig = t.station.training!;
        await identifyByIdNumber(page, resident);
        const order = page.getByTestId('order-card');
        await settleInsurance(page);
        await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
        await pw(page.getByTestId('order-pay-countdown')).toBeVisible();
        await stepInView(page, 'awaiting');

        await pw(order, 20_000).toHaveAttribute('data-state', 'expired');
        await pw(page.getByTestId('order-state')).toHaveText(ORDER_STATE_LABELS.expired);
        await pw(page.getByTestId('order-pay-prompt')).toHaveCount(0);
        await stepInView(page, 'expired');
        await saveScreenshot(page, 'cashier-topup-expired.png');

        expect((await coreOrder(t)).state).toBe('expired');
        const centre = centreInfnos(t);
        expect(centre).toContain('2208');
        expect(centre).toContain('2202');
        expect(centre.indexOf('2208')).toBeGreaterThan(centre.lastIndexOf('2207'));
        expect(rig.his.control.settlements()).toHaveLength(0);
        expect(rig.payChannel.control.trades()).toHaveLength(0);
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'the cashier closes the QR (Esc): nothing paid, the insurance part undone, the order back at 待结算 and its old QR unpayable',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        const rig = t.station.training!;
        await identifyByIdNumber(page, resident);
        const order = page.getByTestId('order-card');
        await settleInsurance(page);
        await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
        await pressKey(page, 'F7', 'window');
        const panel = page.getByTestId('qr-panel');
        await pw(panel.getByTestId('qr-svg')).toBeVisible();
        await stepInView(page, 'qr');
        const outTradeNo = (await panel.getAttribute('data-out-trade-no'))!;
        const qrCode = (await coreOrder(t)).payments.find((p) => p.outTradeNo === outTradeNo)!.qrCode!;

        // Esc is the QR's only while no step runs (as its 取消二维码 button): wait until the screen offers it.
        await pw(panel.getByTestId('qr-cancel')).toBeEnabled();
        await pressKey(page, 'Escape', 'window');
        // Closing the QR undoes the insurance settlement: it asks first, Enter confirms.
        await pw(page.getByTestId('confirm-close-qr')).toBeVisible();
        await page.keyboard.press('Enter');
        await pw(order, 15_000).toHaveAttribute('data-state', 'open');
        await pw(panel).toHaveCount(0);
        await pw(page.getByTestId('patient-name')).toHaveText(resident.name); // Esc belonged to the QR, not to "next patient"
        expect(await page.getByTestId('order-detail').innerText()).toMatch(/二维码未付款已关闭.*已自动撤销/s);
        await stepInView(page, 'reopened');

        const back = await coreOrder(t);
        expect(back).toMatchObject({ state: 'open', setlId: null });
        expect(back.payments.find((p) => p.outTradeNo === outTradeNo)!.state).toBe('closed');
        // Closed at the platform: by closeorder, or — the vendors refuse a close in a QR's first minutes — by the
        // platform's cancel, which closes an unpaid order (reverse_action CLOSE), never a refund.
        const trade = rig.payChannel.control.trade(outTradeNo)!;
        expect(['CLOSED', 'REVOKED']).toContain(trade.state);
        expect(trade.reverse_action ?? 'CLOSE').toBe('CLOSE');
        expect(trade.paid_at).toBeNull();
        const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
        expect(rig.payChannel.control.payQr(qrCode, wallet.authCode)).toMatchObject({ paid: false });
        expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000);
        expect(centreInfnos(t).slice(-5)).toEqual(['2208', '2205', '5204', '2202', '5201']); // 5204 / 5201 confirm the empty answers
        expect(rig.his.control.settlements()).toHaveLength(0);
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'the doctor settles in the clinic room (HX-19): F2, F4, F5 on the doctor station; the result and 今日诊间结算 update live',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        await login(page, 'ys001');
        await pw(page.getByTestId('doctor-today-list')).toBeVisible();
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await page.keyboard.press('F2');
        await page.keyboard.type(employee.idNo);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('patient-name')).toHaveText(employee.name);
        const order = page.getByTestId('order-card');
        await pw(order).toHaveAttribute('data-state', 'open');
        await stepInView(page, 'identified');
        await pressKey(page, 'F4', 'window');
        await pw(order).toHaveAttribute('data-state', 'previewed');
        await stepInView(page, 'previewed');
        await pressKey(page, 'F5', 'window');
        await pw(order).toHaveAttribute('data-state', 'completed');
        await pw(page.getByTestId('order-result')).toBeVisible();
        await pw(page.getByTestId('his-settle-no')).toBeVisible();
        await stepInView(page, 'completed');
        // The day's list picked the settlement up by itself (orderUpdated), with its state.
        const row = page.getByTestId('doctor-today-list').getByTestId('today-order-state');
        await pw(row).toHaveAttribute('data-state', 'completed');
        await saveScreenshot(page, 'doctor-station-settled.png');
        const c = await connectCore(t, 'ys001');
        try {
          const today = await c.call<OrderView[]>('listTodayOrders', {});
          expect(today.ok && today.value.map((o) => o.state)).toEqual(['completed']);
        } finally {
          c.close();
        }
        expect(t.station.training!.his.control.settlements()).toHaveLength(1);
        // Esc: the next patient. The result block goes away cleanly (the page reports no error on close).
        await page.keyboard.press('Escape');
        await pw(page.getByTestId('patient-name')).toHaveCount(0);
        booksAgree(t);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
