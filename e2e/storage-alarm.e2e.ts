/**
 * The station's database refuses writes at the window (issue 11): another program (a backup tool, a careless
 * `sqlite3` session) holds the write lock past the station's busy timeout. The cashier's F4 is refused — nothing
 * sent, the order still open — every screen shows the storage alarm, and when the lock goes the alarm goes by
 * itself and the same order settles. (A full disk, SQLITE_FULL, is driven in src/host/storage-full.integration.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, pressKey, saveScreenshot } from './fixtures';
import { CASHIER_PC, layoutProblems, saveScreen } from './layout';
import { POPULATION } from '../src/simulators/nhsa';

const skipReason = chromiumMissingReason();
const resident = POPULATION.find((p) => p.insurances[0]?.insutype === '390' && p.insurances[0]?.insuplcAdmdvs === '350200')!;

describe.skipIf(skipReason !== null)('the station database refuses writes at the window', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('F4 refused and nothing sent, the storage alarm on the screen; lock gone: the alarm goes and the order settles', async () => {
    const t = await openStation(browser, { viewport: CASHIER_PC, sweepEveryMs: 200 });
    const other = new Database(path.join(t.dataDir, 'station.db'));
    try {
      const { page } = t;
      await login(page);
      await page.getByTestId('idcard-input').fill(resident.idNo);
      await page.getByTestId('idcard-input').press('Enter');
      await pw(page.getByTestId('order-card')).toBeVisible();
      await pw(page.getByTestId('storage-alarm')).toHaveCount(0);
      const sentBefore = t.station.training!.centre.control.messages().length;

      other.exec('BEGIN IMMEDIATE'); // held past the station's 5 s busy timeout
      await page.keyboard.press('F4');
      await pw(page.getByTestId('order-error'), 30_000).toBeVisible();
      await pw(page.getByTestId('order-error')).toHaveAttribute('data-code', 'STORAGE_FAILED');
      await pw(page.getByTestId('order-error')).toContainText('工作站无法保存数据');
      await pw(page.getByTestId('storage-alarm')).toContainText('本机数据库被其他程序占用');
      await pw(page.getByTestId('storage-alarm')).toHaveAttribute('data-code', 'SQLITE_BUSY');
      await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'open');
      expect(t.station.training!.centre.control.messages()).toHaveLength(sentBefore); // the 2201 was never sent
      await saveScreenshot(page, 'storage-alarm.png');
      // The alarm takes a line over the header; the patient, the order, its refusal and the status bar stay in view.
      const shown = ['storage-alarm', 'patient-card', 'order-total', 'order-error', 'key-bar'].map((id) => page.getByTestId(id));
      expect(await layoutProblems(page, shown)).toEqual([]);
      await saveScreen(page, 'storage-alarm.png');

      other.exec('ROLLBACK');
      await pw(page.getByTestId('storage-alarm'), 15_000).toHaveCount(0);
      await pressKey(page, 'F4', 'window');
      await pw(page.getByTestId('order-card')).toHaveAttribute('data-state', 'previewed');
    } finally {
      other.close();
      await t.close();
    }
  }, 60_000); // the station waits out its busy timeout (5 s) on each refused write
});
