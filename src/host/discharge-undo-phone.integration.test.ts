/**
 * HM-07 for a discharge the patient paid on the phone (医保移动支付), undone at the window: the training station with
 * its NHSA, HIS and mobile-payment centre simulators, the settlement service on real HTTP. The phone settles 黄志强's
 * discharge (6201/6202, HIS books it); the cashier's Alt+Z then takes the phone's refund path — HIS's booking cancelled
 * without turning the wallet payment into a deposit, 6203 at the mobile-payment centre — never the window's 2305.
 * Checked on every book: the centre's order and wallet, the NHSA centre's requests, HIS's settlements and deposits,
 * the station's stay, the phone's settlement row and the audit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComposedStation } from '../app/compose';
import { openTrainingStation, payWechatDeposit, signInAs } from '../../test/harness/training-station';
import { SERVICE_KEYS_FILE } from '../service/app-keys';
import { SERVICE_CONFIG_FILE } from '../service/config';
import { startServiceOnStation } from '../service/on-station';
import type { SettlementService } from '../service/settlement-service';
import { signedClient, type Answer } from '../service/testing/signed-client';
import type { PatientView } from '../shared/domain';
import type { StayView } from '../shared/inpatient';
import { openDatabase } from '../station/store';

/** 黄志强: resident scheme, in HIS and the centres' population; no personal account, so a self-pay part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';
const APP = { appId: 'wx-oa-test', name: '医院公众号', secret: 'b2'.repeat(32), ratePerMinute: 1000 };
const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };
const WALLET_FEN = 5_000_000;
const DEPOSIT_FEN = 30_000;

interface SettlementBody {
  settlementId: string;
  state: string;
  payOrderId: string | null;
}

let opened: Awaited<ReturnType<typeof openTrainingStation>>;
let station: ComposedStation;
let service: SettlementService;
let call: ReturnType<typeof signedClient>;
let iptNo: string;

const mobileCentre = () => station.training!.mobilePay.control;
/** The e-bill gateway's bills of one HIS booking (busNo). */
const eBillsOf = (busNo: string) => station.training!.ebill.control.bills().filter((b) => b.busNo === busNo);
const nhsaCentre = () => station.training!.centre.control;
const his = () => station.training!.his.control;
const hisWard = () => his().ward;
const body = <T>(a: Answer) => a.body as T;

beforeEach(async () => {
  opened = await openTrainingStation('undo-phone');
  station = opened.station;
  fs.writeFileSync(path.join(opened.dataDir, SERVICE_KEYS_FILE), JSON.stringify({ apps: [APP] }), { mode: 0o600 });
  fs.writeFileSync(path.join(opened.dataDir, SERVICE_CONFIG_FILE), JSON.stringify({ messagesEveryMs: 600_000 }));
  service = await startServiceOnStation(station, opened.dataDir, { port: 0 });
  call = signedClient(service.url, APP);
  // On the ward with one WeChat deposit; admitted at the centre by the nurse; the doctor orders the discharge.
  iptNo = hisWard().admit({ patientId: RESIDENT.hisId, wardCode: WARD });
  hisWard().charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
  await payWechatDeposit(station, opened.dataDir, iptNo, DEPOSIT_FEN);
  const nurse = await signInAs(station, 'hs001');
  const patient = await nurse.call<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
  await nurse.call<StayView>('admitStay', { iptNo, identificationId: patient.identificationId });
  hisWard().orderDischarge(iptNo);
});

afterEach(async () => {
  await service.close();
  await opened.close();
});

/** The phone settles the discharge in one step (e-voucher authorised, face and location checked). */
async function settleOnPhone(key: string): Promise<SettlementBody> {
  const payAuthNo = mobileCentre().authorise(RESIDENT.idNo, WALLET_FEN);
  const face = { passed: true, certifyId: 'FACE0001', verifiedAt: new Date().toISOString() };
  const answer = await call({
    method: 'POST',
    path: `/v1/inpatient/stays/${iptNo}/settlements`,
    body: { payAuthNo, security: { face, location: AT_HOSPITAL } },
    idempotencyKey: key,
  });
  expect(answer).toMatchObject({ status: 201, body: { state: 'paid' } });
  return body<SettlementBody>(answer);
}

const phoneResult = async (id: string) => body<SettlementBody>(await call({ method: 'GET', path: `/v1/inpatient/settlements/${id}` }));
const nhsaCalls = (infno: string) =>
  nhsaCentre()
    .requests()
    .filter((r) => r.infno === infno).length;

describe('the window undoes a discharge paid on the phone', () => {
  it('by the phone’s refund: the order refunded once, the wallet credited, no 2305, HIS’s deposits as they were; settled again', async () => {
    const paid = await settleOnPhone('settle-0001');
    const order = mobileCentre().ledger.order(paid.payOrderId!)!;
    expect(order.own_pay_amt).toBeGreaterThan(0);
    expect(mobileCentre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN - order.own_pay_amt);
    const deposits = hisWard().depositBooks(iptNo);
    expect(deposits.heldFen).toBe(DEPOSIT_FEN);

    // The cashier's dialog is told before Enter that the money goes back to the phone's wallet, not the deposits.
    const cashier = await signInAs(station, 'sf001');
    const found = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(found).toMatchObject({ state: 'completed', settledOnPhone: true, settlement: { setlId: paid.payOrderId } });
    // Its e-bill, issued in the background once HIS booked it (busNo: HIS's number of the booking).
    const bills = station.inpatient.bills!;
    await vi.waitFor(() => expect(bills.view(found.id)?.state).toBe('issued'), { timeout: 10_000 });
    const busNo = station.inpatient.stays.get(found.id)!.booking!.hisSettleNo;
    expect(eBillsOf(busNo)).toEqual([expect.objectContaining({ busType: '01', totalFen: order.fee_sumamt, isScarlet: false })]);

    const undone = await cashier.call<StayView>('undoDischargeSettlement', { stayId: found.id, reason: '费用录入有误' });
    expect(undone).toMatchObject({ state: 'discharged', booking: null });
    // The mobile-payment centre: refunded once, the whole bill; the wallet whole again.
    expect(mobileCentre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: paid.payOrderId })]);
    expect(mobileCentre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    // The NHSA centre: nothing of the window's path (the phone's settlement is not its 2304).
    expect(nhsaCalls('2305')).toBe(0);
    // HIS: the booking cancelled; its wallet payment refunded, not a deposit — the deposits exactly as before.
    expect(
      hisWard()
        .wardBooks()
        .settlements.map((s) => [s.setlId, s.state]),
    ).toEqual([[paid.payOrderId, 'cancelled']]);
    expect(hisWard().depositBooks(iptNo)).toEqual(deposits);
    expect(station.mobilePay!.settlement.query({ orderId: paid.settlementId })).toMatchObject({ state: 'refunded', inDoubt: false });
    // The bill red-flushed after the 6203, naming the cashier who asked the undo.
    await vi.waitFor(() => expect(bills.view(found.id)?.state).toBe('red-flushed'), { timeout: 10_000 });
    expect(eBillsOf(busNo)).toEqual([expect.objectContaining({ isScarlet: true })]);
    expect(bills.repo.byBusNo(busNo)?.redAskedBy).toBe('张敏');
    // Done is done: a second undo is refused and sends nothing.
    expect(await cashier.raw('undoDischargeSettlement', { stayId: found.id, reason: '费用录入有误' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(mobileCentre().ledger.refunds()).toHaveLength(1);

    // Settleable again: the phone pays the same bill under a new order (its first settlement no longer in the way,
    // though no phone asked for it since), booked at HIS once more; the first settlement's row says refunded.
    const again = await settleOnPhone('settle-0002');
    expect(await phoneResult(paid.settlementId)).toMatchObject({ state: 'refunded' });
    expect(again.payOrderId).not.toBe(paid.payOrderId);
    expect(
      hisWard()
        .wardBooks()
        .settlements.map((s) => s.state),
    ).toEqual(['cancelled', 'settled']);
    expect(station.inpatient.stays.byIptNo(iptNo)).toMatchObject({ state: 'completed', settlement: { setlId: again.payOrderId } });

    const db = openDatabase(path.join(opened.dataDir, 'station.db'));
    try {
      const audited = db.prepare(`SELECT operator_id, outcome, detail FROM audit_log WHERE action = 'stay.undoSettlement'`).all();
      expect(audited).toEqual([
        {
          operator_id: 'sf001',
          outcome: 'ok',
          detail: expect.stringMatching(
            new RegExp(`^${iptNo} 原因：费用录入有误；医保移动支付原路退款：.*退回患者医保移动支付钱包，不转预交金$`),
          ),
        },
        { operator_id: 'sf001', outcome: 'failed', detail: `${iptNo} 原因：费用录入有误` },
      ]);
    } finally {
      db.close();
    }
  });

  it('with 撤销出院 too: refunded on the phone, then 2405 — the patient in hospital again, still no 2305', async () => {
    const paid = await settleOnPhone('settle-0003');
    const cashier = await signInAs(station, 'sf001');
    const found = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    const undone = await cashier.call<StayView>('undoDischargeSettlement', { stayId: found.id, reason: '需补录费用', backToWard: true });
    expect(undone.state).toBe('admitted');
    expect(mobileCentre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: paid.payOrderId })]);
    expect(nhsaCalls('2305')).toBe(0);
    expect(nhsaCalls('2405')).toBe(1);
    expect(
      hisWard()
        .wardBooks()
        .settlements.map((s) => s.state),
    ).toEqual(['cancelled']);
    expect(await phoneResult(paid.settlementId)).toMatchObject({ state: 'refunded' });
  });

  it('HIS refusing the cancel: the cashier is told HIS’s words, nothing is refunded, the order and the stay as they were', async () => {
    const paid = await settleOnPhone('settle-0004');
    station.training!.his.control.inject({
      op: 'inpatient.settle.cancel',
      fault: { kind: 'refuse', code: '4001', msg: '病区正在盘点' },
      times: 1,
    });
    const cashier = await signInAs(station, 'sf001');
    const found = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(await cashier.raw('undoDischargeSettlement', { stayId: found.id, reason: '费用录入有误' })).toMatchObject({
      ok: false,
      error: { code: 'CENTRE_REJECTED', message: expect.stringContaining('病区正在盘点') },
    });
    expect(mobileCentre().ledger.refunds()).toEqual([]);
    expect(nhsaCalls('2305')).toBe(0);
    expect(station.inpatient.stays.byIptNo(iptNo)).toMatchObject({ state: 'completed', settlement: { setlId: paid.payOrderId } });
    expect(station.mobilePay!.settlement.query({ orderId: paid.settlementId })).toMatchObject({ state: 'completed' });
  });

  it('a phone-paid discharge HIS refused to book (settled, not booked): undone by 6203 alone, nothing at HIS, no 2305', async () => {
    station.training!.his.control.inject({
      op: 'inpatient.settle',
      fault: { kind: 'refuse', code: '4001', msg: '病区正在盘点' },
      times: 1,
    });
    const paid = await settleOnPhone('settle-0005');
    expect(station.inpatient.stays.byIptNo(iptNo)).toMatchObject({ state: 'settled', booking: null });
    const cashier = await signInAs(station, 'sf001');
    const found = await cashier.call<StayView>('findStayByIptNo', { iptNo });
    expect(found).toMatchObject({ state: 'settled', settledOnPhone: true });
    const undone = await cashier.call<StayView>('undoDischargeSettlement', { stayId: found.id, reason: '改为床旁结算' });
    expect(undone.state).toBe('discharged');
    expect(mobileCentre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: paid.payOrderId })]);
    expect(
      his()
        .requests()
        .filter((r) => r.service === 'inpatient.settle.cancel'),
    ).toEqual([]);
    expect(nhsaCalls('2305')).toBe(0);
    expect(await phoneResult(paid.settlementId)).toMatchObject({ state: 'refunded' });
  });
});
