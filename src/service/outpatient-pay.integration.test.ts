/**
 * ZS-09's paying: a patient's pending outpatient bills and their lines from HIS, paid by NHSA mobile payment
 * through the settlement service on real HTTP (6201 med type 11 → 6202 → HIS books it), checked against the
 * mobile-payment centre's ledger and HIS's books: paid once, booked once, whatever the phone sends again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESIDENT, WALLET_FEN, startOutpatientRig, until, type OutpatientRig } from './testing/outpatient-rig';
import type { Answer } from './testing/signed-client';

interface PaymentBody {
  paymentId: string;
  state: string;
  hisBooked: boolean;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  payOrderId: string;
  resultUrl: string;
}

let rig: OutpatientRig;
const body = <T>(a: Answer) => a.body as T;
const centre = () => rig.station.training!.mobilePay.control;
const his = () => rig.station.training!.his.control;
const pay = (orderNo: string, key: string, payAuthNo = rig.authorise()) =>
  rig.call({ method: 'POST', path: `/v1/outpatient/bills/${orderNo}/payments`, body: { payAuthNo }, idempotencyKey: key });
const payment = async (id: string) => body<PaymentBody>(await rig.call({ method: 'GET', path: `/v1/outpatient/payments/${id}` }));
const bookingsOf = (orderNo: string) =>
  his()
    .books()
    .bookings.filter((b) => b.orderNo === orderNo);

beforeEach(async () => {
  rig = await startOutpatientRig();
});

afterEach(async () => {
  await rig.close();
});

describe('outpatient paying through the settlement service', () => {
  it('pending bills → details → pay: paid once at the centre (med type 11), booked at HIS with the shares and the wallet’s self-pay', async () => {
    const orderNo = rig.prescribe();
    const pending = await rig.call({ method: 'GET', path: `/v1/outpatient/patients/${RESIDENT.hisId}/pending-bills` });
    expect(pending.status).toBe(200);
    const bill = body<{ bills: { orderNo: string; totalFen: number; payment: unknown }[] }>(pending).bills.find(
      (b) => b.orderNo === orderNo,
    )!;
    expect(bill).toMatchObject({ totalFen: his().order(orderNo)!.total_fen, payment: null });
    const details = await rig.call({ method: 'GET', path: `/v1/outpatient/bills/${orderNo}` });
    expect(details).toMatchObject({ status: 200, body: { orderNo, state: 'unpaid', totalFen: bill.totalFen } });
    expect(body<{ lines: { amountFen: number }[] }>(details).lines.reduce((s, l) => s + l.amountFen, 0)).toBe(bill.totalFen);

    const paid = await pay(orderNo, 'pay-0001');
    expect(paid).toMatchObject({ status: 201, body: { state: 'paid', hisBooked: true, medfeeFen: bill.totalFen } });
    const p = body<PaymentBody>(paid);
    const order = centre().ledger.order(p.payOrderId)!;
    expect(order).toMatchObject({ fee_sumamt: bill.totalFen, ord_stas: '4', med_org_ord: p.paymentId });
    expect(p).toMatchObject({ fundFen: order.fund_pay, acctFen: order.psn_acct_pay, cashFen: order.own_pay_amt });
    expect(order.own_pay_amt).toBeGreaterThan(0);
    expect(centre().ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN - order.own_pay_amt);
    expect(bookingsOf(orderNo)).toEqual([
      expect.objectContaining({
        kind: 'insured',
        setlId: order.pay_ord_id,
        mdtrtId: order.mdtrt_id,
        medfeeFen: order.fee_sumamt,
        fundFen: order.fund_pay,
        acctFen: order.psn_acct_pay,
        cashFen: order.own_pay_amt,
        payments: [{ channel: 'wechat', outTradeNo: order.pay_ord_id, amountFen: order.own_pay_amt }],
        state: 'settled',
      }),
    ]);
    expect(his().order(orderNo)!.state).toBe('paid');
    const after = body<{ bills: { orderNo: string }[] }>(
      await rig.call({ method: 'GET', path: `/v1/outpatient/patients/${RESIDENT.hisId}/pending-bills` }),
    );
    expect(after.bills.map((b) => b.orderNo)).not.toContain(orderNo);
    expect(await payment(p.paymentId)).toMatchObject({
      state: 'paid',
      hisBooked: true,
      resultUrl: `/v1/outpatient/payments/${p.paymentId}`,
    });
  });

  it('paid again with the same key answers the same; with another key the same payment, never a second pay or booking', async () => {
    const orderNo = rig.prescribe();
    const payAuthNo = rig.authorise();
    const first = await pay(orderNo, 'pay-0002', payAuthNo);
    const again = await pay(orderNo, 'pay-0002', payAuthNo);
    const other = await pay(orderNo, 'pay-0003');
    expect(first).toMatchObject({ status: 201, body: { state: 'paid' } });
    expect(again.body).toEqual(first.body);
    expect(other).toMatchObject({ status: 201, body: { paymentId: body<PaymentBody>(first).paymentId, state: 'paid' } });
    expect(centre().ledger.orders()).toHaveLength(1);
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
    expect(bookingsOf(orderNo)).toHaveLength(1);
  });

  it('a bill HIS no longer holds as unpaid (expired) is refused, and nothing reaches the centre', async () => {
    const orderNo = rig.prescribe();
    his().expire(orderNo);
    expect(await pay(orderNo, 'pay-0004')).toMatchObject({
      status: 409,
      body: { error: { code: 'CONFLICT', message: expect.stringContaining('过期') } },
    });
    expect(centre().ledger.orders()).toEqual([]);
  });

  it('a patient the centre knows no insurance of is sent to the window, and nothing reaches the mobile-payment centre', async () => {
    const orderNo = his().prescribe({ patientId: 'P900001', prescriptions: [{ lines: [{ hospCode: 'F0002', quantity: '1' }] }] });
    expect(await pay(orderNo, 'pay-0010', 'AUTH000000000001')).toMatchObject({
      status: 409,
      body: { error: { code: 'CONFLICT', message: expect.stringContaining('收费窗口') } },
    });
    expect(centre().ledger.orders()).toEqual([]);
  });

  it('an authorisation the centre refuses: failed in its words, nothing booked; paid afterwards with a good one, once', async () => {
    const orderNo = rig.prescribe();
    const refused = await pay(orderNo, 'pay-0007', 'AUTH999999999999');
    expect(refused).toMatchObject({ status: 201, body: { state: 'failed', hisBooked: false, detail: expect.stringContaining('授权码') } });
    expect(centre().ledger.orders()).toEqual([]);
    expect(bookingsOf(orderNo)).toEqual([]);
    const paid = await pay(orderNo, 'pay-0008');
    expect(paid).toMatchObject({ status: 201, body: { state: 'paid', hisBooked: true } });
    expect(body<PaymentBody>(paid).paymentId).not.toBe(body<PaymentBody>(refused).paymentId);
    expect(centre().ledger.orders()).toHaveLength(1);
    expect(bookingsOf(orderNo)).toHaveLength(1);
  });

  it('a lost 6202 answer is settled by 6301 once: processing, then paid and booked once', async () => {
    const orderNo = rig.prescribe();
    centre().inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    centre().inject({ op: 'notify', fault: { kind: 'notify-lost' }, times: 1000 });
    const answer = await pay(orderNo, 'pay-0005');
    expect(answer).toMatchObject({ status: 201, body: { state: 'processing', hisBooked: false } });
    const id = body<PaymentBody>(answer).paymentId;
    await until(async () => (await payment(id)).hisBooked);
    expect(await payment(id)).toMatchObject({ state: 'paid', hisBooked: true });
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
    expect(centre().requests.filter((r) => r.op === 'query_order_info').length).toBeGreaterThanOrEqual(1);
    expect(centre().ledger.orders()).toEqual([expect.objectContaining({ ord_stas: '4' })]);
    expect(bookingsOf(orderNo)).toHaveLength(1);
    // Paid again meanwhile from another phone: the same payment, no second 6202.
    expect(await pay(orderNo, 'pay-0006')).toMatchObject({ status: 201, body: { paymentId: id, state: 'paid' } });
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
  });

  it('HIS’s booking answer lost: paid at once, then booked by the outbox asking HIS (settle.get), once', async () => {
    const orderNo = rig.prescribe();
    his().inject({ op: 'settle.confirm', fault: { kind: 'drop-response' }, times: 1 });
    const answer = await pay(orderNo, 'pay-0009');
    expect(answer).toMatchObject({ status: 201, body: { state: 'paid', hisBooked: false } });
    const id = body<PaymentBody>(answer).paymentId;
    await until(async () => (await payment(id)).hisBooked);
    expect(bookingsOf(orderNo)).toEqual([expect.objectContaining({ setlId: body<PaymentBody>(answer).payOrderId, state: 'settled' })]);
    expect(his().order(orderNo)!.state).toBe('paid');
    expect(centre().requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
  });
});
