/**
 * The phone's settlement through the service wired to the station's mobile payment, on real HTTP: a training
 * station (its SQLite, the NHSA, HIS and mobile-payment centre simulators), the service started as `npm run
 * service` starts it (startServiceOnStation: the real MobilePayPort and the centre's callback route). Checked
 * against the mobile-payment centre's ledger and HIS's ward books: one pay, one HIS booking, the stay completed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStationFromConfig, type ComposedStation } from '../app/compose';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import type { PatientView } from '../shared/domain';
import { SERVICE_KEYS_FILE } from './app-keys';
import { SERVICE_CONFIG_FILE } from './config';
import { startServiceOnStation } from './on-station';
import type { SettlementService } from './settlement-service';
import { signedClient, type Answer } from './testing/signed-client';

/** 黄志强: resident scheme, in HIS and the centres' population; no personal account, so a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const WARD = 'W0301';
const APP = { appId: 'wx-oa-test', name: '医院公众号', secret: 'a1'.repeat(32), ratePerMinute: 1000 };
const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };
const WALLET_FEN = 5_000_000;

interface SettlementBody {
  settlementId: string;
  state: string;
  medfeeFen: number;
  payOrderId: string | null;
}

let dataDir: string;
let station: ComposedStation;
let service: SettlementService;
let call: ReturnType<typeof signedClient>;
let iptNo: string;

const body = <T>(a: Answer) => a.body as T;
const centre = () => station.training!.mobilePay.control;
const hisWard = () => station.training!.his.control.ward;

async function admittedStay(): Promise<string> {
  const ipt = hisWard().admit({ patientId: RESIDENT.hisId, wardCode: WARD });
  hisWard().charge({ iptNo: ipt, day: '2026-12-01', lines: [{ hospCode: 'F0003', quantity: '2' }] });
  hisWard().charge({ iptNo: ipt, lines: [{ hospCode: 'F0002', quantity: '1' }] });
  const session = station.core.openSession('ws');
  const op = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await station.core.dispatch(session, name, input)) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  await op('login', { login: 'hs001', password: TRAINING_PASSWORD });
  const patient = await op<PatientView>('identifyPatient', { method: 'idcard', certNo: RESIDENT.idNo });
  await op('admitStay', { iptNo: ipt, identificationId: patient.identificationId });
  return ipt;
}

/** The phone, after the patient authorised on it (e-voucher): settle in one step behind the security checks. */
function settle(key: string): Promise<Answer> {
  const payAuthNo = centre().authorise(RESIDENT.idNo, WALLET_FEN);
  const face = { passed: true, certifyId: 'FACE0001', verifiedAt: new Date().toISOString() };
  return call({
    method: 'POST',
    path: `/v1/inpatient/stays/${iptNo}/settlements`,
    body: { payAuthNo, security: { face, location: AT_HOSPITAL } },
    idempotencyKey: key,
  });
}

const result = async (id: string) => body<SettlementBody>(await call({ method: 'GET', path: `/v1/inpatient/settlements/${id}` }));

/** Asks until `done` holds (each look a real request or read); the test's own timeout bounds it. */
async function until(done: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 50));
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobile-pay-wired-'));
  fs.writeFileSync(path.join(dataDir, SERVICE_KEYS_FILE), JSON.stringify({ apps: [APP] }), { mode: 0o600 });
  fs.writeFileSync(path.join(dataDir, SERVICE_CONFIG_FILE), JSON.stringify({ messagesEveryMs: 600_000 }));
  station = await createStationFromConfig({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 3000,
  });
  service = await startServiceOnStation(station, dataDir, { port: 0 });
  call = signedClient(service.url, APP);
  iptNo = await admittedStay();
  hisWard().orderDischarge(iptNo);
});

afterEach(async () => {
  await service.close();
  await station.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the phone settling through the wired mobile payment', () => {
  it('fees → shares → settle → result: paid once at the centre, booked once at HIS, the stay completed; refunded after HIS booked, then settled again', async () => {
    const fees = body<{ pendingFen: number; depositBalanceFen: number }>(
      await call({ method: 'GET', path: `/v1/inpatient/stays/${iptNo}` }),
    );
    const shares = await call({
      method: 'POST',
      path: `/v1/inpatient/stays/${iptNo}/pre-settlement`,
      body: {},
      idempotencyKey: 'shares-0001',
    });
    // Mid-stay shares until the settlement discharges the stay at the centre.
    expect(shares).toMatchObject({ status: 200, body: { medfeeFen: fees.pendingFen, discharge: false } });

    const settled = await settle('settle-0001');
    expect(settled).toMatchObject({ status: 201, body: { state: 'paid' } });
    const s = body<SettlementBody>(settled);
    const order = centre().ledger.order(s.payOrderId!)!;
    expect(order).toMatchObject({ fee_sumamt: fees.pendingFen, ord_stas: '4' });
    // The shares the phone was shown (2303 at the NHSA centre) are the ones the mobile-payment centre charged.
    expect(body(settled)).toMatchObject({ fundFen: order.fund_pay, acctFen: order.psn_acct_pay, cashFen: order.own_pay_amt });
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN - order.own_pay_amt);
    expect(hisWard().wardBooks().settlements).toEqual([
      expect.objectContaining({
        iptNo,
        kind: 'discharge',
        setlId: order.pay_ord_id,
        medfeeFen: order.fee_sumamt,
        fundFen: order.fund_pay,
        acctFen: order.psn_acct_pay,
        cashFen: order.own_pay_amt,
      }),
    ]);
    expect(station.inpatient.stays.byIptNo(iptNo)).toMatchObject({
      state: 'completed',
      settlement: { setlId: order.pay_ord_id, medfeeFen: order.fee_sumamt, cashFen: order.own_pay_amt },
      booking: { surplusFen: fees.depositBalanceFen },
    });
    expect(await result(s.settlementId)).toMatchObject({ state: 'paid', payOrderId: order.pay_ord_id });

    // HM-10 after HIS booked: HIS's booking cancelled, then 6203 — the fund, the account and the wallet made whole.
    const refund = await call({
      method: 'POST',
      path: `/v1/inpatient/settlements/${s.settlementId}/refund-applications`,
      body: { reason: '结算后发现费用有误' },
      idempotencyKey: 'refund-0001',
    });
    expect(refund).toMatchObject({ status: 201, body: { state: 'refunded' } });
    expect(centre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: order.pay_ord_id })]);
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    expect(
      hisWard()
        .wardBooks()
        .settlements.map((x) => x.state),
    ).toEqual(['cancelled']);
    expect(station.inpatient.stays.byIptNo(iptNo)).toMatchObject({ state: 'discharged', booking: null });
    expect(await result(s.settlementId)).toMatchObject({ state: 'refunded' });

    // Discharged and unsettled at the station and HIS: the phone settles it again, booked once more.
    const again = await settle('settle-0001b');
    expect(again).toMatchObject({ status: 201, body: { state: 'paid', medfeeFen: fees.pendingFen } });
    expect(
      hisWard()
        .wardBooks()
        .settlements.map((x) => x.state),
    ).toEqual(['cancelled', 'settled']);
    expect(station.inpatient.stays.byIptNo(iptNo)).toMatchObject({
      state: 'completed',
      settlement: { setlId: body<SettlementBody>(again).payOrderId },
    });
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(2);
  });

  it('a discharge HIS refused to book stays paid, and its refund goes back through 6203 to the fund and the wallet, once', async () => {
    station.training!.his.control.inject({
      op: 'inpatient.settle',
      fault: { kind: 'refuse', code: '4001', msg: '病区正在盘点' },
      times: 1,
    });
    const s = body<SettlementBody>(await settle('settle-0002'));
    expect(s.state).toBe('paid');
    expect(hisWard().wardBooks().settlements).toEqual([]);
    const order = centre().ledger.order(s.payOrderId!)!;

    const refund = await call({
      method: 'POST',
      path: `/v1/inpatient/settlements/${s.settlementId}/refund-applications`,
      body: { reason: '出院结算撤销' },
      idempotencyKey: 'refund-0002',
    });
    expect(refund).toMatchObject({ status: 201, body: { state: 'refunded' } });
    expect(centre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: order.pay_ord_id })]);
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    expect(await result(s.settlementId)).toMatchObject({ state: 'refunded' });
    // Settled at the centre but never booked at HIS: unsettled again, for the phone or the bedside.
    expect(station.inpatient.stays.byIptNo(iptNo)?.state).toBe('discharged');
  });

  it('a discharge refunded after HIS booked it is settled again at the bedside (2304), the phone’s order no longer in the way', async () => {
    const s = body<SettlementBody>(await settle('settle-0006'));
    expect(s.state).toBe('paid');
    const refund = await call({
      method: 'POST',
      path: `/v1/inpatient/settlements/${s.settlementId}/refund-applications`,
      body: { reason: '改为床旁结算' },
      idempotencyKey: 'refund-0006',
    });
    expect(refund).toMatchObject({ status: 201, body: { state: 'refunded' } });
    const stay = station.inpatient.stays.byIptNo(iptNo)!;
    expect(stay.state).toBe('discharged');
    const session = station.core.openSession('ws');
    await station.core.dispatch(session, 'login', { login: 'hs001', password: TRAINING_PASSWORD });
    const bedside = (await station.core.dispatch(session, 'settleDischarge', { stayId: stay.id })) as { ok: boolean; error?: unknown };
    expect(bedside).toMatchObject({ ok: true });
    expect(station.training!.centre.control.books().settlements.filter((x) => x.state === 'settled')).toHaveLength(1);
    // No deposits: the cash part is a shortfall to collect at the bedside before HIS books the new settlement.
    const again = station.inpatient.stays.byIptNo(iptNo)!;
    expect(again).toMatchObject({ state: 'settled', shortfallFen: again.settlement!.cashFen });
    expect(again.settlement!.setlId).not.toBe(s.payOrderId);
    expect(
      hisWard()
        .wardBooks()
        .settlements.map((x) => x.state),
    ).toEqual(['cancelled']);
  });

  it('a lost 6202 answer is settled by 6301 (the callback says "look now"), paid and booked once', async () => {
    centre().inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    const settled = await settle('settle-0003');
    expect(settled).toMatchObject({ status: 201, body: { state: 'unknown' } });
    const id = body<SettlementBody>(settled).settlementId;
    await until(async () => (await result(id)).state === 'paid' && hisWard().wardBooks().settlements.length === 1);
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
    expect(centre().requests.filter((r) => r.op === 'query_order_info').length).toBeGreaterThanOrEqual(1);
    expect(centre().ledger.orders()).toHaveLength(1);
    expect(hisWard().wardBooks().settlements).toHaveLength(1);
    expect(station.inpatient.stays.byIptNo(iptNo)?.state).toBe('completed');
  });

  it('the bedside cannot settle a stay the phone is paying: its 2304 is refused while the phone’s order is in doubt', async () => {
    // The pay order's answer is lost and every look-up fails for now: the phone's payment stays in doubt.
    centre().inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    centre().inject({ op: 'query_order_info', fault: { kind: 'http-500' }, times: 1000 });
    centre().inject({ op: 'notify', fault: { kind: 'notify-lost' }, times: 1000 });
    const settled = await settle('settle-0005');
    expect(settled).toMatchObject({ status: 201, body: { state: 'unknown' } });
    const stay = station.inpatient.stays.byIptNo(iptNo)!;
    expect(stay.state).toBe('discharged');
    const session = station.core.openSession('ws');
    await station.core.dispatch(session, 'login', { login: 'hs001', password: TRAINING_PASSWORD });
    const bedside = (await station.core.dispatch(session, 'settleDischarge', { stayId: stay.id })) as {
      ok: boolean;
      error?: { code: string; message: string };
    };
    expect(bedside).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('手机') } });
    // No 2304: the one settlement at the NHSA centre is the phone's (the mobile-payment centre's order, one platform).
    const [order] = centre().ledger.orders();
    expect(station.training!.centre.control.books().settlements.filter((x) => x.state === 'settled')).toEqual([
      expect.objectContaining({ setl_id: order!.pay_ord_id, msgid: order!.hi_doc_sn }),
    ]);
    expect(centre().ledger.orders()).toHaveLength(1);
  });

  it('the centre’s callback, duplicated, is acknowledged each time and books nothing twice; a malformed one is refused', async () => {
    const s = body<SettlementBody>(await settle('settle-0004'));
    const payOrdId = s.payOrderId!;
    await until(() => centre().ledger.callback(payOrdId)?.state === 'acked');
    expect(await centre().replay(payOrdId)).toBe(true);
    expect(await centre().replay(payOrdId)).toBe(true);
    expect(hisWard().wardBooks().settlements).toHaveLength(1);
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);

    const garbage = await fetch(`${service.url}/callbacks/mobile-pay`, { method: 'POST', body: 'not json' });
    expect(await garbage.json()).toEqual({ code: 1, message: '报文格式错误' });
    const unknown = await fetch(`${service.url}/callbacks/mobile-pay`, {
      method: 'POST',
      body: JSON.stringify({ payOrdId: 'NOPE', medOrgOrd: 'NOPE', ordStas: '4' }),
    });
    expect(await unknown.json()).toEqual({ code: 1, message: '未知订单' });
  });
});
