/**
 * ZS-09's registration-fee refund (退号) through the settlement service on real HTTP: a registration paid on the
 * phone is refunded there — HIS approves, 6203 returns the fee to the fund and the wallet, HIS cancels the
 * registration — once; one the doctor has seen is refused by HIS; one paid at the window is sent to the window.
 * Checked against the mobile-payment centre's ledger and HIS's books.
 */
import { fen } from '../shared/money';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESIDENT, WALLET_FEN, startOutpatientRig, until, type OutpatientRig } from './testing/outpatient-rig';

interface Payment {
  paymentId: string;
  payOrderId: string;
  state: string;
}

let rig: OutpatientRig;
const his = () => rig.station.training!.his.control;
const centre = () => rig.station.training!.mobilePay.control;
const register = () => his().register({ patientId: RESIDENT.hisId, deptCode: '0301' });
const refund = (orderNo: string, key: string) =>
  rig.call({ method: 'POST', path: `/v1/outpatient/registrations/${orderNo}/refund`, body: { reason: '行程有变' }, idempotencyKey: key });

async function payOnline(orderNo: string, key: string, hisBooked = true): Promise<Payment> {
  const a = await rig.call({
    method: 'POST',
    path: `/v1/outpatient/bills/${orderNo}/payments`,
    body: { payAuthNo: rig.authorise() },
    idempotencyKey: key,
  });
  expect(a).toMatchObject({ status: 201, body: { state: 'paid', hisBooked } });
  return a.body as Payment;
}

beforeEach(async () => {
  rig = await startOutpatientRig();
});

afterEach(async () => {
  await rig.close();
});

describe('registration-fee refund (退号)', () => {
  it('a registration paid on the phone: refunded by 6203 to the fund and the wallet, the registration cancelled at HIS, once', async () => {
    const orderNo = register();
    const paid = await payOnline(orderNo, 'reg-pay-0001');
    const order = centre().ledger.order(paid.payOrderId)!;
    expect(order.own_pay_amt).toBeGreaterThan(0);

    const answer = await refund(orderNo, 'reg-ref-0001');
    expect(answer).toMatchObject({ status: 201, body: { state: 'refunded', registrationCancelled: true, paymentId: paid.paymentId } });
    expect(centre().ledger.refunds()).toEqual([
      expect.objectContaining({ pay_ord_id: order.pay_ord_id, totl_fen: order.fee_sumamt, cash_fen: order.own_pay_amt }),
    ]);
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    expect(
      his()
        .books()
        .bookings.filter((b) => b.orderNo === orderNo),
    ).toEqual([expect.objectContaining({ setlId: order.pay_ord_id, state: 'cancelled' })]);
    expect(his().order(orderNo)!.state).toBe('refunded');
    const view = await rig.call({ method: 'GET', path: `/v1/outpatient/payments/${paid.paymentId}` });
    expect(view).toMatchObject({ status: 200, body: { state: 'refunded', hisBooked: true } });

    // Asked again (another key): already refunded, nothing moves twice.
    expect(await refund(orderNo, 'reg-ref-0002')).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringContaining('已退号') } },
    });
    expect(centre().ledger.refunds()).toHaveLength(1);
  });

  it('a lost 6203 answer: refunding, then settled by 6301 and the registration cancelled at HIS, the fee back once', async () => {
    const orderNo = register();
    const paid = await payOnline(orderNo, 'reg-pay-0006');
    centre().inject({ op: 'refund_Order', fault: { kind: 'drop-response' }, times: 1 });
    const answer = await refund(orderNo, 'reg-ref-0006');
    expect(answer).toMatchObject({ status: 201, body: { state: 'refunding', registrationCancelled: false } });
    await until(() => his().order(orderNo)!.state === 'refunded');
    const order = centre().ledger.order(paid.payOrderId)!;
    expect(centre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: order.pay_ord_id })]);
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    expect(centre().requests.filter((r) => r.op === 'refund_Order')).toHaveLength(1);
    expect(
      his()
        .books()
        .bookings.filter((b) => b.orderNo === orderNo),
    ).toEqual([expect.objectContaining({ state: 'cancelled' })]);
    const view = await rig.call({ method: 'GET', path: `/v1/outpatient/payments/${paid.paymentId}` });
    expect(view).toMatchObject({ body: { state: 'refunded' } });
  });

  it('a registration HIS refused to book is refunded by 6203 alone: nothing at HIS to approve or cancel', async () => {
    const orderNo = register();
    his().inject({ op: 'settle.confirm', fault: { kind: 'refuse', code: 'SYSTEM_BUSY_X', msg: '挂号系统维护中' }, times: 1 });
    const paid = await payOnline(orderNo, 'reg-pay-0007', false);
    const answer = await refund(orderNo, 'reg-ref-0007');
    expect(answer).toMatchObject({ status: 201, body: { state: 'refunded', registrationCancelled: false } });
    const order = centre().ledger.order(paid.payOrderId)!;
    expect(centre().ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: order.pay_ord_id })]);
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    expect(
      his()
        .books()
        .bookings.filter((b) => b.orderNo === orderNo),
    ).toEqual([]);
    expect(his().books().refunds).toEqual([]);
    expect(his().order(orderNo)!.state).toBe('unpaid');
  });

  it('a registration the doctor has seen is refused by HIS: no money moves, the booking stands', async () => {
    const orderNo = register();
    const paid = await payOnline(orderNo, 'reg-pay-0003');
    his().consult(orderNo);
    const answer = await refund(orderNo, 'reg-ref-0003');
    expect(answer).toMatchObject({
      status: 201,
      body: { state: 'refused', registrationCancelled: false, detail: expect.stringContaining('接诊') },
    });
    expect(centre().ledger.refunds()).toEqual([]);
    expect(centre().ledger.order(paid.payOrderId)!.ord_stas).toBe('4');
    expect(
      his()
        .books()
        .bookings.filter((b) => b.orderNo === orderNo),
    ).toEqual([expect.objectContaining({ state: 'settled' })]);
  });

  it('a registration paid at the window is refunded at the window; a clinic bill is no registration', async () => {
    const atWindow = register();
    const total = his().order(atWindow)!.total_fen;
    const booked = await rig.station.outpatient.his.selfPaySettlement({
      settleId: 'WINDOW0001',
      orderNo: atWindow,
      payments: [{ channel: 'cash', amountFen: fen(total) }],
    });
    expect(booked.kind).toBe('ok');
    expect(await refund(atWindow, 'reg-ref-0004')).toMatchObject({
      status: 409,
      body: { error: { code: 'CONFLICT', message: expect.stringContaining('收费窗口') } },
    });

    const clinicBill = rig.prescribe();
    await payOnline(clinicBill, 'reg-pay-0005');
    expect(await refund(clinicBill, 'reg-ref-0005')).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringContaining('不是挂号费') } },
    });
    expect(centre().ledger.refunds()).toEqual([]);
    expect(
      his()
        .books()
        .bookings.filter((b) => b.orderNo === atWindow),
    ).toEqual([expect.objectContaining({ state: 'settled' })]);
  });
});
