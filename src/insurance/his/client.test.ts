// HisClient against the simulated HIS over real HTTP on 127.0.0.1: every service, idempotent settlement by
// the station's settle id, money checks, and the error classes. Signatures on the wire are checked with a
// hand-written HMAC, not the client's signer.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHis, type HisSimulator } from '../../simulators/his';
import { fen } from '../../shared/money';
import { HisClient } from './client';
import type { HisOrder, InsuredSettleConfirm } from './types';

const APP = 'YBSTATION01';
const SECRET = 'his-secret-0123456789abcdef';
let clock = Date.parse('2026-11-22T01:40:00Z'); // 09:40 Beijing
let his: HisSimulator;

function client(opts: { fetch?: typeof fetch; secret?: string; timeoutMs?: number } = {}) {
  const sent: string[] = [];
  const inner = opts.fetch ?? fetch;
  let n = 0;
  const c = new HisClient(
    { baseUrl: his.url, appId: APP, appSecret: opts.secret ?? SECRET, timeoutMs: opts.timeoutMs ?? 2_000 },
    {
      now: () => new Date(clock),
      requestId: () => `REQ${++n}`,
      fetch: async (url, init) => {
        sent.push(String(init?.body));
        return inner(url, init);
      },
    },
  );
  return { client: c, sent };
}

beforeEach(async () => {
  clock = Date.parse('2026-11-22T01:40:00Z');
  his = await startHis({ apps: [{ appId: APP, secret: SECRET }], now: () => new Date(clock) });
});
afterEach(async () => {
  await his.close();
});

async function unsettled(patientId: string): Promise<HisOrder> {
  const outcome = await client().client.unsettledOrders(patientId);
  if (outcome.kind !== 'ok' || !outcome.value[0]) throw new Error(JSON.stringify(outcome));
  return outcome.value[0];
}

function insured(order: HisOrder, settleId = 'ST0001', cashFen?: number): InsuredSettleConfirm {
  const total = order.totalFen;
  const cash = cashFen ?? Math.floor(total / 4);
  const fund = Math.floor((total - cash) / 2);
  return {
    settleId,
    orderNo: order.orderNo,
    mdtrtId: 'MDTRT0001',
    setlId: 'SETL0001',
    medfeeFen: total,
    fundFen: fen(fund),
    acctFen: fen(total - cash - fund),
    cashFen: fen(cash),
    payments: cash > 0 ? [{ channel: 'wechat', outTradeNo: 'MZ0001', transactionId: '4200001', amountFen: fen(cash) }] : [],
  };
}

describe('the request on the wire', () => {
  it('is signed over its sorted fields with the app secret, business data as JSON text', async () => {
    const { client: c, sent } = client();
    await c.patient({ cardNo: 'HC3502000101' });
    const body = JSON.parse(sent[0]!) as Record<string, string>;
    expect(body).toMatchObject({
      app_id: APP,
      service: 'patient.get',
      request_id: 'REQ1',
      timestamp: '2026-11-22 09:40:00',
      biz_content: '{"card_no":"HC3502000101"}',
    });
    const base = Object.keys(body)
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${body[k]}`)
      .join('&');
    expect(body.sign).toBe(createHmac('sha256', SECRET).update(base).digest('base64'));
  });
});

describe('the durability barrier (group commit)', () => {
  it("a write leaves only after the station's barrier passes; a read does not wait for it", async () => {
    const order = await unsettled('P000101');
    const sent: string[] = [];
    let open = () => {};
    const barrier = new Promise<void>((resolve) => (open = resolve));
    const barriers: string[] = [];
    const c = new HisClient(
      { baseUrl: his.url, appId: APP, appSecret: SECRET },
      {
        now: () => new Date(clock),
        beforeWrite: () => (barriers.push('write'), barrier),
        fetch: (url, init) => (sent.push(JSON.parse(String(init?.body)).service), fetch(url, init)),
      },
    );
    const booking = c.confirmSettlement(insured(order));
    expect((await c.settlement({ orderNo: order.orderNo })).kind).toBe('rejected'); // a read went out meanwhile
    expect(sent).toEqual(['settle.get']);
    expect(his.control.settlements()).toHaveLength(0);
    open();
    expect((await booking).kind).toBe('ok');
    expect(sent).toEqual(['settle.get', 'settle.confirm']);
    expect(barriers).toEqual(['write']);
  });
});

describe('patients and orders', () => {
  it('finds a patient by card, ID number or id; the NHSA person number links the insured', async () => {
    const { client: c } = client();
    const byCard = await c.patient({ cardNo: 'HC3502000101' });
    expect(byCard).toEqual({
      kind: 'ok',
      value: {
        patientId: 'P000101',
        name: '陈建国',
        gender: '1',
        birthDate: '1968-04-12',
        cardNo: 'HC3502000101',
        idNo: '350203196804122036',
        psnNo: '35020000000000000101',
        phone: '13800000101',
      },
    });
    expect(await c.patient({ idNo: '350203196804122036' })).toEqual(byCard);
    const uninsured = await c.patient({ patientId: 'P900001' });
    if (uninsured.kind !== 'ok') throw new Error(JSON.stringify(uninsured));
    expect(uninsured.value.name).toBe('赵小满');
    expect(uninsured.value).not.toHaveProperty('psnNo');
    expect(await c.patient({ cardNo: 'HC00000000' })).toMatchObject({ kind: 'rejected', code: 'PATIENT_NOT_FOUND' });
  });

  it("lists a patient's unsettled prescriptions in fen, with national codes, adding up to the total", async () => {
    const order = await unsettled('P000101');
    expect(order).toMatchObject({ patientId: 'P000101', patientName: '陈建国', state: 'unpaid', expiresAt: '2026-11-23T01:40:00.000Z' });
    const lines = order.prescriptions.flatMap((rx) => rx.lines);
    expect(lines[0]).toMatchObject({
      hospCode: 'F0001',
      nationalCode: '001102000010000',
      quantity: '1',
      unitPriceFen: 1000,
      amountFen: 1000,
    });
    expect(lines.reduce((sum, l) => sum + l.amountFen, 0)).toBe(order.totalFen);
  });

  it('computes fractional quantities on integers, half up', async () => {
    const orderNo = his.control.prescribe({
      patientId: 'P000102',
      prescriptions: [
        {
          lines: [
            { hospCode: 'Y0004', quantity: '0.125' },
            { hospCode: 'Y0001', quantity: '1.5' },
          ],
        },
      ],
    });
    const outcome = await client().client.order(orderNo);
    if (outcome.kind !== 'ok') throw new Error('no order');
    expect(outcome.value.prescriptions[0]!.lines.map((l) => l.amountFen)).toEqual([293, 1875]); // 2340 × 0.125 = 292.5
    expect(outcome.value.totalFen).toBe(293 + 1875);
  });

  it('an unpaid order expires: its state, and the change feed, say so', async () => {
    const order = await unsettled('P000103');
    clock += 24 * 3_600_000;
    const { client: c } = client();
    expect(await c.order(order.orderNo)).toMatchObject({ kind: 'ok', value: { state: 'expired', changedAt: order.expiresAt } });
    expect(await c.unsettledOrders('P000103')).toEqual({ kind: 'ok', value: [] });
    const changes = await c.orderChanges(new Date(Date.parse(order.expiresAt) - 1000));
    expect(changes.kind === 'ok' && changes.value.orders.map((o) => [o.orderNo, o.state])).toContainEqual([order.orderNo, 'expired']);
    expect(await c.confirmSettlement(insured(order))).toMatchObject({ kind: 'rejected', code: 'ORDER_EXPIRED' });
  });
});

describe('settle confirm (HX-18) and details (HX-25)', () => {
  it('books the split and the payments once; a repeat answers the same booking', async () => {
    const order = await unsettled('P000101');
    const { client: c } = client();
    const first = await c.confirmSettlement(insured(order));
    expect(first).toMatchObject({
      kind: 'ok',
      value: { settleId: 'ST0001', orderNo: order.orderNo, type: 'insured', state: 'settled', medfeeFen: order.totalFen },
    });
    expect(await c.confirmSettlement(insured(order))).toEqual(first);
    expect(his.control.settlements()).toHaveLength(1);
    expect(his.control.order(order.orderNo)).toMatchObject({ state: 'paid', settle_id: 'ST0001' });
  });

  it('refuses the same settle id with other content, and a second settlement of a paid order', async () => {
    const order = await unsettled('P000101');
    const { client: c } = client();
    await c.confirmSettlement(insured(order));
    expect(await c.confirmSettlement({ ...insured(order), mdtrtId: 'OTHER' })).toMatchObject({
      kind: 'rejected',
      code: 'SETTLE_ID_CONFLICT',
    });
    expect(await c.confirmSettlement(insured(order, 'ST0002'))).toMatchObject({ kind: 'rejected', code: 'ORDER_ALREADY_SETTLED' });
  });

  it('refuses a total that is not the order total', async () => {
    const order = await unsettled('P000101');
    const wrong = insured(order);
    const confirm = { ...wrong, medfeeFen: fen(wrong.medfeeFen + 1), fundFen: fen(wrong.fundFen + 1) };
    expect(await client().client.confirmSettlement(confirm)).toMatchObject({ kind: 'rejected', code: 'AMOUNT_MISMATCH' });
  });

  it('will not send a split that does not add up, or payments that do not cover the cash part', async () => {
    const order = await unsettled('P000101');
    const { client: c, sent } = client();
    expect(() => c.confirmSettlement({ ...insured(order), fundFen: fen(insured(order).fundFen + 1) })).toThrow(RangeError);
    expect(() => c.confirmSettlement({ ...insured(order), payments: [] })).toThrow(RangeError);
    expect(sent).toEqual([]);
  });

  it('details name the invoice, the pick-up window and the fee lines', async () => {
    const orderNo = his.control.prescribe({
      patientId: 'P000201',
      prescriptions: [
        {
          lines: [
            { hospCode: 'F0001', quantity: '1' },
            { hospCode: 'Y0002', quantity: '2' },
          ],
        },
      ],
    });
    const order = await client().client.order(orderNo);
    if (order.kind !== 'ok') throw new Error('no order');
    const { client: c } = client();
    await c.confirmSettlement(insured(order.value, 'ST0100', 0));
    const details = await c.settlement({ settleId: 'ST0100' });
    expect(details).toMatchObject({
      kind: 'ok',
      value: {
        settlement: {
          invoiceNo: expect.stringMatching(/^FP20261122\d{8}$/),
          pickupWindow: expect.stringContaining('西药房'),
          cashFen: 0,
          payments: [],
        },
        order: { orderNo, state: 'paid', totalFen: 1000 + 3720 },
      },
    });
    expect(await c.settlement({ orderNo })).toEqual(details);
    expect(await c.settlement({ settleId: 'NOPE' })).toMatchObject({ kind: 'rejected', code: 'SETTLE_NOT_FOUND' });
  });

  it('self-pay settlement (HX-20) takes the whole order from the payments', async () => {
    const order = await unsettled('P900001');
    const { client: c } = client();
    const outcome = await c.selfPaySettlement({
      settleId: 'ST0200',
      orderNo: order.orderNo,
      payments: [
        { channel: 'alipay', outTradeNo: 'MZ0200', transactionId: 'A1', amountFen: fen(order.totalFen - 100) },
        { channel: 'cash', amountFen: fen(100) },
      ],
    });
    expect(outcome).toMatchObject({
      kind: 'ok',
      value: { type: 'selfpay', fundFen: 0, acctFen: 0, cashFen: order.totalFen, medfeeFen: order.totalFen },
    });
    expect(
      await c.selfPaySettlement({ settleId: 'ST0201', orderNo: order.orderNo, payments: [{ channel: 'cash', amountFen: fen(1) }] }),
    ).toMatchObject({
      kind: 'rejected',
      code: 'ORDER_ALREADY_SETTLED',
    });
  });

  it('self-pay payments short of the order are refused', async () => {
    const order = await unsettled('P900001');
    const outcome = await client().client.selfPaySettlement({
      settleId: 'ST0202',
      orderNo: order.orderNo,
      payments: [{ channel: 'cash', amountFen: fen(order.totalFen - 1) }],
    });
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'PAYMENT_MISMATCH' });
  });

  it('cancel makes the order refunded; a repeat answers the same, another cancel id is refused', async () => {
    const order = await unsettled('P000101');
    const { client: c } = client();
    await c.confirmSettlement(insured(order));
    clock += 60_000;
    const cancel = { cancelId: 'CX1', settleId: 'ST0001', reason: '自费部分支付失败，医保已冲正' };
    const first = await c.cancelSettlement(cancel);
    expect(first).toMatchObject({ kind: 'ok', value: { state: 'cancelled', cancelId: 'CX1', cancelledAt: '2026-11-22T01:41:00.000Z' } });
    expect(await c.cancelSettlement(cancel)).toEqual(first);
    expect(await c.cancelSettlement({ ...cancel, cancelId: 'CX2' })).toMatchObject({ kind: 'rejected', code: 'SETTLE_ALREADY_CANCELLED' });
    expect(his.control.order(order.orderNo)!.state).toBe('refunded');
  });

  it('a partial refund: the lines applied for, then the remaining lines booked under a new settle id (idempotent)', async () => {
    const order = await unsettled('P000101');
    const { client: c } = client();
    await c.confirmSettlement(insured(order));
    const lines = order.prescriptions.flatMap((rx) => rx.lines.map((l) => ({ rxNo: rx.rxNo, lineNo: l.lineNo, amountFen: l.amountFen })));
    expect(lines.length).toBeGreaterThan(1);
    const back = lines[lines.length - 1]!;
    const applied = await c.applyRefund({ refundId: 'RA1', settleId: 'ST0001', reason: '患者要求', lines: [back] });
    expect(applied).toMatchObject({ kind: 'ok', value: { state: 'approved', lines: [{ rxNo: back.rxNo, lineNo: back.lineNo }] } });
    const left = order.totalFen - back.amountFen;
    const confirm = { ...insured({ ...order, totalFen: fen(left) }, 'ST0002', 0), refundId: 'RA1', setlId: 'SETL0002' };
    const first = await c.confirmPartialRefund(confirm);
    expect(first).toMatchObject({ kind: 'ok', value: { settleId: 'ST0002', medfeeFen: left, state: 'settled' } });
    expect(await c.confirmPartialRefund(confirm)).toEqual(first);
    expect(his.control.order(order.orderNo)).toMatchObject({ state: 'paid', total_fen: left, settle_id: 'ST0002' });
  });
});

describe('error classes', () => {
  it.each([
    ['drop-request', 'network', false],
    ['drop-response', 'network', true],
    ['http-500', 'http-status', false],
    ['malformed-json', 'unparsable', true],
    ['bad-signature', 'bad-signature', true],
    ['system-error', 'his-busy', false],
  ] as const)('%s is unknown (%s); booked: %s — and repeating the settle id never books twice', async (kind, reason, booked) => {
    const order = await unsettled('P000101');
    const { client: c } = client();
    his.control.inject({ op: 'settle.confirm', fault: { kind }, times: 1 });
    expect(await c.confirmSettlement(insured(order))).toMatchObject({ kind: 'unknown', reason });
    expect(his.control.settlements()).toHaveLength(booked ? 1 : 0);
    expect(await c.confirmSettlement(insured(order))).toMatchObject({ kind: 'ok', value: { settleId: 'ST0001' } });
    expect(his.control.settlements()).toHaveLength(1);
  });

  it('a late answer is unknown (timeout)', async () => {
    his.control.inject({ op: 'order.get', fault: { kind: 'delay', ms: 500 }, times: 1 });
    expect(await client({ timeoutMs: 150 }).client.order('X')).toMatchObject({ kind: 'unknown', reason: 'timeout' });
  });

  it('a request altered on the way is refused (SIGN_ERROR) and books nothing', async () => {
    const order = await unsettled('P000101');
    const tamper: typeof fetch = (url, init) => fetch(url, { ...init, body: String(init?.body).replace('MDTRT0001', 'MDTRT9999') });
    expect(await client({ fetch: tamper }).client.confirmSettlement(insured(order))).toMatchObject({
      kind: 'rejected',
      code: 'SIGN_ERROR',
    });
    expect(his.control.settlements()).toEqual([]);
  });

  it('a station with the wrong secret cannot verify the answer: unknown', async () => {
    expect(await client({ secret: 'wrong-secret-0123456789abcd' }).client.order('X')).toMatchObject({
      kind: 'unknown',
      reason: 'bad-signature',
    });
  });

  it('a genuine answer to another request is a mismatch', async () => {
    let first = '';
    const replaying: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      first ||= await response.text();
      return new Response(first, { status: 200 });
    };
    const { client: c } = client({ fetch: replaying });
    expect(await c.order('A')).toMatchObject({ kind: 'rejected', code: 'ORDER_NOT_FOUND' });
    expect(await c.order('B')).toMatchObject({ kind: 'unknown', reason: 'mismatch' });
  });
});
