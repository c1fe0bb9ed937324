/**
 * 中途结算 and 撤销入院 on the nurse's screen (issue 15) in Chromium at 1366×768 (and 1920×1080), on the training
 * ward and 何振华 admitted at HIS beside them (bed 06, no discharge order, a 500-yuan deposit; the ward's own bed 05,
 * 张伟, is suspended at the centre and cannot be registered): he is registered at the centre (F2), his bill to date
 * priced (F4) and settled mid-stay by Alt+M and Enter — the centre's 2304 and HIS's midway booking in their books, the
 * stay still admitted — and its slip printed (F11); a line later and the doctor's order, the discharge (F6, F7, F8)
 * settles only that line in both books; 林美华 (bed 02) registered and her admission cancelled by Alt+X
 * with a reason and Enter — the centre's visit cancelled. Every step fits without page scroll. Screenshots for
 * docs/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expect as pw } from './expect';
import { chromiumMissingReason, connectCore, launchBrowser, login, openStation, pressKey } from './fixtures';
import { ok } from '../test/harness/outpatient-harness';
import type { WardPatientView } from '../src/shared/inpatient';
import { CASHIER_PC, problemsAtBothSizes, saveScreen } from './layout';
import { POPULATION } from '../src/simulators/nhsa';
import { fenToYuan, formatYuan } from '../src/shared/money';
import { TRAINING_WARD, TRAINING_WARD_CODE } from '../src/app/training-ward';

const skipReason = chromiumMissingReason();
const TEST_MS = 90_000;

/** F2, the ID number typed and Enter: the selected stay registered at the centre. */
async function admitted(page: Page, name: string) {
  await pressKey(page, 'F2', 'bedside');
  await page.keyboard.type(POPULATION.find((p) => p.name === name)!.idNo);
  await page.keyboard.press('Enter');
  await pw(page.getByTestId('stay-panel')).toHaveAttribute('data-state', 'admitted');
}

/** The dialog's opening animation over before the picture. */
const settledDialog = (page: Page) =>
  page.waitForFunction(() => document.querySelector('[class*="zoom-appear"], [class*="zoom-enter"]') === null);

describe.skipIf(skipReason !== null)('中途结算 and 撤销入院 at the bedside, 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(
    'a mid-stay settlement by key, in the centre’s and HIS’s books; an admission cancelled by key with a reason',
    async () => {
      const t = await openStation(browser, { viewport: CASHIER_PC, trainingWard: true });
      try {
        const { page } = t;
        const panel = page.getByTestId('stay-panel');
        // The bar's last key too: the bar itself spans the window even when its keys run past it.
        const areas = () => [page.getByTestId('ward-list'), panel, page.getByTestId('key-bar'), page.getByTestId('key-F5')];
        const rig = t.station.training!;
        // 何振华 in bed 06: three ward days and a class C item (his own in full), a 500-yuan cash deposit.
        const hisWard = rig.his.control.ward;
        const heIpt = hisWard.admit({ patientId: 'P000107', wardCode: TRAINING_WARD_CODE, bedNo: '06' });
        for (const day of ['2026-12-01', '2026-12-02', '2026-12-03'])
          hisWard.charge({
            iptNo: heIpt,
            day,
            lines: [
              { hospCode: 'Y0006', quantity: '2' },
              { hospCode: 'Y0001', quantity: '1' },
            ],
          });
        hisWard.charge({ iptNo: heIpt, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
        hisWard.deposit({ iptNo: heIpt, channel: 'cash', amountFen: 50_000 });
        await login(page, 'hs001');
        await pw(page.getByTestId('ward-list').locator('.ant-table-tbody tr')).toHaveCount(TRAINING_WARD.length + 1);
        const nurse = await connectCore(t, 'hs001');
        const ward = async () => ok(await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE }));
        const rowOf = async (name: string) => (await ward()).find((p) => p.patientName === name)!;

        // 林美华, bed 02: registered, then cancelled (nothing uploaded yet) with the reason typed in the dialog.
        await pressKey(page, 'ArrowDown', 'bedside');
        await pw(page.getByTestId('stay-title')).toContainText('02 床');
        await admitted(page, '林美华');
        await pw(page.getByTestId('key-Alt+X')).toHaveAttribute('data-enabled', 'true');
        await pressKey(page, 'Alt+x', 'bedside');
        await pw(page.getByTestId('confirm-cancel-admission')).toBeVisible();
        // Enter with no reason does nothing: the reason is required.
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('confirm-cancel-admission')).toBeVisible();
        await page.keyboard.type('非医保住院，误登记');
        await settledDialog(page);
        await saveScreen(page, 'bedside-cancel-admission.png');
        expect(await problemsAtBothSizes(page, [page.getByTestId('confirm-cancel-admission'), ...areas()])).toEqual([]);
        await page.keyboard.press('Enter');
        await pw(page.getByTestId('confirm-cancel-admission')).toHaveCount(0);
        await pw(panel).toHaveAttribute('data-state', 'none');
        const lin = await rowOf('林美华');
        expect(lin.stay).toBeNull();
        const linVisits = rig.centre.control.books().visits.filter((v) => v.ipt_otp_no === lin.iptNo);
        expect(linVisits.map((v) => v.state)).toEqual(['cancelled']);
        await saveScreen(page, 'bedside-admission-cancelled.png');
        // The reason is in the audit trail with the outcome.
        const admin = await connectCore(t, 'admin');
        const trail = ok(await admin.call<{ action: string; outcome: string; detail: string }[]>('listAudit', { limit: 100 }));
        admin.close();
        expect(trail.filter((a) => a.action === 'stay.cancelAdmission').map((a) => [a.outcome, a.detail])).toEqual([
          ['ok', `${lin.iptNo} 原因：非医保住院，误登记`],
        ]);

        // 何振华, bed 06: in the ward, no discharge order — the bill to date (F4), then 中途结算 (Alt+M, Enter).
        for (let i = 0; i < 3; i++) await pressKey(page, 'ArrowDown', 'bedside');
        await pw(page.getByTestId('stay-title')).toContainText('06 床');
        await admitted(page, '何振华');
        await pressKey(page, 'F4', 'bedside');
        await pw(panel).toHaveAttribute('data-step', 'bill');
        await pw(page.getByTestId('key-Alt+M')).toHaveAttribute('data-enabled', 'true');
        await pressKey(page, 'Alt+m', 'bedside');
        await pw(page.getByTestId('confirm-midstay')).toContainText('继续住院');
        await settledDialog(page);
        await saveScreen(page, 'bedside-midstay-confirm.png');
        await page.keyboard.press('Enter');
        await pw(panel).toHaveAttribute('data-step', 'midstay');
        await pw(page.getByTestId('midstay-result')).toContainText('中途结算完成');
        await pw(panel).toHaveAttribute('data-state', 'admitted');
        await pw(page.getByTestId('midway-line')).toContainText('已中途结算 1 次');
        await saveScreen(page, 'bedside-midstay-done.png');
        expect(await problemsAtBothSizes(page, areas())).toEqual([]);

        // The books: the station's list, the centre's settlement (mid-stay, the visit still open), HIS's midway booking.
        const he = await rowOf('何振华');
        expect(he.stay!.state).toBe('admitted');
        expect(he.stay!.midway).toHaveLength(1);
        const m = he.stay!.midway[0]!;
        expect(m).toMatchObject({ state: 'booked', uptoLine: 7, medfeeFen: 9870 });
        await pw(page.getByTestId('midstay-result')).toContainText(formatYuan(m.medfeeFen));
        const books = rig.centre.control.books();
        const visit = books.visits.find((v) => v.ipt_otp_no === he.iptNo)!;
        expect(visit.state).toBe('open');
        expect(books.settlements.filter((s) => s.mdtrt_id === visit.mdtrt_id).map((s) => [s.setl_id, s.medfee_sumamt, s.state])).toEqual([
          [m.setlId, m.medfeeFen, 'settled'],
        ]);
        const his = rig.his.control.ward.wardBooks().settlements.filter((s) => s.iptNo === he.iptNo);
        expect(his.map((s) => [s.kind, s.setlId, s.medfeeFen, s.cashFen])).toEqual([['midway', m.setlId, m.medfeeFen, m.cashFen]]);
        expect(his[0]!.deposits.reduce((sum, d) => sum + d.amountFen, 0)).toBe(m.cashFen);
        // Nothing of the deposit goes back mid-stay; the bill left is nothing until new lines come.
        expect(rig.payChannel.control.refunds()).toHaveLength(0);
        expect(he).toMatchObject({ billFen: 0, depositBalanceFen: 50_000 - m.cashFen });

        await pressKey(page, 'F11', 'bedside');
        await pw(page.getByTestId('voucher-printed')).toContainText('打印机');
        // The page F11 prints: the 中途结算单 of this settlement.
        const slip = ok(await nurse.call<{ html: string }>('printMidstayVoucher', { stayId: he.stay!.id, setlId: m.setlId }));
        expect(slip.html).toContain('住院中途结算单');
        expect(slip.html).toContain(m.setlId);
        expect(slip.html).toContain(fenToYuan(m.cashFen));

        // A day later: one more line, the doctor's discharge order; the discharge settles only that line (8.40).
        hisWard.charge({ iptNo: heIpt, lines: [{ hospCode: 'Y0006', quantity: '2' }] });
        hisWard.orderDischarge(heIpt);
        await pressKey(page, 'F5', 'bedside');
        await pw(page.getByTestId('key-F6')).toHaveAttribute('data-enabled', 'true');
        await pressKey(page, 'F6', 'bedside');
        await pw(page.getByTestId('confirm-discharge')).toBeVisible();
        await pressKey(page, 'Enter', 'bedside');
        await pw(panel).toHaveAttribute('data-state', 'discharged');
        await pressKey(page, 'F7', 'bedside');
        await pw(panel).toHaveAttribute('data-step', 'preview');
        await pw(page.getByTestId('stay-split')).toContainText(formatYuan(840));
        await pressKey(page, 'F8', 'bedside');
        await pw(page.getByTestId('confirm-settle')).toBeVisible();
        await pressKey(page, 'Enter', 'bedside');
        await pw(panel).toHaveAttribute('data-state', 'completed');
        const final = (await rowOf('何振华')).stay!;
        expect(final.settlement).toMatchObject({ medfeeFen: 840, uptoLine: 8 });
        const after = rig.centre.control.books().settlements.filter((x) => x.mdtrt_id === visit.mdtrt_id);
        expect(after.map((x) => [x.setl_id, x.medfee_sumamt, x.state])).toEqual([
          [m.setlId, 9870, 'settled'],
          [final.settlement!.setlId, 840, 'settled'],
        ]);
        const hisAfter = rig.his.control.ward.wardBooks().settlements.filter((x) => x.iptNo === he.iptNo);
        expect(hisAfter.map((x) => [x.kind, x.setlId, x.medfeeFen])).toEqual([
          ['midway', m.setlId, 9870],
          ['discharge', final.settlement!.setlId, 840],
        ]);
        nurse.close();
      } finally {
        await t.close();
      }
    },
    TEST_MS,
  );
});
