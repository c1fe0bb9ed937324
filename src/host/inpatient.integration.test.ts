/**
 * The inpatient core through the real station (issue 15): a training station, the nurse (hs001) signed in, a HIS
 * stay with fee lines and two WeChat deposits that are real trades at the platform. Through the dispatcher as the
 * bedside screen calls it: the ward's list, 医保入院登记 for the patient identified by ID card, the bill to date,
 * 出院 → 出院预结算 → 出院结算, the surplus back on both WeChat deposits (seen in the platform's refunds). The
 * movements ran on the station's own outbox, so the hospital ledger holds them as inpatient events (clearing type 21).
 * A cashier may not call the nurse's operations.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import type { ComposedStation } from '../app/compose';
import { openTrainingStation, payWechatDeposit, signInAs } from '../../test/harness/training-station';
import { openDatabase } from '../station/store';
import { fenToYuan } from '../shared/money';
import { POPULATION } from '../simulators/nhsa';
import { TRAINING_WARD, TRAINING_WARD_CODE } from '../app/training-ward';
import type { PatientView } from '../shared/domain';
import type { ShiftView } from '../shared/shifts';
import type {
  DischargePreviewView,
  StayBillView,
  StayView,
  SurplusSuggestionView,
  WardPatientView,
  WindowDepositRefundView,
} from '../shared/inpatient';

/** 黄志强: resident scheme (390), in HIS and the centre's population; no personal account, so a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';

let dataDir: string;
let station: ComposedStation;
let opened: Awaited<ReturnType<typeof openTrainingStation>>;

async function open(trainingWard: boolean): Promise<void> {
  // the background uploader every 200 ms rather than every 10 minutes, so a test sees it work
  opened = await openTrainingStation('inpatient', { trainingWard, inpatientUploadEveryMs: 200 });
  ({ dataDir, station } = opened);
}
afterEach(() => opened.close());

const signedIn = (login: string) => signInAs(station, login);

const wechatDeposit = (iptNo: string, amountFen: number, n: number) => payWechatDeposit(station, dataDir, iptNo, amountFen, n);

describe('the nurse’s discharge through the station', () => {
  beforeEach(() => open(false));

  it('the background uploader sends the lines HIS executes after the admission, without anyone asking', async () => {
    const ward = station.training!.his.control.ward;
    const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
    const nurse = await signedIn('hs001');
    const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
    await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
    ward.charge({
      iptNo,
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
    const uploaded = async () =>
      (await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: WARD })).find((p) => p.iptNo === iptNo)!.stay!.uploadedUptoLine;
    await vi.waitFor(async () => expect(await uploaded()).toBe(2), { timeout: 10_000, interval: 100 });
    expect(station.training!.centre.control.requests().filter((r) => r.infno === '2301')).toHaveLength(1);
  });

  it('admits, prices the bill to date, discharges, settles and refunds the surplus to two WeChat deposits', async () => {
    const ward = station.training!.his.control.ward;
    const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
    for (const day of ['2026-12-01', '2026-12-02']) ward.charge({ iptNo, day, lines: [{ hospCode: 'Y0006', quantity: '2' }] });
    ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
    const deposits = [await wechatDeposit(iptNo, 30_000, 1), await wechatDeposit(iptNo, 20_000, 2)];

    const cashier = await signedIn('sf001');
    expect(await cashier.raw('listWardPatients', { wardCode: WARD })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const nurse = await signedIn('hs001');
    const wards = await nurse.call<{ code: string }[]>('listWards');
    expect(wards.map((w) => w.code)).toContain(WARD);
    const before = (await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: WARD })).find((p) => p.iptNo === iptNo)!;
    expect(before).toMatchObject({ stay: null, depositBalanceFen: 50_000, dischargeOrdered: false, insured: true });
    expect(before.billFen).toBeGreaterThan(0);

    const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
    const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
    expect(stay).toMatchObject({ iptNo, state: 'admitted', uploadedUptoLine: 0 });
    const bill = await nurse.call<StayBillView>('stayBill', { stayId: stay.id });
    expect(bill).toMatchObject({ stayId: stay.id, medfeeFen: before.billFen, uptoLine: 3 });
    expect(bill.fundFen + bill.acctFen + bill.cashFen).toBe(bill.medfeeFen);

    // No discharge before the doctor's order.
    expect(await nurse.raw('dischargeStay', { stayId: stay.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    ward.orderDischarge(iptNo);
    expect(await nurse.call<StayView>('dischargeStay', { stayId: stay.id })).toMatchObject({ state: 'discharged', uploadedUptoLine: 3 });
    const preview = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect(preview).toMatchObject({ medfeeFen: bill.medfeeFen, depositBalanceFen: 50_000, plan: { shortfallFen: 0 } });
    const settled = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    expect(settled).toMatchObject({ state: 'completed', booking: { surplusFen: 50_000 - preview.cashFen } });

    // The cash part came off the older deposit; what is left of both is more than either: both ticked, refunded on
    // the platform and recorded at HIS.
    const surplusFen = 50_000 - preview.cashFen;
    const firstLeft = 30_000 - preview.cashFen;
    expect(surplusFen).toBeGreaterThan(firstLeft);
    expect(surplusFen).toBeGreaterThan(20_000);
    const suggestion = await nurse.call<SurplusSuggestionView>('surplusSuggestion', { stayId: stay.id });
    expect(suggestion.plan).toMatchObject({ kind: 'channels' });
    const refunded = await nurse.call<StayView>('refundSurplus', { stayId: stay.id, depositNos: deposits });
    expect(refunded.surplus).toMatchObject({ to: 'channels', amountFen: surplusFen });
    expect(refunded.surplus!.refunds.map((r) => r.state)).toEqual(['recorded', 'recorded']);
    const atPlatform = station.training!.payChannel.control.refunds().map((r) => [r.out_trade_no, r.refund_fee, r.state]);
    expect(atPlatform).toEqual(
      expect.arrayContaining([
        [`YJ${iptNo}1`, firstLeft, 'SUCCESS'],
        [`YJ${iptNo}2`, 20_000, 'SUCCESS'],
      ]),
    );
    expect(atPlatform).toHaveLength(2);

    // The hospital ledger: the stay's movements as events, the settlement with the stay's insurance facts.
    const db = openDatabase(path.join(dataDir, 'station.db'));
    try {
      const events = (db.prepare('SELECT body FROM ledger_events ORDER BY seq').all() as { body: string }[]).map(
        (r) => JSON.parse(r.body) as { movement: string; orderId: string; channel: string; amounts: object; insurance?: object },
      );
      const ofStay = events.filter((e) => e.orderId === stay.id);
      expect(ofStay.map((e) => e.movement)).toEqual([
        'nhsa.2401',
        'nhsa.2304',
        'his.ward-settle',
        'pay.deposit-refund',
        'his.deposit-refund',
        'pay.deposit-refund',
        'his.deposit-refund',
      ]);
      expect(ofStay.find((e) => e.movement === 'nhsa.2304')).toMatchObject({
        hisOrderNo: iptNo,
        amounts: { total: preview.medfeeFen, fund: preview.fundFen, account: preview.acctFen, cash: preview.cashFen },
        insurance: { clrType: '21', insutype: '390' },
      });
      expect(ofStay.filter((e) => e.movement === 'pay.deposit-refund').map((e) => [e.channel, e.amounts])).toEqual([
        ['wechat', { cash: -firstLeft }],
        ['wechat', { cash: -20_000 }],
      ]);
    } finally {
      db.close();
    }
  });
});

describe('the training ward', () => {
  beforeEach(() => open(true));

  it('shows the nurse four patients in bed; a cash surplus goes to the window, short deposits are paid by a QR at the bedside', async () => {
    const nurse = await signedIn('hs001');
    const patients = await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE });
    expect(patients.map((p) => [p.bedNo, p.patientName, p.dischargeOrdered, p.depositBalanceFen])).toEqual(
      TRAINING_WARD.map((t) => [t.bedNo, t.name, t.dischargeOrdered, t.deposits.reduce((sum, d) => sum + d.amountFen, 0)]),
    );
    expect(patients.every((p) => p.billFen > 0 && p.stay === null && p.insured && p.daysIn === 3)).toBe(true);

    const throughSettlement = async (name: string) => {
      const t = TRAINING_WARD.find((x) => x.name === name)!;
      const row = patients.find((p) => p.bedNo === t.bedNo)!;
      const person = POPULATION.find((p) => p.name === name)!;
      const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: person.idNo });
      const stay = await nurse.call<StayView>('admitStay', { iptNo: row.iptNo, identificationId: patient.identificationId });
      await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
      const preview = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
      return { stay, preview, settled: await nurse.raw('settleDischarge', { stayId: stay.id }) };
    };

    // 林美华: her deposit was cash, so the surplus cannot go back by wallet: the window.
    const lin = await throughSettlement('林美华');
    expect(lin.settled).toMatchObject({ ok: true, value: { state: 'completed' } });
    const suggestion = await nurse.call<SurplusSuggestionView>('surplusSuggestion', { stayId: lin.stay.id });
    expect(suggestion.plan).toMatchObject({ kind: 'window', amountFen: 100_000 - lin.preview.cashFen });
    const sent = await nurse.call<StayView>('refundSurplus', { stayId: lin.stay.id });
    expect(sent.surplus).toEqual({ to: 'window', amountFen: 100_000 - lin.preview.cashFen, refunds: [] });
    expect(station.training!.payChannel.control.refunds()).toEqual([]);

    // 黄志强: 20 yuan of deposits against a larger self-pay part: settled at the centre, the shortfall to collect.
    const huang = await throughSettlement('黄志强');
    const shortfallFen = huang.preview.plan.shortfallFen;
    expect(shortfallFen).toBe(huang.preview.cashFen - 2_000);
    expect(shortfallFen).toBeGreaterThan(0);
    expect(huang.settled).toMatchObject({ ok: true, value: { state: 'settled', shortfallFen, payments: [] } });
    // No 住院结算单 before HIS booked the discharge.
    expect(await nurse.raw('printStayVoucher', { stayId: huang.stay.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // A QR on the nurse's screen; the patient pays it; the station's resolver finds it paid and HIS books the discharge.
    // The bedside reads its list again on the outbox's word: one word must come once HIS has booked the stay, or
    // her screen keeps it 'settled'. The stay's state as each word is sent, read from the station's file.
    const db = openDatabase(path.join(dataDir, 'station.db'));
    const stayState = db.prepare('SELECT state FROM inpatient_stays WHERE id = ?');
    const heard: string[] = [];
    const listening = station.core.subscribe(nurse.session, (event) => {
      if (event === 'outboxAlarm') heard.push((stayState.get(huang.stay.id) as { state: string }).state);
    });
    const shown = await nurse.call<StayView>('payShortfallByQr', { stayId: huang.stay.id });
    expect(shown.payments).toMatchObject([{ mode: 'precreate', state: 'pending', amountFen: shortfallFen }]);
    const platform = station.training!.payChannel.control;
    const wallet = platform.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    expect(platform.payQr(shown.payments[0]!.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    const stayOf = async () =>
      (await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE })).find((p) => p.iptNo === huang.stay.iptNo)!
        .stay!;
    await vi.waitFor(async () => expect((await stayOf()).state).toBe('completed'), { timeout: 15_000, interval: 200 });
    await vi.waitFor(() => expect(heard).toContain('completed'), { timeout: 5_000, interval: 50 });
    listening.dispose();
    db.close();
    expect((await stayOf()).payments).toMatchObject([{ state: 'paid', wallet: 'wechat', amountFen: shortfallFen }]);
    expect(platform.balance(wallet.authCode)).toBe(1_000_000 - shortfallFen);

    // 住院结算单 at the bedside: the split, the deposits applied and the shortfall paid by WeChat, the discharge's
    // fiscal e-bill once issued (in the background after HIS's booking); audited.
    await vi.waitFor(async () => expect((await stayOf()).ebill?.state).toBe('issued'), { timeout: 15_000, interval: 200 });
    const bill = (await stayOf()).ebill!;
    const voucher = await nurse.call<{ html: string }>('printStayVoucher', { stayId: huang.stay.id });
    expect(voucher.html).toContain(`电子票据代码：${bill.code}&emsp;号码：${bill.no}&emsp;校验码：${bill.checkCode}`);
    expect(voucher.html).toContain(`电子票据查验：${bill.url.replaceAll('&', '&amp;')}`); // as HTML text
    expect(voucher.html).toContain('<h1>住院结算单</h1>');
    expect(voucher.html).toContain(`住院号：${huang.stay.iptNo}`);
    expect(voucher.html).toContain(`<tr><td>个人自付</td><td class="n">${fenToYuan(huang.preview.cashFen)}</td></tr>`);
    expect(voucher.html).toContain(`<tr><td>预交金抵扣</td><td class="n">20.00</td></tr>`);
    expect(voucher.html).toContain(`<tr><td>床旁补缴（微信）</td><td class="n">${fenToYuan(shortfallFen)}</td></tr>`);
    expect(await nurse.raw('printStayVoucher', { stayId: lin.stay.id })).toMatchObject({ ok: true });
  });
});

describe('a surplus sent to the window', () => {
  beforeEach(() => open(true));

  it('shows on the cashier’s list and is paid out in cash: HIS records the deposit refunded in cash, audited, in the ledger', async () => {
    const nurse = await signedIn('hs001');
    const t = TRAINING_WARD.find((x) => x.name === '林美华')!;
    const row = (await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: TRAINING_WARD_CODE })).find(
      (p) => p.bedNo === t.bedNo,
    )!;
    const patient = await nurse.call<PatientView>('identifyPatient', {
      method: 'idcard',
      certNo: POPULATION.find((p) => p.name === t.name)!.idNo,
    });
    const stay = await nurse.call<StayView>('admitStay', { iptNo: row.iptNo, identificationId: patient.identificationId });
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const preview = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    await nurse.call<StayView>('refundSurplus', { stayId: stay.id });
    const surplusFen = 100_000 - preview.cashFen;

    const cashier = await signedIn('sf001');
    const waiting = await cashier.call<WindowDepositRefundView[]>('listWindowDepositRefunds');
    expect(waiting).toEqual([expect.objectContaining({ stayId: stay.id, iptNo: row.iptNo, patientName: '林美华', amountFen: surplusFen })]);
    // The nurse may not pay money out of the window's drawer.
    expect(await nurse.raw('payOutDepositRefund', { stayId: stay.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await cashier.raw('printDepositRefundSlip', { stayId: stay.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const paid = await cashier.call<StayView>('payOutDepositRefund', { stayId: stay.id });
    expect(paid.surplus!.refunds.map((r) => [r.channel, r.amountFen, r.state])).toEqual([['cash', surplusFen, 'recorded']]);
    expect(station.training!.his.control.ward.wardBooks().depositRefunds).toEqual([
      expect.objectContaining({ channel: 'cash', amountFen: surplusFen }),
    ]);
    expect(await cashier.call<WindowDepositRefundView[]>('listWindowDepositRefunds')).toEqual([]);
    // The 预交金退款凭证: the deposit paid out, the total in capitals, the cashier's name.
    const slip = await cashier.call<{ html: string }>('printDepositRefundSlip', { stayId: stay.id });
    expect(slip.html).toContain('<h1>预交金退款凭证</h1>');
    expect(slip.html).toContain(`<tr class="due"><td>退款合计</td><td class="n">${fenToYuan(surplusFen)}</td></tr>`);
    expect(slip.html).toContain('收费员：张敏');
    // Again: nothing more goes out of the drawer.
    await cashier.call<StayView>('payOutDepositRefund', { stayId: stay.id });
    expect(station.training!.his.control.ward.wardBooks().depositRefunds).toHaveLength(1);
    // The cashier's drawer knows the notes that left it, once.
    const shift = await cashier.call<ShiftView>('currentShift');
    expect(shift.summary).toMatchObject({ depositRefunds: 1, depositRefundFen: surplusFen });

    const db = openDatabase(path.join(dataDir, 'station.db'));
    try {
      const audit = db.prepare(`SELECT operator_id, outcome FROM audit_log WHERE action = 'payOutDepositRefund'`).all();
      expect(audit).toEqual([
        { operator_id: 'hs001', outcome: 'denied' },
        { operator_id: 'sf001', outcome: 'ok' },
        { operator_id: 'sf001', outcome: 'ok' },
      ]);
      const events = (db.prepare('SELECT body FROM ledger_events ORDER BY seq').all() as { body: string }[])
        .map((r) => JSON.parse(r.body) as { movement: string; orderId: string; channel: string; amounts: object })
        .filter((e) => e.orderId === stay.id && e.movement === 'cash.deposit-refund');
      expect(events.map((e) => [e.channel, e.amounts])).toEqual([['cash', { cash: -surplusFen }]]);
    } finally {
      db.close();
    }
  });
});
