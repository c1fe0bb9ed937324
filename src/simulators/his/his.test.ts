// The simulated HIS driven by a hand-made integration client (its own signing, written here), so that a
// mistake shared by the simulator and the station's client cannot hide.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lineAmountFen, PATIENTS } from './seed';
import { scenarioOf, TRAINING_SCENARIOS } from './scenario-orders';

const SEEDED_ORDERS = TRAINING_SCENARIOS.reduce((n, s) => n + s.round.length, 0);
import { startHis, type HisSimulator } from './server';

const SECRET = 'S'.repeat(24);
const now = Date.parse('2026-11-22T01:40:00Z');
let his: HisSimulator;

function request(service: string, biz: unknown, secret = SECRET): Record<string, string> {
  const fields: Record<string, string> = {
    app_id: 'APP1',
    service,
    request_id: 'R1',
    timestamp: '2026-11-22 09:40:00',
    version: '1.0',
    sign_type: 'HMAC-SHA256',
    biz_content: JSON.stringify(biz),
  };
  const base = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return { ...fields, sign: createHmac('sha256', secret).update(base).digest('base64') };
}

const yuanText = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

async function call(body: unknown): Promise<Record<string, string>> {
  const res = await fetch(`${his.url}/gateway`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, string>;
}

beforeEach(async () => {
  his = await startHis({ apps: [{ appId: 'APP1', secret: SECRET }], now: () => new Date(now) });
});
afterEach(async () => {
  await his.close();
});

describe('the HIS gateway', () => {
  it('answers signed, echoing the request id and service', async () => {
    const answer = await call(request('patient.get', { card_no: 'HC90000001' }));
    expect(answer).toMatchObject({ code: '0', request_id: 'R1', service: 'patient.get', sign_type: 'HMAC-SHA256' });
    const base = Object.keys(answer)
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${answer[k]}`)
      .join('&');
    expect(answer.sign).toBe(createHmac('sha256', SECRET).update(base).digest('base64'));
    expect(JSON.parse(answer.biz_content!)).toMatchObject({ patient: { name: '赵小满', psn_no: '' } });
  });

  it('refuses an unknown app unsigned, a bad signature signed, an unknown service and bad input', async () => {
    expect(await call({ ...request('patient.get', {}), app_id: 'NOBODY' })).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(await call({ ...request('patient.get', {}), app_id: 'NOBODY' })).not.toHaveProperty('sign');
    expect(await call(request('patient.get', { card_no: 'HC90000001' }, 'x'.repeat(24)))).toMatchObject({
      code: 'SIGN_ERROR',
      sign: expect.any(String),
    });
    expect(await call(request('order.delete', {}))).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    expect(await call(request('patient.get', { card_no: 'A', id_no: 'B' }))).toMatchObject({ code: 'PARAM_ERROR' });
    expect(his.control.requests().map((r) => r.verified)).toEqual([false, false, false, true, true]);
  });

  it("seeds one round of each patient's training scenario, the same every time", async () => {
    const orders = his.control.orders();
    expect(orders.map((o) => o.patient_id)).toEqual(PATIENTS.flatMap((p) => scenarioOf(p.patient_id)!.round.map(() => p.patient_id)));
    expect(orders.every((o) => o.state === 'unpaid')).toBe(true);
    await his.close();
    his = await startHis({ apps: [{ appId: 'APP1', secret: SECRET }], now: () => new Date(now) });
    expect(his.control.orders()).toEqual(orders);
  });

  it('refuses payments that do not cover the cash part', async () => {
    const order = his.control.orders()[0]!;
    const answer = await call(
      request('settle.confirm', {
        settle_id: 'S1',
        order_no: order.order_no,
        mdtrt_id: 'M',
        setl_id: 'T',
        medfee_sumamt: yuanText(order.total_fen),
        fund_pay_sumamt: '0.00',
        acct_pay: '0.00',
        psn_cash_pay: yuanText(order.total_fen),
        payments: [{ pay_channel: 'wechat', amount: '0.01' }],
      }),
    );
    expect(answer).toMatchObject({ code: 'PAYMENT_MISMATCH' });
    expect(his.control.settlements()).toEqual([]);
  });

  it('shows its books: each booking with its amounts in fen, cancelled ones marked; a refuse fault books nothing', async () => {
    const [a, b] = his.control.orders();
    const confirm = (settleId: string, orderNo: string, totalFen: number) =>
      request('settle.confirm', {
        settle_id: settleId,
        order_no: orderNo,
        mdtrt_id: 'M1',
        setl_id: 'T1',
        medfee_sumamt: yuanText(totalFen),
        fund_pay_sumamt: '0.00',
        acct_pay: yuanText(totalFen - 1),
        psn_cash_pay: '0.01',
        payments: [{ pay_channel: 'alipay', out_trade_no: 'P1', amount: '0.01' }],
      });
    his.control.inject({ op: 'settle.confirm', fault: { kind: 'refuse', code: 'ORDER_LOCKED', msg: '订单已锁定' }, times: 1 });
    expect(await call(confirm('S1', a!.order_no, a!.total_fen))).toMatchObject({ code: 'ORDER_LOCKED', msg: '订单已锁定' });
    expect(his.control.books()).toEqual({ bookings: [], refunds: [] });
    expect(await call(confirm('S1', a!.order_no, a!.total_fen))).toMatchObject({ code: '0' });
    expect(
      await call(
        request('settle.selfpay', {
          settle_id: 'Z2',
          order_no: b!.order_no,
          payments: [{ pay_channel: 'wechat', amount: yuanText(b!.total_fen) }],
        }),
      ),
    ).toMatchObject({ code: '0' });
    expect(await call(request('settle.cancel', { cancel_id: 'C1', settle_id: 'Z2' }))).toMatchObject({ code: '0' });
    expect(his.control.books().bookings).toEqual([
      {
        settleId: 'S1',
        orderNo: a!.order_no,
        kind: 'insured',
        medfeeFen: a!.total_fen,
        fundFen: 0,
        acctFen: a!.total_fen - 1,
        cashFen: 1,
        mdtrtId: 'M1',
        setlId: 'T1',
        payments: [{ channel: 'alipay', outTradeNo: 'P1', amountFen: 1 }],
        state: 'settled',
      },
      expect.objectContaining({ settleId: 'Z2', orderNo: b!.order_no, kind: 'selfpay', cashFen: b!.total_fen, state: 'cancelled' }),
    ]);
  });

  it('approves a refund application once per id, refuses one whose drugs were dispensed, and lets one be withdrawn', async () => {
    const [a, b] = his.control.orders();
    const selfPay = (settleId: string, orderNo: string, totalFen: number) =>
      call(
        request('settle.selfpay', {
          settle_id: settleId,
          order_no: orderNo,
          payments: [{ pay_channel: 'wechat', amount: yuanText(totalFen) }],
        }),
      );
    expect(await selfPay('Z1', a!.order_no, a!.total_fen)).toMatchObject({ code: '0' });
    expect(await selfPay('Z2', b!.order_no, b!.total_fen)).toMatchObject({ code: '0' });
    const apply = (refundId: string, settleId: string) =>
      call(request('refund.apply', { refund_id: refundId, settle_id: settleId, reason: '患者要求' }));

    const first = await apply('RF1', 'Z1');
    expect(JSON.parse(first.biz_content!)).toMatchObject({ refund: { refund_id: 'RF1', settle_id: 'Z1', state: 'approved' } });
    expect((await apply('RF1', 'Z1')).biz_content).toBe(first.biz_content);
    expect(await apply('RF2', 'Z1')).toMatchObject({ code: 'REFUND_IN_PROGRESS' });
    expect(await apply('RF1', 'Z2')).toMatchObject({ code: 'REFUND_ID_CONFLICT' });
    his.control.dispense(b!.order_no);
    expect(await apply('RF3', 'Z2')).toMatchObject({ code: 'DRUG_DISPENSED' });

    // The booking cancelled: the application is done and cannot be withdrawn; a second refund of it is refused.
    expect(await call(request('settle.cancel', { cancel_id: 'C1', settle_id: 'Z1' }))).toMatchObject({ code: '0' });
    expect(await call(request('refund.cancel', { refund_id: 'RF1' }))).toMatchObject({ code: 'REFUND_DONE' });
    expect(await apply('RF4', 'Z1')).toMatchObject({ code: 'SETTLE_ALREADY_CANCELLED' });
    expect(his.control.order(a!.order_no)).toMatchObject({ state: 'refunded' });

    // Withdrawn (the centre refused): the booking stands, a new application may follow.
    const c = his.control.prescribe({ patientId: 'P000101', prescriptions: [{ lines: [{ hospCode: 'F0002', quantity: '1' }] }] });
    expect(await selfPay('Z3', c, 2000)).toMatchObject({ code: '0' });
    expect(await apply('RF5', 'Z3')).toMatchObject({ code: '0' });
    expect(JSON.parse((await call(request('refund.cancel', { refund_id: 'RF5' }))).biz_content!)).toMatchObject({
      refund: { state: 'withdrawn' },
    });
    expect(await call(request('refund.cancel', { refund_id: 'RF9' }))).toMatchObject({ code: 'REFUND_NOT_FOUND' });
    expect(his.control.order(c)).toMatchObject({ state: 'paid' });
    expect(his.control.books().refunds).toEqual([
      { refundId: 'RF1', settleId: 'Z1', state: 'done', lines: 0 },
      { refundId: 'RF5', settleId: 'Z3', state: 'withdrawn', lines: 0 },
    ]);
  });

  it('registers (挂号) with the consultation fee, says so on the order, and refuses its refund (退号) once the doctor has seen the patient', async () => {
    const orderNo = his.control.register({ patientId: 'P000101', deptCode: '0301' });
    const order = JSON.parse((await call(request('order.get', { order_no: orderNo }))).biz_content!) as {
      order: { total_amount: string; registration?: { consulted: boolean }; prescriptions: { lines: { hosp_code: string }[] }[] };
    };
    expect(order.order).toMatchObject({ total_amount: '10.00', registration: { consulted: false } });
    expect(order.order.prescriptions.flatMap((rx) => rx.lines.map((l) => l.hosp_code))).toEqual(['F0001']);
    const clinic = his.control.prescribe({ patientId: 'P000101', prescriptions: [{ lines: [{ hospCode: 'F0002', quantity: '1' }] }] });
    const plain = JSON.parse((await call(request('order.get', { order_no: clinic }))).biz_content!) as { order: object };
    expect(plain.order).not.toHaveProperty('registration');

    const pay = (settleId: string) =>
      call(request('settle.selfpay', { settle_id: settleId, order_no: orderNo, payments: [{ pay_channel: 'cash', amount: '10.00' }] }));
    expect(await pay('REG1')).toMatchObject({ code: '0' });
    his.control.consult(orderNo);
    expect(await call(request('refund.apply', { refund_id: 'RR1', settle_id: 'REG1', reason: '不看了' }))).toMatchObject({
      code: 'REGISTRATION_CONSULTED',
    });
    expect(() => his.control.consult(clinic)).toThrow('not a registration');
  });

  it('refunds by line (部分退费): dispensed lines refused, the rest booked anew with what the payments keep', async () => {
    const orderNo = his.control.prescribe({
      patientId: 'P000101',
      prescriptions: [
        {
          lines: [
            { hospCode: 'Y0001', quantity: '1' },
            { hospCode: 'F0001', quantity: '1' },
            { hospCode: 'F0002', quantity: '1' },
          ],
        },
      ],
    });
    const order = his.control.order(orderNo)!;
    const body = JSON.parse((await call(request('order.get', { order_no: orderNo }))).biz_content!) as {
      order: { prescriptions: { rx_no: string; lines: { line_no: number; amount: string }[] }[] };
    };
    const rx = body.order.prescriptions[0]!.rx_no;
    const [drug, visit, blood] = [1, 2, 3].map((line_no) => ({ rx_no: rx, line_no }));
    const pay = (fen: number) => [{ pay_channel: 'wechat', out_trade_no: 'P1', amount: yuanText(fen) }];
    expect(await call(request('settle.selfpay', { settle_id: 'Z1', order_no: orderNo, payments: pay(order.total_fen) }))).toMatchObject({
      code: '0',
    });
    const apply = (refundId: string, lines: unknown[]) =>
      call(request('refund.apply', { refund_id: refundId, settle_id: 'Z1', reason: '患者要求', lines }));

    his.control.dispense(orderNo, [drug!]);
    const refused = await apply('RF1', [drug, blood]);
    expect(refused).toMatchObject({ code: 'LINE_DISPENSED' });
    expect(refused.msg).toContain('已发药');
    expect(await apply('RF1', [visit, drug, blood])).toMatchObject({ code: 'LINE_DISPENSED' });
    expect(await apply('RF1', [{ rx_no: rx, line_no: 9 }])).toMatchObject({ code: 'LINE_NOT_FOUND' });
    // The whole bill cannot go back once a line left the pharmacy.
    expect(await apply('RF1', [])).toMatchObject({ code: 'DRUG_DISPENSED' });
    const approved = await apply('RF1', [blood]);
    expect(JSON.parse(approved.biz_content!)).toMatchObject({ refund: { state: 'approved', lines: [blood] } });
    // A partial application is confirmed by refund.confirm, never by a whole cancel.
    expect(await call(request('settle.cancel', { cancel_id: 'C1', settle_id: 'Z1' }))).toMatchObject({ code: 'REFUND_IS_PARTIAL' });

    const left = order.total_fen - 2000;
    const confirm = (settleId: string, fen: number) =>
      call(
        request('refund.confirm', {
          refund_id: 'RF1',
          settle_id: settleId,
          medfee_sumamt: yuanText(fen),
          fund_pay_sumamt: '0',
          acct_pay: '0',
          psn_cash_pay: yuanText(fen),
          payments: pay(fen),
        }),
      );
    expect(await confirm('Z2', order.total_fen)).toMatchObject({ code: 'AMOUNT_MISMATCH' });
    const done = await confirm('Z2', left);
    expect(done).toMatchObject({ code: '0' });
    expect((await confirm('Z2', left)).biz_content).toBe(done.biz_content);
    expect(await confirm('Z3', left)).toMatchObject({ code: 'SETTLE_ID_CONFLICT' });

    expect(his.control.order(orderNo)).toMatchObject({ state: 'paid', total_fen: left, settle_id: 'Z2' });
    const lines = (JSON.parse((await call(request('order.get', { order_no: orderNo }))).biz_content!) as typeof body).order
      .prescriptions[0]!.lines;
    expect(lines.map((l) => l.line_no)).toEqual([1, 2]);
    expect(his.control.books().bookings.filter((b) => b.orderNo === orderNo)).toEqual([
      expect.objectContaining({ settleId: 'Z1', cashFen: order.total_fen, state: 'cancelled' }),
      expect.objectContaining({
        settleId: 'Z2',
        medfeeFen: left,
        cashFen: left,
        payments: [{ channel: 'wechat', outTradeNo: 'P1', amountFen: left }],
        state: 'settled',
      }),
    ]);
    expect(his.control.books().refunds).toEqual([{ refundId: 'RF1', settleId: 'Z1', state: 'done', lines: 1 }]);
  });

  it('rounds line amounts half up on integers', () => {
    expect(lineAmountFen(2340, '0.125')).toBe(293);
    expect(lineAmountFen(1250, '0.333')).toBe(416);
    expect(lineAmountFen(980, '3')).toBe(2940);
    expect(() => lineAmountFen(100, '1e3')).toThrow(RangeError);
  });

  it('keeps its ledger in a file across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hissim-'));
    try {
      await his.close();
      const opts = { apps: [{ appId: 'APP1', secret: SECRET }], dbPath: path.join(dir, 'his.sqlite'), now: () => new Date(now) };
      his = await startHis(opts);
      const orderNo = his.control.prescribe({ patientId: 'P000101', prescriptions: [{ lines: [{ hospCode: 'F0002', quantity: '1' }] }] });
      await his.close();
      his = await startHis(opts);
      expect(his.control.order(orderNo)).toMatchObject({ total_fen: 2000, state: 'unpaid' });
      expect(his.control.orders()).toHaveLength(SEEDED_ORDERS + 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
