/**
 * 医保入院登记 at the bedside (issue 15, AQ-13) in Chromium at 1366×768: the nurse identifies the patient the
 * cashier's ways, on the bedside laptop's own scan box and card reader. 陈建国 (bed 01) shows his e-voucher on the
 * scan box; 林美华 (bed 02) is first read with someone else's resident ID card (Alt+S) — refused, the bed's HIS
 * patient is not that person — then with her own social-security card (F3); 黄志强 (bed 03) by his resident ID
 * card in the reader (Alt+S). Each is registered at the centre (2401) by that alone. Screenshots for docs/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, pressKey } from './fixtures';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';
import { POPULATION } from '../src/simulators/nhsa';
import { TRAINING_ID_CARDS } from '../src/simulators/devices/training-cards';
import { TRAINING_WARD } from '../src/app/training-ward';

const skipReason = chromiumMissingReason();
const TEST_MS = 90_000;

const person = (name: string) => POPULATION.find((p) => p.name === name)!;
const idCard = (name: string) => TRAINING_ID_CARDS.find((c) => c.name === name)!;

describe.skipIf(skipReason !== null)('the bedside identifies the patient the cashier’s ways at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'admits by e-voucher scan, refuses another person’s ID card, admits by social-security card and by resident ID card',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { page } = t;
        const rig = t.station.training!;
        const panel = page.getByTestId('stay-panel');
        const keyBar = page.getByTestId('key-bar');
        await login(page, 'hs001');
        await pw(page.getByTestId('ward-list').locator('.ant-table-tbody tr')).toHaveCount(TRAINING_WARD.length);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');

        // Bed 01, not registered: the identification strip and its keys are up.
        await pw(page.getByTestId('stay-title')).toContainText('01 床');
        await pw(page.getByTestId('bedside-identify')).toBeVisible();
        for (const key of ['F2', 'F3', 'Alt+S']) await pw(page.getByTestId(`key-${key}`)).toHaveAttribute('data-enabled', 'true');
        await saveScreen(page, 'bedside-identify.png');
        // Every key on the bar shows whole (the last one too).
        expect(await problemsAtBothSizes(page, [page.getByTestId('bedside-identify'), panel, keyBar, page.getByTestId('key-F5')])).toEqual(
          [],
        );
        await pw(page.getByTestId('key-F4')).toHaveCount(0);

        // 陈建国's e-voucher on the scan box: identified and registered, no key pressed.
        await rig.scanner!.scan(person('陈建国').voucherQr);
        await pw(panel).toHaveAttribute('data-state', 'admitted');
        await pw(page.getByTestId('bedside-identify')).toHaveCount(0);
        // The stay's keys replace the identification keys on the bar.
        await pw(page.getByTestId('key-Alt+S')).toHaveCount(0);
        await pw(page.getByTestId('key-F4')).toHaveAttribute('data-enabled', 'true');
        expect(await problemsAtBothSizes(page, [panel, page.getByTestId('key-F11'), page.getByTestId('key-F5')])).toEqual([]);
        await saveScreen(page, 'bedside-admitted-by-voucher.png');

        // Bed 02 with 陈建国's ID card in the reader: the core refuses, nothing registered.
        await pressKey(page, 'ArrowDown', 'bedside');
        await pw(page.getByTestId('stay-title')).toContainText('02 床');
        rig.cardReader!.insert(null, idCard('陈建国'));
        await pressKey(page, 'Alt+S', 'bedside');
        await pw(page.getByTestId('bedside-error')).toContainText('与 HIS 住院患者不符');
        await pw(panel).toHaveAttribute('data-state', 'none');
        await saveScreen(page, 'bedside-identify-refused.png');

        // Her own social-security card (F3): registered.
        rig.cardReader!.insert(rig.cards.find((c) => c.name === '林美华')!);
        await pressKey(page, 'F3', 'bedside');
        await pw(panel).toHaveAttribute('data-state', 'admitted');
        await pw(page.getByTestId('bedside-error')).toHaveCount(0);

        // Bed 03: 黄志强's resident ID card in the reader (Alt+S).
        await pressKey(page, 'ArrowDown', 'bedside');
        await pw(page.getByTestId('stay-title')).toContainText('03 床');
        rig.cardReader!.insert(null, idCard('黄志强'));
        await pressKey(page, 'Alt+S', 'bedside');
        await pw(panel).toHaveAttribute('data-state', 'admitted');
        await saveScreen(page, 'bedside-admitted-by-id-card.png');
        expect(await problemsAtBothSizes(page, [page.getByTestId('ward-list'), panel, keyBar])).toEqual([]);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
