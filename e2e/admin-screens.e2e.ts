/**
 * The administrator's screens and the sign-in at 1366×768 (issue 12, item 1): each 系统管理 section fills the
 * window under its tabs, its list scrolls inside its own area (never the page), the status bar stays in view;
 * and the station's two alarms, both at once over a cashier awaiting a payment, leave the amount in view.
 * Screenshots of each into artifacts/screens/ for docs/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { StationCore } from '../src/station/api/core-contract';
import { POPULATION } from '../src/simulators/nhsa';
import { expect as pw } from './expect';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation, pressKey } from './fixtures';
import { CASHIER_PC, layoutProblems, pageProblems, problemsAtBothSizes, saveScreen } from './layout';

const skipReason = chromiumMissingReason();
const TEST_MS = 60_000;

/** A local resident (390): no personal account, so a cash share is awaited after F5. */
const resident = POPULATION.find(
  (p) => p.insurances[0]?.insutype === '390' && p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.psnInsuStas === '1',
)!;

/**
 * The real core, except that its storage and outbox queries report both alarms: a full disk, and movements in
 * doubt of which one waits for a person. Only what the window is told changes; the settlement itself is real.
 */
function bothAlarms(core: StationCore): StationCore {
  return {
    openSession: (channel) => core.openSession(channel),
    closeSession: (session) => core.closeSession(session),
    dispose: () => core.dispose(),
    subscribe: (session, listener) => core.subscribe(session, listener),
    dispatch: async (session, op, input) => {
      const answer = await core.dispatch(session, op, input);
      if (!answer.ok) return answer;
      if (op === 'storageStatus') return { ok: true, value: { failing: true, code: 'SQLITE_FULL', since: new Date().toISOString() } };
      if (op === 'outboxSummary') return { ok: true, value: { inDoubt: 2, escalated: 1 } };
      return answer;
    },
  };
}

/** Whether a list holds more rows than its area shows, so it must scroll there (and the page must not). */
function overflowsItsArea(page: Page, testId: string): Promise<{ scrolls: boolean }> {
  return page.getByTestId(testId).evaluate((area) => ({ scrolls: area.scrollHeight > area.clientHeight }));
}

describe.skipIf(skipReason !== null)('the administrator’s screens at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'sign-in, then 待核实交易, 审计日志 (a long list scrolling in its area), 操作员 and 外设 with a device’s records: no page scroll, status bar shown, at 1366×768 and 1920×1080',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        await pw(page.getByTestId('login-submit')).toBeVisible();
        expect(await pageProblems(page, [page.getByTestId('login-form'), page.getByTestId('training-banner')])).toEqual([]);
        await saveScreen(page, 'sign-in.png');

        // Forty sign-ins by another window: more audit entries than the list's area shows.
        for (let i = 0; i < 40; i++) (await connectCore(t)).close();

        await login(page, 'admin');
        await pw(page.getByTestId('intents-table')).toBeVisible();
        expect(await problemsAtBothSizes(page, [page.getByTestId('intents-table'), page.getByTestId('intents-refresh')])).toEqual([]);
        await saveScreen(page, 'admin-intents.png');

        await page.getByTestId('tab-audit').click();
        await pw(page.getByTestId('audit-table')).toContainText('登录');
        expect(await problemsAtBothSizes(page, [page.getByTestId('audit-table'), page.getByTestId('audit-refresh')])).toEqual([]);
        expect(await overflowsItsArea(page, 'audit-table')).toEqual({ scrolls: true });
        await saveScreen(page, 'admin-audit.png');

        await page.getByTestId('tab-operators').click();
        await pw(page.getByTestId('operators-table')).toContainText('sf001');
        expect(await problemsAtBothSizes(page, [page.getByTestId('operator-add-form'), page.getByTestId('operators-table')])).toEqual([]);
        await saveScreen(page, 'admin-operators.png');

        await page.getByTestId('tab-devices').click();
        await pw(page.getByTestId('device-list')).toContainText('scanbox-1');
        await page.getByTestId('device-select-scanbox-1').click();
        await pw(page.getByTestId('device-frames')).toBeVisible();
        expect(
          await problemsAtBothSizes(page, [
            page.getByTestId('device-list'),
            page.getByTestId('device-detail'),
            page.getByTestId('device-frames'),
          ]),
        ).toEqual([]);
        await saveScreen(page, 'admin-devices.png');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );

  it(
    'the storage and outbox alarms at once over a cashier awaiting a payment: one line each, the amount, countdown and status bar in view',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, core: bothAlarms });
      try {
        const { page } = t;
        await login(page);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await page.keyboard.press('F2');
        await page.keyboard.type(resident.idNo);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'open');
        await pressKey(page, 'F4', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'previewed');
        await pw(page.getByTestId('order-busy')).toHaveCount(0);
        await pressKey(page, 'F5', 'window');
        await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'awaiting-payment');
        await pw(page.getByTestId('storage-alarm')).toContainText('本机磁盘已满');
        await pw(page.getByTestId('outbox-alarm')).toHaveAttribute('data-escalated', '1');
        const alarmHeights = await Promise.all(
          ['storage-alarm', 'outbox-alarm'].map(async (id) => Math.round((await page.getByTestId(id).boundingBox())!.height)),
        );
        expect(alarmHeights.filter((h) => h > 32)).toEqual([]); // one line each
        const shown = [
          'storage-alarm',
          'outbox-alarm',
          'patient-card',
          'order-total',
          'order-split',
          'order-cash-due',
          'order-pay-countdown',
          'key-bar',
        ];
        expect(
          await layoutProblems(
            page,
            shown.map((id) => page.getByTestId(id)),
          ),
        ).toEqual([]);
        await saveScreen(page, 'alarms.png');
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
