/**
 * 撤销出院结算 at the window (AQ-17 / HM-07) in Chromium at 1366×768: the nurse settles 林美华's discharge (through the
 * core as her screen does); the cashier presses Alt+Z, types the 住院号 and Enter, the reason and Enter, and confirms by
 * Enter. HIS's booking and the centre's settlement are cancelled, the stay discharged and unsettled again. The dialog
 * fits without page scroll; screenshots for docs/screens/. HM-07: 黄志强's shortfall paid by QR at the bedside — the
 * dialog says before the confirm that it becomes a deposit (补缴 ¥X 转为预交金), and HIS then holds it as one. A
 * discharge the patient paid on the phone (医保移动支付): the dialog says before Enter that the money goes back to the
 * wallet, not into the deposits, and Enter refunds it at the mobile-payment centre.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, launchBrowser, openStation } from './fixtures';
import { cashierAtWindow, dialogFits, dischargedStay, findStayToUndo } from './ward-stay';
import { ok } from '../test/harness/outpatient-harness';
import type { DischargePreviewView, StayView, WardPatientView } from '../src/shared/inpatient';
import { CASHIER_PC, saveScreen } from './layout';
import { formatYuan } from '../src/shared/money';
import { TRAINING_WARD_CODE } from '../src/app/training-ward';
import { mobilePayPort } from '../src/service/mobile-pay-port';

const skipReason = chromiumMissingReason();
const TEST_MS = 90_000;

describe.skipIf(skipReason !== null)('undoing a discharge settlement at the window, 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'the cashier finds the stay by 住院号, gives a reason and confirms by Enter: HIS and the centre undo it',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { nurse, row, stay } = await dischargedStay(t, '林美华');
        const settled = ok(await nurse.call<StayView>('settleDischarge', { stayId: stay.id }));
        nurse.close();
        expect(settled.state).toBe('completed');

        const { page } = t;
        await cashierAtWindow(page);
        await saveScreen(page, 'window-undo-discharge-key.png');
        const dialog = await findStayToUndo(page, row.iptNo);
        await pw(page.getByTestId('undo-stay-found')).toContainText(formatYuan(settled.settlement!.medfeeFen));
        // The reason box has the focus: typed, not filled.
        await pw(page.getByTestId('undo-stay-reason')).toBeVisible();
        await page.keyboard.type('费用录入有误');
        expect(await page.getByTestId('undo-stay-reason').inputValue()).toBe('费用录入有误');
        // Alt+W ticks 同时撤销出院 and Alt+W again unticks it: this stay stays discharged, to be settled again.
        const ward = dialog.getByRole('checkbox');
        await page.keyboard.press('Alt+w');
        expect(await ward.isChecked()).toBe(true);
        await page.keyboard.press('Alt+w');
        expect(await ward.isChecked()).toBe(false);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('undo-stay-confirm')).toContainText(row.iptNo);
        expect(await dialogFits(page, 'window-undo-discharge-confirm.png', [dialog])).toEqual([]);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('undo-stay-done')).toContainText('已撤销');
        await saveScreen(page, 'window-undo-discharge-done.png');

        const rig = t.station.training!;
        expect(
          rig.his.control.ward
            .wardBooks()
            .settlements.filter((s) => s.iptNo === row.iptNo)
            .map((s) => s.state),
        ).toEqual(['cancelled']);
        const centre = rig.centre.control.books().settlements.filter((s) => s.setl_id === settled.settlement!.setlId);
        expect(centre.map((s) => s.state)).toEqual(['cancelled']);
        await page.keyboard.press('Escape');
        await pw(dialog).toHaveCount(0);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
  it(
    'after a shortfall paid by QR: the dialog says 补缴 ¥X 转为预交金 before the confirm, and HIS holds it as a deposit',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { nurse, row, stay } = await dischargedStay(t, '黄志强');
        const preview = ok(await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id }));
        const shortfallFen = preview.plan.shortfallFen;
        expect(ok(await nurse.call<StayView>('settleDischarge', { stayId: stay.id }))).toMatchObject({ state: 'settled', shortfallFen });
        const shown = ok(await nurse.call<StayView>('payShortfallByQr', { stayId: stay.id }));
        const platform = t.station.training!.payChannel.control;
        const wallet = platform.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
        expect(platform.payQr(shown.payments[0]!.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
        const stayNow = async () =>
          ok(await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE })).find((p) => p.iptNo === row.iptNo)!
            .stay!;
        await vi.waitFor(async () => expect((await stayNow()).state).toBe('completed'), { timeout: 15_000, interval: 200 });
        nurse.close();

        const { page } = t;
        await cashierAtWindow(page);
        const dialog = await findStayToUndo(page, row.iptNo);
        const moved = `补缴 ${formatYuan(shortfallFen)} 转为预交金`;
        await pw(page.getByTestId('undo-stay-moved')).toContainText(moved);
        await page.keyboard.type('结算有误');
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('undo-stay-confirm')).toContainText(row.iptNo);
        await pw(page.getByTestId('undo-stay-moved')).toContainText(moved);
        expect(await dialogFits(page, 'window-undo-discharge-moved.png', [dialog, page.getByTestId('undo-stay-moved')])).toEqual([]);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('undo-stay-done')).toContainText('已撤销');

        // HIS: the booking cancelled, the 20 yuan cash deposit and the shortfall's deposit held, nothing refunded.
        const ward = t.station.training!.his.control.ward;
        expect(ward.depositBooks(row.iptNo)).toEqual({ inFen: preview.cashFen, appliedFen: 0, refundedFen: 0, heldFen: preview.cashFen });
        expect(platform.refunds()).toEqual([]);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
  it(
    'a discharge paid on the phone: the dialog says the money goes back to the 医保移动支付 wallet before Enter, and Enter refunds it there',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { nurse, person, row, stay } = await dischargedStay(t, '黄志强');
        const shares = ok(await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id }));
        nurse.close();
        // The phone settles it (6201, 6202, HIS books it) through the settlement service's own port.
        const centre = t.station.training!.mobilePay.control;
        const phone = mobilePayPort({ settlement: t.station.mobilePay!.settlement, inpatient: t.station.inpatient, now: Date.now });
        const atCentre = t.station.inpatient.stays.get(stay.id)!;
        const order = {
          settlementId: 'E2EPHONE1',
          stayId: stay.id,
          iptNo: row.iptNo,
          mdtrtId: atCentre.mdtrtId!,
          psnNo: atCentre.psnNo,
          payAuthNo: centre.authorise(person.idNo, 1_000_000),
          medfeeFen: shares.medfeeFen,
          fundFen: shares.fundFen,
          acctFen: shares.acctFen,
          cashFen: shares.cashFen,
        };
        const prepared = await phone.prepare(order);
        if (prepared.kind !== 'ok') throw new Error(prepared.reason);
        expect(await phone.pay(order, prepared.payOrderId)).toMatchObject({ kind: 'paid' });
        const deposits = t.station.training!.his.control.ward.depositBooks(row.iptNo);

        const { page } = t;
        await cashierAtWindow(page);
        const dialog = await findStayToUndo(page, row.iptNo);
        const moved = page.getByTestId('undo-stay-moved');
        await pw(moved).toContainText('撤销即原路退款');
        await pw(moved).toContainText('退回患者医保移动支付钱包，不转预交金');
        await page.keyboard.type('结算有误');
        await page.keyboard.press('Enter');
        const confirm = page.getByTestId('undo-stay-confirm');
        await pw(confirm).toContainText('不转预交金');
        await pw(confirm).toContainText('个人自付退回患者的医保移动支付钱包');
        expect(await confirm.textContent()).not.toContain('2305');
        expect(await dialogFits(page, 'window-undo-discharge-phone.png', [dialog, moved])).toEqual([]);
        // Nothing moved before Enter.
        expect(centre.ledger.refunds()).toEqual([]);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('undo-stay-done')).toContainText('已撤销');
        await pw(page.getByTestId('undo-stay-done')).toContainText('医保移动支付已退款');

        expect(centre.ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: prepared.payOrderId })]);
        expect(t.station.training!.his.control.ward.depositBooks(row.iptNo)).toEqual(deposits);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
  it(
    'an undo whose 2305 answer is lost shows 撤销进行中, the stay found again offers no second undo while it is open, and shows 已撤销 once the station finished it',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { nurse, row, stay } = await dischargedStay(t, '林美华');
        ok(await nurse.call<StayView>('settleDischarge', { stayId: stay.id }));
        // Every 2305 answer lost: the undo stays open (HIS cancelled, the centre's part being checked).
        t.station.training!.centre.control.inject({ infno: '2305', fault: { kind: 'drop-response' } });

        const { page } = t;
        await cashierAtWindow(page);
        const dialog = await findStayToUndo(page, row.iptNo);
        await pw(page.getByTestId('undo-stay-reason')).toBeVisible();
        await page.keyboard.type('费用录入有误');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('undo-stay-underway')).toContainText('撤销进行中');
        await pw(page.getByTestId('undo-stay-underway')).toContainText('核实后自动继续');
        await page.keyboard.press('Escape');
        await pw(dialog).toHaveCount(0);

        // Found again: 撤销进行中, no reason to give, nothing to confirm; the bedside is told too.
        await findStayToUndo(page, row.iptNo);
        await pw(page.getByTestId('undo-stay-underway')).toContainText('费用录入有误');
        await pw(page.getByTestId('undo-stay-reason')).toHaveCount(0);
        expect(await dialogFits(page, 'window-undo-discharge-underway.png', [dialog, page.getByTestId('undo-stay-underway')])).toEqual([]);
        const bedside = ok(await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE })).find(
          (p) => p.iptNo === row.iptNo,
        )!;
        expect(bedside.stay!.undo).toMatchObject({ operatorId: 'sf001', stopped: null });
        nurse.close();
        // The centre answers again: the station finishes the undo by itself and its stayUpdated word turns the open
        // dialog to 已撤销, nothing pressed.
        t.station.training!.centre.control.clear();
        await pw(page.getByTestId('undo-stay-done'), 30_000).toContainText('已撤销');
        await pw(page.getByTestId('undo-stay-underway')).toHaveCount(0);
        await page.keyboard.press('Enter');
        await pw(dialog).toHaveCount(0);
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
