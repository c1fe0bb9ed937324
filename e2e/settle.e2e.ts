/**
 * Outpatient settlement at the cashier window in real Chromium (issue 6): identify → HIS order → F4 pre-settle
 * (split shown) → F5 settle → the patient's payment code on the scan box pays the cash share → completed; and a
 * lost 2207 answer shown as "outcome unknown", resolved by the outbox (2601), then settled once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, saveScreenshot, pressKey } from './fixtures';
import { POPULATION } from '../src/simulators/nhsa';

const skipReason = chromiumMissingReason();
const resident = POPULATION.find((p) => p.insurances[0]?.insutype === '390' && p.insurances[0]?.insuplcAdmdvs === '350200')!;

describe.skipIf(skipReason !== null)('cashier settles an outpatient order', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function identifyResident(page: Page) {
    await login(page);
    await page.getByTestId('idcard-input').fill(resident.idNo);
    await page.getByTestId('idcard-input').press('Enter');
    await pw(page.getByTestId('patient-name')).toHaveText(resident.name);
    await pw(page.getByTestId('order-card')).toBeVisible();
  }

  it('insured + top-up by the payment code on the scan box: every ledger agrees', async () => {
    const t = await openStation(browser);
    try {
      const { page } = t;
      const rig = t.station.training!;
      await identifyResident(page);
      await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
      const card = page.getByTestId('order-card');
      await pressKey(page, 'F4', 'window');
      await pw(card).toHaveAttribute('data-state', 'previewed');
      await pw(page.getByTestId('order-split-cash')).toContainText('¥');
      await pressKey(page, 'F5', 'window');
      await pw(card).toHaveAttribute('data-state', 'awaiting-payment');
      await pw(page.getByTestId('order-pay-prompt')).toBeVisible();

      const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 500_000 });
      await rig.scanner!.scan(wallet.authCode);
      await pw(card).toHaveAttribute('data-state', 'completed');
      await saveScreenshot(page, 'cashier-settled.png');

      const his = rig.his.control.settlements();
      expect(his).toHaveLength(1);
      const paidFen = 500_000 - rig.payChannel.control.balance(wallet.authCode);
      expect(paidFen).toBe(his[0]!.cash_fen);
      expect(paidFen).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('a lost 2207 answer: "outcome unknown" on screen and the alarm, reversed by the outbox, then settled once', async () => {
    const t = await openStation(browser, { nhsaTimeoutMs: 2000 });
    try {
      const { page } = t;
      const rig = t.station.training!;
      await identifyResident(page);
      const card = page.getByTestId('order-card');
      await pressKey(page, 'F4', 'window');
      await pw(card).toHaveAttribute('data-state', 'previewed');
      rig.centre.control.inject({ infno: '2207', fault: { kind: 'drop-response' }, times: 1 });
      await pressKey(page, 'F5', 'window');
      await pw(page.getByTestId('order-error')).toHaveAttribute('data-code', 'OUTCOME_UNKNOWN');
      await pw(card).toHaveAttribute('data-state', 'in-doubt');
      await pw(page.getByTestId('outbox-alarm')).toBeVisible();
      // The outbox waits out the request's flight time, then 2601 reverses the 2207 by its msgid.
      await pw(card, 20_000).toHaveAttribute('data-state', 'previewed');
      expect(rig.centre.control.requests().filter((r) => r.infno === '2601')).toHaveLength(1);
      await pw(page.getByTestId('outbox-alarm')).toHaveCount(0);
      await pressKey(page, 'F5', 'window');
      await pw(card).toHaveAttribute('data-state', 'awaiting-payment');
      // Settled once, as the centre itself recorded it: the lost one reversed, one settlement standing.
      const visits = rig.centre.control.books().visits.filter((v) => v.state === 'open');
      expect(visits).toHaveLength(1);
      expect(
        rig.centre.control
          .books()
          .settlements.filter((x) => x.mdtrt_id === visits[0]!.mdtrt_id)
          .map((x) => x.state)
          .sort(),
      ).toEqual(['reversed', 'settled']);
    } finally {
      await t.close();
    }
  });
});
