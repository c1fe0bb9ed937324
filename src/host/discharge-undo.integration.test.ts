/**
 * A discharge settlement undone from the window (AQ-17 / HM-07) through the real station in training: the nurse
 * settles 黄志强's stay (two WeChat deposits, the surplus not yet refunded); the cashier finds the stay by 住院号 and
 * undoes it with a reason — HIS's booking cancelled (the deposits it applied back), the centre's 2305 — and the nurse
 * settles it again. Checked on the centre's books, HIS's ward books and the platform's refunds, and in the audit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import type { ComposedStation } from '../app/compose';
import { openTrainingStation, payWechatDeposit, signInAs } from '../../test/harness/training-station';
import { openDatabase } from '../station/store';
import type { PatientView } from '../shared/domain';
import type { DischargePreviewView, StayView, WardPatientView } from '../shared/inpatient';

const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';

let dataDir: string;
let station: ComposedStation;
let opened: Awaited<ReturnType<typeof openTrainingStation>>;

beforeEach(async () => {
  opened = await openTrainingStation('undo', { inpatientUploadEveryMs: 200 });
  ({ dataDir, station } = opened);
});
afterEach(() => opened.close());

const signedIn = (login: string) => signInAs(station, login);

const wechatDeposit = (iptNo: string, amountFen: number, n: number) => payWechatDeposit(station, dataDir, iptNo, amountFen, n);

describe('a discharge settlement undone at the window', () => {
  it('cancels HIS’s booking and the centre’s settlement with a reason; the stay is settled again, once on every book', async () => {
    const rig = station.training!;
    const ward = rig.his.control.ward;
    const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
    ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
    const deposits = [await wechatDeposit(iptNo, 30_000, 1), await wechatDeposit(iptNo, 20_000, 2)];
    const nurse = await signedIn('hs001');
    const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
    const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
    ward.orderDischarge(iptNo);
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const preview = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    const first = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    expect(first.state).toBe('completed');
    const balance = async () =>
      (await nurse.call<WardPatientView[]>('listWardPatients', { wardCode: WARD })).find((p) => p.iptNo === iptNo)!.depositBalanceFen;
    expect(await balance()).toBe(50_000 - preview.cashFen);

    // The cashier finds the stay by 住院号; the nurse may not undo, nor anyone without a reason.
    const cashier = await signedIn('sf001');
    const found = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(found).toMatchObject({ id: stay.id, state: 'completed' });
    expect(await nurse.raw('undoDischargeSettlement', { stayId: stay.id, reason: '费用录入有误' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await cashier.raw('undoDischargeSettlement', { stayId: stay.id, reason: ' ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });

    const undone = await cashier.call<StayView>('undoDischargeSettlement', { stayId: stay.id, reason: '费用录入有误' });
    expect(undone).toMatchObject({ state: 'discharged', booking: null, surplus: null });
    // HIS: the booking cancelled, the deposits whole again; the centre: the settlement cancelled; nothing refunded.
    expect(ward.wardBooks().settlements.map((s) => [s.setlId, s.state])).toEqual([[first.settlement!.setlId, 'cancelled']]);
    expect(await balance()).toBe(50_000);
    const centre = () => rig.centre.control.books().settlements.filter((s) => s.psn_no === patient.psnNo);
    expect(centre().map((s) => [s.setl_id, s.state])).toEqual([[first.settlement!.setlId, 'cancelled']]);
    expect(rig.payChannel.control.refunds()).toEqual([]);
    // Done is done: a second undo is refused, nothing more is sent.
    expect(await cashier.raw('undoDischargeSettlement', { stayId: stay.id, reason: '费用录入有误' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    // Settled again by the nurse: a new settlement on both books, the surplus refunded once on the platform.
    const again = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect(again.medfeeFen).toBe(preview.medfeeFen);
    const second = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });
    expect(second.state).toBe('completed');
    expect(second.settlement!.setlId).not.toBe(first.settlement!.setlId);
    expect(centre().map((s) => s.state)).toEqual(['cancelled', 'settled']);
    expect(ward.wardBooks().settlements.map((s) => s.state)).toEqual(['cancelled', 'settled']);
    const refunded = await nurse.call<StayView>('refundSurplus', { stayId: stay.id, depositNos: deposits });
    const surplusFen = 50_000 - again.cashFen;
    expect(refunded.surplus).toMatchObject({ to: 'channels', amountFen: surplusFen });
    expect(rig.payChannel.control.refunds().reduce((sum, r) => sum + r.refund_fee, 0)).toBe(surplusFen);

    const db = openDatabase(path.join(dataDir, 'station.db'));
    try {
      expect(db.prepare(`SELECT operator_id, outcome, detail FROM audit_log WHERE action = 'stay.undoSettlement'`).all()).toEqual([
        { operator_id: 'sf001', outcome: 'ok', detail: `${iptNo} 原因：费用录入有误` },
        { operator_id: 'sf001', outcome: 'failed', detail: `${iptNo} 原因：费用录入有误` },
      ]);
      const movements = (db.prepare('SELECT body FROM ledger_events ORDER BY seq').all() as { body: string }[])
        .map((r) => JSON.parse(r.body) as { movement: string; orderId: string; amounts: Record<string, number> })
        .filter((e) => e.orderId === stay.id);
      // The ledger: the first settlement, its cancel (the same split negated), HIS's booking reversed, and again.
      expect(movements.map((e) => e.movement).filter((m) => m !== 'nhsa.2401')).toEqual([
        'nhsa.2304',
        'his.ward-settle',
        'his.ward-settle-cancel',
        'nhsa.2305',
        'nhsa.2304',
        'his.ward-settle',
        'pay.deposit-refund',
        'his.deposit-refund',
        'pay.deposit-refund',
        'his.deposit-refund',
      ]);
      const [settled, cancelled] = ['nhsa.2304', 'nhsa.2305'].map((m) => movements.find((e) => e.movement === m)!.amounts);
      expect(settled).toMatchObject({ total: preview.medfeeFen, cash: preview.cashFen });
      expect(cancelled).toEqual(Object.fromEntries(Object.entries(settled!).map(([k, v]: [string, number]) => [k, v === 0 ? 0 : -v])));
    } finally {
      db.close();
    }
  });
  it('with 撤销出院 too (2405) the patient is in hospital again: a line charged since goes up and the bill is settled with it', async () => {
    const rig = station.training!;
    const ward = rig.his.control.ward;
    const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
    ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
    await wechatDeposit(iptNo, 30_000, 1);
    const nurse = await signedIn('hs001');
    const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
    const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
    ward.orderDischarge(iptNo);
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const first = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    await nurse.call<StayView>('settleDischarge', { stayId: stay.id });

    const cashier = await signedIn('sf001');
    const back = await cashier.call<StayView>('undoDischargeSettlement', { stayId: stay.id, reason: '漏记费用', backToWard: true });
    expect(back.state).toBe('admitted');
    const visit = rig.centre.control.books().visits.filter((v) => v.psn_no === patient.psnNo && v.kind !== 'outpatient');
    expect(visit.map((v) => v.state)).toEqual(['open']);

    // The line the ward forgot, charged now: uploaded with the discharge again, and in the bill settled.
    ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const second = await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect(second.medfeeFen).toBeGreaterThan(first.medfeeFen);
    expect((await nurse.call<StayView>('settleDischarge', { stayId: stay.id })).state).toBe('completed');
    expect(ward.wardBooks().settlements.map((s) => [s.state, s.medfeeFen])).toEqual([
      ['cancelled', first.medfeeFen],
      ['settled', second.medfeeFen],
    ]);
    expect(
      rig.centre.control
        .books()
        .settlements.filter((s) => s.psn_no === patient.psnNo)
        .map((s) => [s.state, s.medfee_sumamt]),
    ).toEqual([
      ['cancelled', first.medfeeFen],
      ['settled', second.medfeeFen],
    ]);
  });
  it('a 2305 whose answer is lost counts once 5204 shows the stay unsettled: the stay is discharged and unsettled', async () => {
    const rig = station.training!;
    const ward = rig.his.control.ward;
    const iptNo = ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
    ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
    await wechatDeposit(iptNo, 30_000, 1);
    const nurse = await signedIn('hs001');
    const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
    const stay = await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
    ward.orderDischarge(iptNo);
    await nurse.call<StayView>('dischargeStay', { stayId: stay.id });
    const settled = await nurse.call<StayView>('settleDischarge', { stayId: stay.id });

    const cashier = await signedIn('sf001');
    rig.centre.control.inject({ infno: '2305', fault: { kind: 'drop-response' }, times: 1 });
    expect(await cashier.raw('undoDischargeSettlement', { stayId: stay.id, reason: '费用录入有误' })).toMatchObject({
      ok: false,
      error: { code: 'OUTCOME_UNKNOWN' },
    });
    // The resolver asks again under the same msgid; the centre's answer held against 5204 (the lines unsettled).
    await vi.waitFor(async () => expect((await cashier.call<StayView>('findStayByIptNo', { iptNo })).state).toBe('discharged'), {
      timeout: 15_000,
      interval: 200,
    });
    expect(
      rig.centre.control
        .books()
        .settlements.filter((s) => s.setl_id === settled.settlement!.setlId)
        .map((s) => s.state),
    ).toEqual(['cancelled']);
    expect(ward.wardBooks().settlements.map((s) => s.state)).toEqual(['cancelled']);
    // Settled again, once.
    await nurse.call<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
    expect((await nurse.call<StayView>('settleDischarge', { stayId: stay.id })).state).toBe('completed');
    expect(
      rig.centre.control
        .books()
        .settlements.filter((s) => s.psn_no === patient.psnNo)
        .map((s) => s.state),
    ).toEqual(['cancelled', 'settled']);
  });
});
