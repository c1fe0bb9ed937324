/**
 * The walking skeleton, end to end in real Chromium: a cashier signs in, the patient shows an e-voucher to the
 * scan box (a real pty), the station signs in to the centre (9001), calls 1101 through the SM2/SM4 envelope
 * against the simulator on 127.0.0.1, stores the person sealed in SQLite, and the screen shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, saveScreenshot } from './fixtures';
import { INSUTYPE_LABELS } from '../src/shared/domain';
import { regionName } from '../src/shared/regions';

const skipReason = chromiumMissingReason();
if (skipReason) console.warn(`[e2e] skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('cashier identifies a patient by e-voucher', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('scan → 9001 → 1101 → sealed in SQLite → patient card on the cashier screen', async () => {
    const t = await openStation(browser);
    try {
      const { page, station } = t;
      const rig = station.training!;
      await pw(page.getByTestId('training-banner')).toBeVisible();
      await login(page);
      await pw(page.getByTestId('scan-prompt')).toBeVisible();
      await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');

      const voucher = rig.vouchers.find((v) => v.insutype === '310' && v.region === '350200')!;
      await rig.scanner!.scan(voucher.qr);

      const card = page.getByTestId('patient-card');
      await pw(card).toBeVisible();
      await pw(card.getByTestId('patient-name')).toHaveText(voucher.name);
      await pw(card.getByTestId('patient-insutype').first()).toContainText(INSUTYPE_LABELS['310']!);
      await pw(card.getByTestId('patient-region').first()).toContainText(regionName('350200'));
      await pw(card.getByTestId('patient-balance').first()).toContainText('¥');
      await pw(page.getByTestId('nhsa-badge')).toHaveAttribute('data-state', 'online');
      const shot = await saveScreenshot(page, 'cashier-identified.png');
      expect(shot.length).toBeGreaterThan(10_000);

      // The centre saw the voucher decode, then a verified 9001 and a verified 1101 from this operator.
      const seen = rig.centre.control.requests().map((r) => `${r.infno}:${r.verified}`);
      expect(seen).toEqual(['ec.query:true', '9001:true', '1101:true']);

      // Personal data is sealed at rest: the name is in no table in clear.
      await station.close();
      const db = new Database(path.join(t.dataDir, 'station.db'), { readonly: true });
      const persons = db.prepare('SELECT psn_no, sealed FROM persons').all() as { psn_no: string; sealed: string }[];
      expect(persons.map((p) => p.psn_no)).toEqual([voucher.psnNo]);
      expect(persons[0]!.sealed.startsWith('s1:')).toBe(true);
      const calls = db.prepare('SELECT infno, state FROM nhsa_calls ORDER BY msgid').all();
      expect(calls).toEqual([
        { infno: '9001', state: 'ok' },
        { infno: '1101', state: 'ok' },
      ]);
      db.close();
      const raw = fs.readFileSync(path.join(t.dataDir, 'station.db'));
      expect(raw.includes(Buffer.from(voucher.name))).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('an unknown voucher shows a clear error and identifies nobody', async () => {
    const t = await openStation(browser);
    try {
      await login(t.page);
      await pw(t.page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
      await t.station.training!.scanner!.scan('ECQRINVALID0000000000000000000000000000000000');
      await pw(t.page.getByTestId('identify-error')).toHaveAttribute('data-code', 'UNKNOWN_VOUCHER');
      await pw(t.page.getByTestId('patient-card')).toHaveCount(0);
    } finally {
      await t.close();
    }
  });

  it('shows the scan box unplugged, then back, and identifies after the replug', async () => {
    const t = await openStation(browser);
    try {
      const rig = t.station.training!;
      await login(t.page);
      const badge = t.page.getByTestId('device-badge-scanbox-1');
      await pw(badge).toHaveAttribute('data-state', 'connected');
      await rig.pty!.unplug();
      await pw(badge).toHaveAttribute('data-state', 'disconnected');
      await rig.pty!.replug();
      await pw(badge).toHaveAttribute('data-state', 'connected');
      const voucher = rig.vouchers[0]!;
      await rig.scanner!.scan(voucher.qr);
      await pw(t.page.getByTestId('patient-name')).toHaveText(voucher.name);
    } finally {
      await t.close();
    }
  });

  it('the centre unreachable is said so, and the next scan works when it is back', async () => {
    const t = await openStation(browser, { nhsaTimeoutMs: 1500 });
    try {
      const rig = t.station.training!;
      await login(t.page);
      await pw(t.page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
      rig.centre.control.inject({ infno: '*', fault: { kind: 'http-500' } });
      await rig.scanner!.scan(rig.vouchers[0]!.qr);
      await pw(t.page.getByTestId('identify-error')).toHaveAttribute('data-code', 'CENTRE_UNREACHABLE');
      await pw(t.page.getByTestId('nhsa-badge')).toHaveAttribute('data-state', 'offline');
      rig.centre.control.clear();
      await rig.scanner!.scan(rig.vouchers[1]!.qr);
      await pw(t.page.getByTestId('patient-name')).toHaveText(rig.vouchers[1]!.name);
    } finally {
      await t.close();
    }
  });

  it('a wrong password is refused and the cashier gets in with the right one', async () => {
    const t = await openStation(browser);
    try {
      await login(t.page, 'sf001', 'wrong-password');
      await pw(t.page.getByTestId('login-error')).toHaveAttribute('data-code', 'BAD_CREDENTIALS');
      await login(t.page);
      await pw(t.page.getByTestId('scan-prompt')).toBeVisible();
    } finally {
      await t.close();
    }
  });
});
