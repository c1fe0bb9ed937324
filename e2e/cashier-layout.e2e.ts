/**
 * The window on a real cashier PC (issue 12, item 1): Ant Design under the strict CSP, and every step of a settlement
 * in view at 1366×768 (and 1366×696, a maximised window above the Windows taskbar, and 1920×1080) without page
 * scroll; the destructive keys ask first. Screenshots for docs/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, saveScreenshot, pressKey } from './fixtures';
import { inView, layoutProblems, SCREENS } from './layout';
import { POPULATION, type InsuredPerson } from '../src/simulators/nhsa';

const skipReason = chromiumMissingReason();
const TEST_MS = 60_000;

const local = (insutype: '310' | '390') =>
  POPULATION.filter(
    (p) => p.insurances[0]?.insutype === insutype && p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.psnInsuStas === '1',
  );
/** A resident (390) has no personal account: there is always a cash share to collect. */
const resident = local('390')[0]!;
const employee = local('310')[0]!;

async function shoot(page: Page, name: string) {
  await pw(page.getByTestId('order-busy')).toHaveCount(0);
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, name) });
}

async function identify(page: Page, person: InsuredPerson) {
  await page.keyboard.press('F2');
  await page.keyboard.type(person.idNo);
  await page.keyboard.press('Enter');
  await pw(page.getByTestId('patient-name')).toHaveText(person.name);
  await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'open');
}

describe.skipIf(skipReason !== null)('the cashier window at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'antd renders under the strict CSP: no violation while the cashier screen shows antd parts, styles from the built CSS',
    async () => {
      const t = await openStation(browser, { viewport: { width: 1366, height: 768 } });
      try {
        const { page } = t;
        const header = (await fetch(t.host.pageUrl)).headers.get('content-security-policy') ?? '';
        expect(header).toContain("style-src 'self'");
        expect(header).not.toContain('unsafe-inline');
        await login(page);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await identify(page, resident);
        await pressKey(page, 'F4', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'previewed');
        await page.keyboard.press('F8'); // not legal after F4 (unlit): nothing opens
        await pressKey(page, 'F5', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'awaiting-payment');
        await pressKey(page, 'Delete', 'window'); // a Modal: the confirmation of 撤销医保结算
        await pw(page.getByTestId('confirm-undo')).toBeVisible();
        const styled = await page.evaluate(() => {
          const cell = document.querySelector('.fee-list .ant-table-tbody td')!;
          const modal = document.querySelector('[data-testid="confirm-undo"]')!.closest('.ant-modal')!;
          return {
            cellPadding: getComputedStyle(cell).paddingTop,
            modalPosition: getComputedStyle(modal).position,
            inlineStyles: document.querySelectorAll('style').length,
            violations: (window as unknown as { cspViolations: string[] }).cspViolations,
          };
        });
        // The compact theme's 4 px cell padding and the modal's own CSS arrived from the built stylesheet.
        expect(styled).toEqual({ cellPadding: '4px', modalPosition: 'relative', inlineStyles: 0, violations: [] });
        await page.keyboard.press('Escape');
        await pw(page.getByTestId('confirm-undo')).toHaveCount(0);
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'awaiting-payment');

        // F7: the QR for the patient, its amount and countdown in view at 1366×696 too.
        await pressKey(page, 'F7', 'window');
        await pw(page.getByTestId('qr-svg')).toBeVisible();
        const qrParts = [page.getByTestId('qr-svg'), page.getByTestId('qr-countdown'), page.getByTestId('order-cash-due')];
        await page.setViewportSize({ width: 1366, height: 696 });
        expect(await layoutProblems(page, qrParts)).toEqual([]);
        await page.setViewportSize({ width: 1366, height: 768 });
        expect(await layoutProblems(page, qrParts)).toEqual([]);
        await pw(page.getByTestId('key-Esc')).toContainText('取消二维码');
        await shoot(page, 'cashier-qr.png');
        expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'every step in view without page scroll (F4 split, F5 amount and countdown), Esc and 撤销 ask first, the next patient starts at the top',
    async () => {
      const t = await openStation(browser, { viewport: { width: 1366, height: 768 } });
      try {
        const { page } = t;
        // The sign-in fits a maximised window above the taskbar too (the body never scrolls, so nothing may be cut).
        await page.setViewportSize({ width: 1366, height: 696 });
        await pw(page.getByTestId('login-submit')).toBeVisible();
        expect([await inView(page, page.getByTestId('login-submit')), await inView(page, page.getByTestId('training-banner'))]).toEqual([
          null,
          null,
        ]);
        await page.setViewportSize({ width: 1366, height: 768 });
        await login(page);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await pw(page.getByTestId('scan-prompt')).toBeVisible();
        expect(await layoutProblems(page, [page.getByTestId('training-banner'), page.getByTestId('key-bar')])).toEqual([]);
        await shoot(page, 'cashier-idle.png');

        await identify(page, resident);
        await pressKey(page, 'F4', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'previewed');
        await pw(page.getByTestId('key-F5')).toHaveAttribute('data-enabled', 'true');
        await pw(page.getByTestId('key-F4')).toHaveAttribute('data-enabled', 'false');
        expect(
          await layoutProblems(page, [page.getByTestId('order-split'), page.getByTestId('order-total'), page.getByTestId('patient-name')]),
        ).toEqual([]);
        await shoot(page, 'cashier-after-f4.png');

        await pressKey(page, 'F5', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'awaiting-payment');
        const awaiting = [page.getByTestId('order-cash-due'), page.getByTestId('order-pay-countdown'), page.getByTestId('order-split')];
        for (const size of [
          { width: 1366, height: 768 },
          { width: 1366, height: 696 },
          { width: 1920, height: 1080 },
        ]) {
          await page.setViewportSize(size);
          expect([size, await layoutProblems(page, awaiting)]).toEqual([size, []]);
        }
        await page.setViewportSize({ width: 1366, height: 768 });
        await shoot(page, 'cashier-awaiting-payment.png');

        // Esc while the payment is awaited asks first; Esc again goes back to the patient, untouched.
        await pressKey(page, 'Escape', 'window');
        await pw(page.getByTestId('confirm-clear')).toBeVisible();
        await page.keyboard.press('Escape');
        await pw(page.getByTestId('confirm-clear')).toHaveCount(0);
        await pw(page.getByTestId('patient-name')).toHaveText(resident.name);

        // 撤销医保结算 by key: Del asks, a digit picks the reason, Enter confirms; the whole round is undone
        // (2208 → 2205 → 2202) and the order is open again with the cashier's reason.
        await pressKey(page, 'Delete', 'window');
        await pw(page.getByTestId('confirm-undo')).toBeVisible();
        await page.keyboard.press('2');
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('order-card'), 20_000).toHaveAttribute('data-state', 'open');
        await pw(page.getByTestId('order-detail')).toContainText('收费员撤销医保结算（患者改为自费）');
        const undone = t.station.training!.centre.control.messages().map((m) => m.infno);
        expect(undone.filter((i) => ['2208', '2205', '2202'].includes(i))).toEqual(['2208', '2205', '2202']);

        // Nothing awaited now: Esc is the next patient at once, who starts at the top.
        await page.evaluate(() => {
          document.querySelector('[data-testid="fee-list-scroll"]')!.scrollTop = 10_000;
        });
        await pressKey(page, 'Escape', 'window');
        await pw(page.getByTestId('patient-name')).toHaveCount(0);
        await identify(page, employee);
        const tops = await page.evaluate(() => ({
          page: document.scrollingElement!.scrollTop,
          list: document.querySelector('[data-testid="fee-list-scroll"]')!.scrollTop,
        }));
        expect(tops).toEqual({ page: 0, list: 0 });
        expect(await layoutProblems(page, [page.getByTestId('patient-name'), page.getByTestId('order-total')])).toEqual([]);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'a patient with two orders: one at a time, the finished one stays in view until the cashier picks the next, whose keys then act',
    async () => {
      const t = await openStation(browser, { viewport: { width: 1366, height: 768 } });
      try {
        const { page } = t;
        const his = t.station.training!.his;
        const patient = his.control.patients().find((p) => p.id_no === employee.idNo)!;
        const second = his.control.prescribe({
          patientId: patient.patient_id,
          prescriptions: [{ lines: [{ hospCode: 'Y0001', quantity: '1' }] }],
        });
        await login(page);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await identify(page, employee);
        await pw(page.getByTestId('order-switch')).toHaveCount(2);
        const first = (await page.getByTestId('order-card').getAttribute('data-his-order-no'))!;
        expect(first).not.toBe(second);

        // The account covers it: F4, F5 and the first order is completed — and stays on screen with its result.
        await pressKey(page, 'F4', 'window');
        await pressKey(page, 'F5', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'completed');
        await pw(page.getByTestId('order-result')).toBeVisible();
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-his-order-no', first);
        await pw(page.getByTestId('key-F4')).toHaveAttribute('data-enabled', 'false');
        // Its fiscal e-bill, issued at the gateway after HIS booked it, shows with its number (AQ-15).
        await pw(page.getByTestId('ebill-state'), 15_000).toHaveAttribute('data-ebill', 'issued');
        const bill = t.station.training!.ebill.control.bills()[0]!;
        await pw(page.getByTestId('ebill-state')).toContainText(bill.billNo);
        expect(await layoutProblems(page, [page.getByTestId('order-result'), page.getByTestId('ebill-state')])).toEqual([]);
        await shoot(page, 'cashier-completed-ebill.png');

        await page.getByTestId('order-switch').filter({ hasText: second }).click();
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-his-order-no', second);
        await pressKey(page, 'F4', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'previewed');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-his-order-no', second);
        expect(await layoutProblems(page, [page.getByTestId('order-split'), page.getByTestId('order-total')])).toEqual([]);
        await saveScreenshot(page, 'cashier-two-orders.png');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'the doctor station fits 1366×768 on the same parts: patient bar, order, today list, key bar, status bar',
    async () => {
      const t = await openStation(browser, { viewport: { width: 1366, height: 768 } });
      try {
        const { page } = t;
        await login(page, 'ys001');
        await pw(page.getByTestId('doctor-today-list')).toBeVisible();
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await identify(page, employee);
        await pressKey(page, 'F4', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'previewed');
        expect(
          await layoutProblems(page, [
            page.getByTestId('order-split'),
            page.getByTestId('order-total'),
            page.getByTestId('doctor-today-list'),
            page.getByTestId('key-bar'),
          ]),
        ).toEqual([]);
        expect(await page.getByTestId('key-Del').count()).toBe(0); // undoing stays with the cashier
        await shoot(page, 'doctor-station.png');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
