/**
 * Keystrokes per settlement (issue 12, evidence): what a cashier does for each path, counted — the keys the page
 * receives and the codes shown to the scan box — stays at 3–4. One station, one patient after another, as at the
 * window: a new patient's e-voucher on the scan box replaces the finished one, no key needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, login, openStation, type StationUnderTest } from './fixtures';
import { CASHIER_PC } from './layout';
import { POPULATION, type InsuredPerson } from '../src/simulators/nhsa';

const skipReason = chromiumMissingReason();
const TEST_MS = 90_000;

const local = (insutype: '310' | '390') =>
  POPULATION.filter(
    (p) => p.insurances[0]?.insutype === insutype && p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.psnInsuStas === '1',
  );
/** Employees whose personal account covers the order; 林美华 chooses to pay it all herself. */
const [covered, selfPayer] = [local('310')[0]!, local('310')[1]!];
const cardHolder = local('310').find((p) => p.name === '陈秀兰')!;
/** Residents have no personal account: a cash share to collect, by payment code or by a QR on the screen. */
const [byCode, byQr] = [local('390')[0]!, local('390')[1]!];

/** The cashier's actions of one settlement, as the page and the scan box saw them. */
class Tally {
  readonly actions: string[] = [];
  constructor(
    private readonly t: StationUnderTest,
    private readonly page: Page,
  ) {}

  async key(key: string): Promise<void> {
    await pw(this.page.getByTestId('order-busy')).toHaveCount(0);
    this.actions.push(key);
    await this.page.keyboard.press(key);
  }

  async scanVoucher(person: InsuredPerson): Promise<void> {
    const voucher = this.t.station.training!.vouchers.find((v) => v.psnNo === person.psnNo)!;
    this.actions.push('扫电子凭证');
    await this.t.station.training!.scanner!.scan(voucher.qr);
  }

  async scanPaymentCode(): Promise<void> {
    const wallet = this.t.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    this.actions.push('扫付款码');
    await this.t.station.training!.scanner!.scan(wallet.authCode);
  }

  /** The keys the page received since the last call: none but the ones counted may have been pressed. */
  async keysSeen(): Promise<string[]> {
    return this.page.evaluate(() => {
      const w = window as unknown as { keysSeen: string[] };
      return w.keysSeen.splice(0);
    });
  }
}

describe.skipIf(skipReason !== null)('keystrokes per settlement', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'each path takes the cashier 3–4 actions: scan → F4 → F5 (→ payment code | F7), card F3 → F4 → F5, self-pay scan → F8 → Enter → payment code',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC });
      try {
        const { page } = t;
        await login(page);
        await pw(page.getByTestId('device-badge-scanbox-1')).toHaveAttribute('data-state', 'connected');
        await pw(page.getByTestId('device-badge-reader-1')).toHaveAttribute('data-state', 'connected');
        await page.evaluate(() => {
          const w = window as unknown as { keysSeen: string[] };
          w.keysSeen = [];
          window.addEventListener('keydown', (e) => w.keysSeen.push(e.key), { capture: true });
        });
        const order = page.getByTestId('order-card');
        const counted: Record<string, string[]> = {};

        /** One path from a new patient to 已完成; what the cashier did, with the keys the page saw checked. */
        async function path(name: string, person: InsuredPerson, steps: (tally: Tally) => Promise<void>) {
          const tally = new Tally(t, page);
          await steps(tally);
          await pw(page.getByTestId('patient-name')).toHaveText(person.name);
          await pw(order, 15_000).toHaveAttribute('data-state', 'completed');
          const keys = tally.actions.filter((a) => !a.startsWith('扫'));
          expect([name, await tally.keysSeen()]).toEqual([name, keys]);
          counted[name] = tally.actions;
        }

        const identified = async (person: InsuredPerson) => {
          await pw(page.getByTestId('patient-name')).toHaveText(person.name);
          await pw(order).toHaveAttribute('data-state', 'open');
        };
        const insured = async (tally: Tally) => {
          await tally.key('F4');
          await pw(order).toHaveAttribute('data-state', 'previewed');
          await tally.key('F5');
        };

        await path('医保，个人账户足额', covered, async (tally) => {
          await tally.scanVoucher(covered);
          await identified(covered);
          await insured(tally);
        });
        await path('医保 + 付款码补缴', byCode, async (tally) => {
          await tally.scanVoucher(byCode);
          await identified(byCode);
          await insured(tally);
          await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
          await tally.scanPaymentCode();
        });
        await path('医保 + 屏幕二维码补缴', byQr, async (tally) => {
          await tally.scanVoucher(byQr);
          await identified(byQr);
          await insured(tally);
          await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
          await tally.key('F7');
          await pw(page.getByTestId('qr-svg')).toBeVisible();
          // The patient's phone pays the QR on the screen: not the cashier's action.
          const rig = t.station.training!;
          const shown = (await page.getByTestId('qr-panel').getAttribute('data-out-trade-no'))!;
          const qr = rig.payChannel.control.trade(shown)!;
          const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
          expect(rig.payChannel.control.payQr(qr.code_url!, wallet.authCode)).toMatchObject({ paid: true });
        });
        await path('自费（付款码）', selfPayer, async (tally) => {
          await tally.scanVoucher(selfPayer);
          await identified(selfPayer);
          await tally.key('F8');
          await pw(page.getByTestId('selfpay-confirm')).toBeVisible();
          await tally.key('Enter');
          await pw(order).toHaveAttribute('data-state', 'awaiting-payment');
          await tally.scanPaymentCode();
        });
        await path('医保，社保卡读卡', cardHolder, async (tally) => {
          const card = t.station.training!.cards.find((c) => c.ssn === cardHolder.idNo)!;
          t.station.training!.cardReader!.insert(card); // the patient's card in the reader: not a key
          await tally.key('F3');
          await identified(cardHolder);
          await insured(tally);
        });

        expect(counted).toEqual({
          '医保，个人账户足额': ['扫电子凭证', 'F4', 'F5'],
          '医保 + 付款码补缴': ['扫电子凭证', 'F4', 'F5', '扫付款码'],
          '医保 + 屏幕二维码补缴': ['扫电子凭证', 'F4', 'F5', 'F7'],
          '自费（付款码）': ['扫电子凭证', 'F8', 'Enter', '扫付款码'],
          '医保，社保卡读卡': ['F3', 'F4', 'F5'],
        });
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
