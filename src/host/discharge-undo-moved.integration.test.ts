/**
 * HM-07: a discharge settlement undone at the window after money had moved, through the real station in training —
 * nothing moves back at the undo. A shortfall paid at the bedside becomes a deposit (转预交金) on its WeChat trade and,
 * when the bill settled again is smaller, goes back to that wallet as surplus; a surplus already refunded stays
 * refunded and the bill settled again with less deposit shows a shortfall, collected by QR. Each case ends with the
 * centre, HIS's ward books (deposits in = applied + refunded + held) and the station agreeing; the cashier's audit
 * says what happened to the money. A 2305 refused after HIS's cancel: the cashier's second try resumes at 2305.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import type { ComposedStation } from '../app/compose';
import { openTrainingStation, payWechatDeposit, signInAs } from '../../test/harness/training-station';
import { openDatabase } from '../station/store';
import { formatYuan } from '../shared/money';
import type { PatientView } from '../shared/domain';
import type { DischargePreviewView, StayView, SurplusSuggestionView } from '../shared/inpatient';

const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';

let dataDir: string;
let station: ComposedStation;
let opened: Awaited<ReturnType<typeof openTrainingStation>>;

beforeEach(async () => {
  opened = await openTrainingStation('undo-moved', { inpatientUploadEveryMs: 200 });
  ({ dataDir, station } = opened);
});
afterEach(() => opened.close());

const signedIn = (login: string) => signInAs(station, login);

const wechatDeposit = (iptNo: string, amountFen: number) => payWechatDeposit(station, dataDir, iptNo, amountFen);

/** 黄志强 admitted, three 头孢 and two 布洛芬 charged, the discharge ordered and done at the centre. */
async function dischargedStay() {
  const ward = station.training!.his.control.ward;
  const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
  const lines = ward.charge({
    iptNo,
    day: '2026-12-01',
    lines: [
      { hospCode: 'Y0007', quantity: '3' },
      { hospCode: 'Y0006', quantity: '2' },
    ],
  });
  const nurse = await signedIn('hs001');
  const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
  const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
  ward.orderDischarge(iptNo);
  await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
  return { iptNo, stay, nurse, patient, firstLine: lines[0]! };
}

/** The shortfall paid by QR on the nurse's screen; the resolver finds it paid and HIS books the discharge. */
async function payShortfallByQr(nurse: Awaited<ReturnType<typeof signedIn>>, stayId: string, iptNo: string) {
  const platform = station.training!.payChannel.control;
  const shown = await nurse.call<StayView>('payShortfallByQr', { stayId });
  const wallet = platform.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
  expect(platform.payQr(shown.payments[0]!.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
  const cashier = await signedIn('sf001');
  await vi.waitFor(async () => expect((await cashier.call<StayView>('findStayByIptNo', { iptNo })).state).toBe('completed'), {
    timeout: 15_000,
    interval: 200,
  });
  return { outTradeNo: shown.payments[0]!.outTradeNo, wallet };
}

function auditDetails(): { outcome: string; detail: string }[] {
  const db = openDatabase(path.join(dataDir, 'station.db'));
  try {
    return db.prepare(`SELECT outcome, detail FROM audit_log WHERE action = 'stay.undoSettlement' ORDER BY rowid`).all() as {
      outcome: string;
      detail: string;
    }[];
  } finally {
    db.close();
  }
}

describe('a discharge settlement undone after money moved', () => {
  it('a shortfall paid becomes a deposit on its WeChat trade; settled again for less, it goes back to that wallet as surplus', async () => {
    const rig = station.training!;
    const ward = rig.his.control.ward;
    const { iptNo, stay, nurse, patient, firstLine } = await dischargedStay();
    const before = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect(before.cashFen).toBeGreaterThan(2_000);
    const depositFen = Math.floor(before.cashFen / 2);
    await wechatDeposit(iptNo, depositFen);
    const settled = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    const shortfallFen = before.cashFen - depositFen;
    expect(settled).toMatchObject({ state: 'settled', shortfallFen });
    const paid = await payShortfallByQr(nurse, stay.id, iptNo);

    // The window says what will happen, and does it: the payment is a deposit now; nothing is refunded.
    const cashier = await signedIn('sf001');
    const back = await cashier.call<StayView>('undoDischargeSettlement', { stayId: stay.id, reason: '漏退药品', backToWard: true });
    expect(back).toMatchObject({ state: 'admitted', booking: null, surplus: null, payments: [] });
    expect(auditDetails()).toEqual([
      { outcome: 'ok', detail: `${iptNo} 并撤销出院 原因：漏退药品；补缴 ${formatYuan(shortfallFen)} 转为预交金` },
    ]);
    expect(rig.payChannel.control.refunds()).toEqual([]);
    // HIS: the discharge order stands, the stay open again for a line to be taken back.
    expect(ward.stays().find((s) => s.ipt_no === iptNo)!.state).toBe('discharge-ordered');
    const deposits = () => station.training!.his.control.ward.depositBooks(iptNo);
    expect(deposits()).toEqual({ inFen: before.cashFen, appliedFen: 0, refundedFen: 0, heldFen: before.cashFen });

    // A 头孢 taken back: the bill settled again is smaller, the surplus goes back — part of it to the shortfall's wallet.
    ward.takeBack(iptNo, firstLine);
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const again = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect(again.cashFen).toBeLessThan(before.cashFen);
    expect(again.plan.shortfallFen).toBe(0);
    expect((await nurse.call<StayView>('settleDischarge', { stayId: stay.id })).state).toBe('completed');
    const suggestion = await nurse.call<SurplusSuggestionView>('surplusSuggestion', { stayId: stay.id });
    const refunded = await nurse.call<StayView>('refundSurplus', {
      stayId: stay.id,
      depositNos: suggestion.deposits.filter((d) => d.balanceFen > 0).map((d) => d.depositNo),
    });
    const surplusFen = before.cashFen - again.cashFen;
    expect(refunded.surplus).toMatchObject({ to: 'channels', amountFen: surplusFen });
    // Oldest first: the admission's deposit is applied first, what is left of the shortfall's goes back to its trade.
    const onShortfallTrade = shortfallFen - Math.max(0, again.cashFen - depositFen);
    const refunds = rig.payChannel.control.refunds();
    expect(refunds.reduce((sum, r) => sum + r.refund_fee, 0)).toBe(surplusFen);
    expect(refunds.filter((r) => r.out_trade_no === paid.outTradeNo).map((r) => r.refund_fee)).toEqual([onShortfallTrade]);
    expect(rig.payChannel.control.balance(paid.wallet.authCode)).toBe(1_000_000 - shortfallFen + onShortfallTrade);

    // Every book agrees: one live settlement at the centre and at HIS, the deposits balanced, the stay completed.
    const centre = rig.centre.control.books().settlements.filter((s) => s.psn_no === patient.psnNo);
    expect(centre.map((s) => [s.state, s.psn_cash_pay])).toEqual([
      ['cancelled', before.cashFen],
      ['settled', again.cashFen],
    ]);
    expect(ward.wardBooks().settlements.map((s) => [s.state, s.cashFen, s.payments.length])).toEqual([
      ['cancelled', before.cashFen, 1],
      ['settled', again.cashFen, 0],
    ]);
    expect(deposits()).toEqual({ inFen: before.cashFen, appliedFen: again.cashFen, refundedFen: surplusFen, heldFen: 0 });
    const done = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(done.booking!.deposits.reduce((sum, d) => sum + d.amountFen, 0)).toBe(again.cashFen);
    expect(done.payments).toEqual([]);
  });

  it('a surplus already refunded stays refunded: settled again with less deposit, the shortfall is collected by QR', async () => {
    const rig = station.training!;
    const ward = rig.his.control.ward;
    const { iptNo, stay, nurse, patient } = await dischargedStay();
    await wechatDeposit(iptNo, 50_000);
    const first = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect((await nurse.call<StayView>('settleDischarge', { stayId: stay.id })).state).toBe('completed');
    await nurse.call<StayView>('refundSurplus', { stayId: stay.id });
    const refundedFen = 50_000 - first.cashFen;
    expect(rig.payChannel.control.refunds().map((r) => r.refund_fee)).toEqual([refundedFen]);

    const cashier = await signedIn('sf001');
    const back = await cashier.call<StayView>('undoDischargeSettlement', { stayId: stay.id, reason: '漏记费用', backToWard: true });
    expect(back).toMatchObject({ state: 'admitted', surplus: null });
    expect(auditDetails()).toEqual([
      { outcome: 'ok', detail: `${iptNo} 并撤销出院 原因：漏记费用；已退还患者 ${formatYuan(refundedFen)} 不再抵扣` },
    ]);
    // HIS holds only what was not refunded: the cash part of the first bill.
    expect(ward.depositBooks(iptNo)).toEqual({ inFen: 50_000, appliedFen: 0, refundedFen, heldFen: first.cashFen });

    // The forgotten line charged: the bill grows, the deposit left does not cover it, the patient pays the rest.
    ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '2' }] });
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const again = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    const shortfallFen = again.cashFen - first.cashFen;
    expect(shortfallFen).toBeGreaterThan(0);
    expect(again.plan).toMatchObject({ surplusFen: 0, shortfallFen });
    expect(await nurse.call<StayView>('settleDischarge', { stayId: stay.id })).toMatchObject({ state: 'settled', shortfallFen });
    const paid = await payShortfallByQr(nurse, stay.id, iptNo);
    expect(rig.payChannel.control.balance(paid.wallet.authCode)).toBe(1_000_000 - shortfallFen);

    const centre = rig.centre.control.books().settlements.filter((s) => s.psn_no === patient.psnNo);
    expect(centre.map((s) => [s.state, s.psn_cash_pay])).toEqual([
      ['cancelled', first.cashFen],
      ['settled', again.cashFen],
    ]);
    expect(ward.wardBooks().settlements.map((s) => [s.state, s.payments.map((p) => [p.outTradeNo, p.amountFen])])).toEqual([
      ['cancelled', []],
      ['settled', [[paid.outTradeNo, shortfallFen]]],
    ]);
    expect(ward.depositBooks(iptNo)).toEqual({ inFen: 50_000, appliedFen: first.cashFen, refundedFen, heldFen: 0 });
    const done = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(done).toMatchObject({ state: 'completed', payments: [{ state: 'paid', amountFen: shortfallFen }] });
    expect(rig.payChannel.control.refunds().map((r) => r.refund_fee)).toEqual([refundedFen]);
  });

  it('a 2305 refused after HIS’s cancel: the second try goes on at 2305, the payment turned into a deposit once', async () => {
    const rig = station.training!;
    const ward = rig.his.control.ward;
    const { iptNo, stay, nurse, patient } = await dischargedStay();
    const before = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    await wechatDeposit(iptNo, 1_000);
    await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    await payShortfallByQr(nurse, stay.id, iptNo);

    const cashier = await signedIn('sf001');
    rig.centre.control.inject({ infno: '2305', fault: { kind: 'business-error', errMsg: '中心维护中' }, times: 1 });
    expect(await cashier.raw('undoDischargeSettlement', { stayId: stay.id, reason: '结算有误' })).toMatchObject({
      ok: false,
      error: { code: 'CENTRE_REJECTED' },
    });
    // Between the two: HIS's booking cancelled (the payment a deposit), the centre still settled, the stay 'settled'.
    const between = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(between.state).toBe('settled');
    // The undo stopped for a person with the centre's words, on the window's screen as in `stays settlements`.
    expect(between.undo).toMatchObject({ operatorId: 'sf001', reason: '结算有误', backToWard: false });
    expect(between.undo!.stopped).toContain('中心维护中');
    expect(ward.depositBooks(iptNo)).toEqual({ inFen: before.cashFen, appliedFen: 0, refundedFen: 0, heldFen: before.cashFen });
    // Meanwhile the bedside neither collects the shortfall again nor books the cancelled settlement anew: the undo waits.
    expect(await nurse.raw('payShortfallByQr', { stayId: stay.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await nurse.raw('settleDischarge', { stayId: stay.id })).toMatchObject({ ok: false, error: { code: 'ORDER_BUSY' } });
    expect(ward.wardBooks().settlements.map((s) => s.state)).toEqual(['cancelled']);

    const undone = await cashier.call<StayView>('undoDischargeSettlement', { stayId: stay.id, reason: '结算有误' });
    expect(undone).toMatchObject({ state: 'discharged', undo: null });
    expect(
      rig.centre.control
        .books()
        .settlements.filter((s) => s.psn_no === patient.psnNo)
        .map((s) => s.state),
    ).toEqual(['cancelled']);
    expect(ward.wardBooks().settlements.map((s) => s.state)).toEqual(['cancelled']);
    expect(ward.depositBooks(iptNo)).toEqual({ inFen: before.cashFen, appliedFen: 0, refundedFen: 0, heldFen: before.cashFen });
    // Settled again with the deposits alone: nothing to collect, nothing to refund.
    const again = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect(again.plan).toMatchObject({ surplusFen: 0, shortfallFen: 0 });
    expect((await nurse.call<StayView>('settleDischarge', { stayId: stay.id })).state).toBe('completed');
    expect(ward.depositBooks(iptNo)).toEqual({ inFen: before.cashFen, appliedFen: before.cashFen, refundedFen: 0, heldFen: 0 });
  });
});
