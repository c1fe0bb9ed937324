/**
 * AQ-06 with 医保移动支付: a training day with phone payments reconciles with the centre. The mobile-payment centre
 * is part of the NHSA platform, so the NHSA simulator's books hold each order it settled (setl_id = payOrdId) and
 * cancel it on its 6203 refund. The whole training station as `npm run service` starts it (the settlement service
 * on real HTTP, the NHSA, HIS and mobile-payment simulators on 127.0.0.1, the station's SQLite): a discharge paid
 * on the phone, an outpatient bill paid and a registration paid then refunded (退号); the station's own
 * reconciliation run (runReconciliation: 3201 per group, 3202 where one is unbalanced) finds no difference.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESIDENT, startOutpatientRig, type OutpatientRig } from '../../src/service/testing/outpatient-rig';
import type { PatientView } from '../../src/shared/domain';
import type { DischargePreviewView, StayView } from '../../src/shared/inpatient';
import type { ReconciliationRunView } from '../../src/shared/reconciliation';
import { TRAINING_PASSWORD } from '../../src/station/auth/training-operators';
import { localDay } from '../../src/station/clock';
import { payOnline, refundRegistration } from '../harness/phone-outpatient';

const WARD = 'W0301';
const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };

let rig: OutpatientRig;
const mobile = () => rig.station.training!.mobilePay.control;
const his = () => rig.station.training!.his.control;

beforeEach(async () => {
  rig = await startOutpatientRig();
});

afterEach(async () => {
  await rig.close();
});

/** One of the station's operations, as `login` at a window of its own. */
async function asOperator(login: string) {
  const session = rig.station.core.openSession('ws');
  const op = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await rig.station.core.dispatch(session, name, input)) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  await op('login', { login, password: TRAINING_PASSWORD });
  return op;
}

/** A stay admitted at the centre by the nurse, charged, its discharge ordered at HIS: paid on the phone. */
async function dischargePaidOnPhone(): Promise<string> {
  const iptNo = his().ward.admit({ patientId: RESIDENT.hisId, wardCode: WARD });
  his().ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
  his().ward.charge({ iptNo, lines: [{ hospCode: 'Y0002', quantity: '20' }] });
  const nurse = await asOperator('hs001');
  const patient = await nurse<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
  await nurse('admitStay', { iptNo, identificationId: patient.identificationId });
  his().ward.orderDischarge(iptNo);
  const face = { passed: true, certifyId: 'FACE0001', verifiedAt: new Date().toISOString() };
  const settled = await rig.call({
    method: 'POST',
    path: `/v1/inpatient/stays/${iptNo}/settlements`,
    body: { payAuthNo: rig.authorise(), security: { face, location: AT_HOSPITAL } },
    idempotencyKey: 'day-discharge-0001',
  });
  expect(settled).toMatchObject({ status: 201, body: { state: 'paid' } });
  return (settled.body as { payOrderId: string }).payOrderId;
}

/** A stay settled at the bedside by the nurse, its cash part from cash deposits paid at HIS: the stay and its split. */
async function dischargedAtBedside(patient: { hisId: string; idNo: string }) {
  const iptNo = his().ward.admit({ patientId: patient.hisId, wardCode: WARD });
  his().ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
  his().ward.deposit({ iptNo, channel: 'cash', amountFen: 200_000 });
  const nurse = await asOperator('hs001');
  const person = await nurse<PatientView>('identifyPatient', { method: 'idcard', certNo: patient.idNo });
  const stay = await nurse<StayView>('admitStay', { iptNo, identificationId: person.identificationId });
  his().ward.orderDischarge(iptNo);
  await nurse('dischargeStay', { stayId: stay.id });
  const preview = await nurse<DischargePreviewView>('preSettleDischarge', { stayId: stay.id });
  expect(await nurse<StayView>('settleDischarge', { stayId: stay.id })).toMatchObject({ state: 'completed' });
  expect(preview.cashFen).toBeGreaterThan(0);
  return { iptNo, stay, preview };
}

/** A registration paid on the phone and refunded (退号): its mobile order. */
async function registrationRefunded(key: string): Promise<string> {
  const registration = his().register({ patientId: RESIDENT.hisId, deptCode: '0301' });
  const { payOrderId } = await payOnline(rig, registration, `${key}-pay`);
  const refunded = await refundRegistration(rig, registration, `${key}-ref`);
  expect(refunded).toMatchObject({ status: 201, body: { state: 'refunded', registrationCancelled: true } });
  return payOrderId;
}

const count = (table: string) => (rig.station.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/** The day's events have reached the ledger the run reads (the embedded one, shipped from ledger_events). */
const shipped = () =>
  expect.poll(() => count('station_events') === count('ledger_events') && count('ledger_events') > 0, { timeout: 20_000 }).toBe(true);

async function reconcileToday(): Promise<ReconciliationRunView> {
  const admin = await asOperator('admin');
  return admin<ReconciliationRunView>('runReconciliation', { day: localDay(new Date(), 'Asia/Shanghai') });
}

describe('a day of phone payments, reconciled with the centre (AQ-06)', () => {
  it('a discharge paid, a bill paid and a registration refunded: every 3201 group balances, no difference', async () => {
    const discharge = await dischargePaidOnPhone();
    const { payOrderId: bill } = await payOnline(rig, rig.prescribe(), 'day-bill-0001');
    const refundedOrder = await registrationRefunded('day-reg-0001');

    // The NHSA centre's own books: the three orders settled there, the refunded one cancelled.
    const settlements = rig.station.training!.centre.control.books().settlements.filter((s) => s.msgid.startsWith('HI'));
    expect(settlements.map((s) => [s.setl_id, s.state])).toEqual([
      [discharge, 'settled'],
      [bill, 'settled'],
      [refundedOrder, 'cancelled'],
    ]);

    await shipped();
    const run = await reconcileToday();
    const order = (id: string) => mobile().ledger.order(id)!;
    expect(run.groups.map((g) => [g.region, g.insutype, g.clrType, g.count, g.medfeeFen, g.balanced])).toEqual([
      ['350200', '390', '11', 1, order(bill).fee_sumamt, true],
      ['350200', '390', '21', 1, order(discharge).fee_sumamt, true],
    ]);
    // 3201 balanced everywhere, so no 3202 was needed and the centre named no difference.
    expect(run.differences).toEqual([]);
  }, 60_000);

  it('a group unbalanced for another reason: 3202 agrees with the refunded order line by line, names only what the ledger lacks', async () => {
    const { paymentId, payOrderId: bill } = await payOnline(rig, rig.prescribe(), 'day-bill-0002');
    await registrationRefunded('day-reg-0002');
    await shipped();
    // The bill's settlement lost from the ledger (as a station offline would leave it): its group is unbalanced.
    rig.station.db.exec('DROP TRIGGER station_events_kept');
    rig.station.db.prepare(`DELETE FROM station_events WHERE order_id = ? AND kind = 'settlement'`).run(paymentId);

    const run = await reconcileToday();
    expect(run.groups.map((g) => [g.clrType, g.balanced])).toEqual([['11', false]]);
    // The refunded order's settlement and its 6203 cancel agree in 3202; the bill is the centre's only.
    expect(run.differences.map((d) => [d.kind, d.clrType, d.setlId, d.centre?.medfeeFen])).toEqual([
      ['centre-only', '11', bill, mobile().ledger.order(bill)!.fee_sumamt],
    ]);
  }, 60_000);

  it('HIS agrees too: a bedside discharge (deposits applied), a phone discharge, a window undo, a bill and a refund balance on every side', async () => {
    const bedside = await dischargedAtBedside({ hisId: 'P000106', idNo: '35020620190520042X' });
    const undone = await dischargedAtBedside({ hisId: 'P000107', idNo: '350212197103090319' });
    const cashier = await asOperator('sf001');
    expect(await cashier<StayView>('undoDischargeSettlement', { stayId: undone.stay.id, reason: '费用录入有误' })).toMatchObject({
      state: 'discharged',
    });
    await dischargePaidOnPhone();
    await payOnline(rig, rig.prescribe(), 'day-bill-0003');
    await registrationRefunded('day-reg-0003');
    // HIS's ward books: the bedside settlement paid from the deposits, the undone one cancelled, the phone's.
    const applied = (s: { deposits: { amountFen: number }[] }) => s.deposits.reduce((n, d) => n + d.amountFen, 0);
    expect(
      his()
        .ward.wardBooks()
        .settlements.map((s) => [s.iptNo === bedside.iptNo, s.state, applied(s)]),
    ).toEqual([
      [true, 'settled', bedside.preview.cashFen],
      [false, 'cancelled', undone.preview.cashFen],
      [false, 'settled', 0],
    ]);

    await shipped();
    const run = await reconcileToday();
    expect(run.groups.every((g) => g.balanced)).toBe(true);
    expect(run.differences).toEqual([]);
    // HIS's day account lists the ward's three bookings beside the outpatient two; each agrees with the ledger.
    expect(run.his).toEqual({ balanced: true, error: null, hisBookings: 5, ledgerBookings: 5, differences: [] });
    expect(run.statement?.balanced ?? true).toBe(true);
    expect(run.outcome).toBe('balanced');
  }, 90_000);
});
