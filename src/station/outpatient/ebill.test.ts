/**
 * The fiscal e-bill of an outpatient order (AQ-15 / SX-02 / SX-03) through the real saga, outbox and SQLite file,
 * the platform scripted (ebill/testing): issued once HIS booked the settlement, one bill per settlement however its
 * answer is lost, refused without touching the order; a whole refund checks the bill first and red-flushes it once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HisSettlement } from '../../insurance/his';
import { StationError } from '../../shared/result';
import { issueRequest, REIMBURSED_REFUSAL, ScriptedEBillPort } from '../ebill';
import { stationIds } from '../ids';
import { Outbox } from '../outbox';
import { billableOrder } from './billable-order';
import { CashShare } from './cash-share';
import { Completion } from './completion';
import { OutpatientContext } from './context';
import { InsuredSettlement } from './insured-settlement';
import { Refunds } from './refund/refund';
import { RefundLinesRepo } from './refund/refund-lines';
import { partialRefundMovements } from './refund/partial-movements';
import { refundMovements } from './refund/refund-movements';
import { RefundsRepo } from './refund/refunds-repo';
import { CASHIER, ok, sagaKit, settlementAnswer, type SagaKit } from './testing/saga-kit';
import { Undo } from './undo';

const SPLIT = { total: 5300, fund: 3000, acct: 1300, cash: 1000 };
let kit: SagaKit;
let port: ScriptedEBillPort;
let ctx: OutpatientContext;
let refunds: Refunds;
let hisRefunds: string[];

/** The saga's parts over a context; with `ebill` the station issues bills through `port`. */
function parts(c: OutpatientContext) {
  const completion = new Completion(c);
  const undo = new Undo(c);
  const book = (id: string) => completion.book(id);
  const cash = new CashShare(c, { book, undo: (id) => undo.afterPaymentFailed(id), recover: async () => {} });
  return { completion, cash, insured: new InsuredSettlement(c, book) };
}

beforeEach(() => {
  kit = sagaKit();
  port = new ScriptedEBillPort();
  ctx = new OutpatientContext({ ...kit.ctx.d, ebill: { port, placeCode: 'WIN01' } });
  const repo = new RefundsRepo(kit.db);
  const lines = new RefundLinesRepo(kit.db);
  const now = () => kit.clock.now;
  const deps = { ...kit.ctx.d, ids: stationIds(now), messageClient: null, sendsMessages: false, qrPollEveryMs: 2_000, refunds: repo };
  for (const m of [...refundMovements(deps), ...partialRefundMovements({ ...deps, refundLines: lines })]) kit.outbox.register(m);
  refunds = new Refunds(ctx, repo, lines);
  kit.centre.acceptsAll(SPLIT);
  hisRefunds = [];
  kit.his.applyRefund = async (r) => {
    hisRefunds.push(`apply ${r.settleId}`);
    return { kind: 'ok', value: { refundId: r.refundId, settleId: r.settleId, state: 'approved', appliedAt: '', lines: r.lines ?? [] } };
  };
  kit.his.cancelSettlement = async (c) => {
    hisRefunds.push(`cancel ${c.settleId}`);
    return { kind: 'ok', value: { settleId: c.settleId, state: 'cancelled' } as HisSettlement };
  };
  kit.his.confirmPartialRefund = async (c) => {
    hisRefunds.push(`rebook ${c.settleId}`);
    return { kind: 'ok', value: { settleId: c.settleId, state: 'settled' } as HisSettlement };
  };
});
afterEach(async () => {
  await ctx.stop();
  await kit.close();
});

const scan = () => kit.scans.hold('scanbox-1', '134567890123456789', 'wechat-pay').scanId;

/** Two lines (a western drug and a service item), settled with a cash share paid by payment code: completed. */
async function completedOrder(c = ctx): Promise<string> {
  const id = kit.addOrder(5300, { lines: [3300, 2000] });
  const { insured, cash } = parts(c);
  await insured.preSettle(CASHIER, id);
  await insured.settle(CASHIER, id);
  expect((await cash.payByCode(CASHIER, id, scan())).state).toBe('completed');
  await c.idle(); // the follow-up (the bill, HIS's details) runs in the background
  return id;
}

const bills = () => kit.db.prepare('SELECT * FROM ebills').all() as Record<string, unknown>[];
const issues = () => port.calls.filter((c) => c.startsWith('issue '));

describe('issuing the bill after HIS booked the settlement', () => {
  it('a completed insured order gets exactly one bill: busNo the HIS settle id, channels and groups adding up in fen', async () => {
    const id = await completedOrder();
    const order = kit.orders.get(id)!;
    expect(port.calls).toEqual([`issue ${order.hisSettleId}`]);
    const { request } = port.bills.get(order.hisSettleId!)!;
    expect(request).toMatchObject({ busNo: order.hisSettleId, busType: '02', placeCode: 'WIN01', totalFen: 5300, payee: '张敏' });
    expect(request.payer).toEqual({ name: '陈建国', idCardNo: '350203198503120011', tel: '' });
    expect(request.payments).toEqual([
      { channel: 'YBTCJJ', amountFen: 3000 },
      { channel: 'YBK', amountFen: 1300 },
      { channel: 'WX', amountFen: 1000 },
    ]);
    expect(request.payments.reduce((s, p) => s + p.amountFen, 0)).toBe(request.totalFen);
    for (const g of request.groups)
      expect(request.items.filter((i) => i.groupCode === g.code).reduce((s, i) => s + i.amountFen, 0)).toBe(g.amountFen);
    expect(request.visit).toMatchObject({ visitNo: order.hisOrderNo, insuranceId: order.psnNo, settlementId: 'SETL1' });
    const bill = port.bills.get(order.hisSettleId!)!;
    expect(ctx.view(id).ebill).toEqual({
      state: 'issued',
      code: bill.billCode,
      no: bill.billNo,
      checkCode: bill.checkCode,
      url: bill.url,
      red: null,
    });
  });

  it("keeps the bill's numbers only: no name nor ID number in its row", async () => {
    await completedOrder();
    const row = JSON.stringify(bills());
    expect(bills()).toHaveLength(1);
    expect(row).not.toContain('陈建国');
    expect(row).not.toContain('350203198503120011');
  });

  it('a lost answer of a bill the platform issued is found by busNo: no second bill', async () => {
    port.script.issue.push('lost-after');
    const id = await completedOrder();
    expect(ctx.view(id).ebill?.state).toBe('issuing');
    await kit.outbox.resolveNow();
    const busNo = kit.orders.get(id)!.hisSettleId!;
    expect(port.calls).toEqual([`issue ${busNo}`, `byBusNo ${busNo}`]);
    expect(port.bills.size).toBe(1);
    expect(ctx.view(id).ebill).toMatchObject({ state: 'issued', no: port.bills.get(busNo)!.billNo });
  });

  it('a lost request the platform never got is sent again under the same busNo, once byBusNo finds none', async () => {
    port.script.issue.push('lost-before');
    const id = await completedOrder();
    await kit.outbox.resolveNow();
    const busNo = kit.orders.get(id)!.hisSettleId!;
    expect(port.calls).toEqual([`issue ${busNo}`, `byBusNo ${busNo}`, `issue ${busNo}`]);
    expect(port.bills.size).toBe(1);
    expect(ctx.view(id).ebill?.state).toBe('issued');
  });

  it('a refusal leaves the order completed and the bill refused; the sweep does not send it again', async () => {
    port.script.issue.push('refused');
    const id = await completedOrder();
    expect(ctx.view(id)).toMatchObject({ state: 'completed', ebill: { state: 'refused', no: '' } });
    await ctx.bills!.sweep(new Date(0));
    expect(issues()).toHaveLength(1);
  });

  it('a refused bill IT asked to issue again is sent by the sweep under the same busNo, as its own intent', async () => {
    port.script.issue.push('refused');
    const id = await completedOrder();
    const busNo = kit.orders.get(id)!.hisSettleId!;
    expect(ctx.bills!.repo.askReissue(id, kit.clock.now)?.busNo).toBe(busNo);
    await ctx.bills!.sweep(new Date(0));
    expect(issues()).toEqual([`issue ${busNo}`, `issue ${busNo}`]);
    expect(ctx.view(id).ebill?.state).toBe('issued');
    expect(
      kit.db.prepare(`SELECT external_id AS e, state FROM intents WHERE kind = 'ebill.issue' ORDER BY created_at, rowid`).all(),
    ).toEqual([
      { e: `EB${busNo}`, state: 'failed' },
      { e: `EB${busNo}-2`, state: 'succeeded' },
    ]);
    await ctx.bills!.sweep(new Date(0));
    expect(issues()).toHaveLength(2);
  });

  it('a stop between the intent and the call: after the restart the resolver asks by busNo, then issues — one bill', async () => {
    const id = await completedOrder(kit.ctx); // completed by a station that did not get to the bill
    const order = billableOrder(ctx, id)!;
    // What the killed process left: the bill's row and its intent, written together, nothing sent.
    kit.db.transaction(() => {
      ctx.bills!.repo.begin(id, order.busNo, order.totalFen, kit.clock.now);
      kit.intents.insert(
        { id: 'i-ebill', kind: 'ebill.issue', orderId: id, externalId: `EB${order.busNo}`, payload: issueRequest(order, 'WIN01') },
        kit.clock.now,
      );
    })();
    const restarted = new Outbox(kit.db, kit.intents, [], {
      now: () => kit.clock.now,
      policy: { backoffBaseMs: 0, backoffMaxMs: 0, settleTimeMs: 0 },
    });
    const after = new OutpatientContext({ ...kit.ctx.d, outbox: restarted, ebill: { port, placeCode: 'WIN01' } });
    restarted.start();
    await restarted.resolveNow();
    await restarted.stop();
    expect(port.calls).toEqual([`byBusNo ${order.busNo}`, `issue ${order.busNo}`]);
    expect(after.view(id).ebill?.state).toBe('issued');
    expect(kit.intents.get('i-ebill')?.state).toBe('succeeded');
  });

  it('the sweep issues the bill of a booked order that has none (a stop after HIS booked it)', async () => {
    const id = await completedOrder(kit.ctx);
    await ctx.bills!.sweep(new Date(0));
    expect(issues()).toEqual([`issue ${kit.orders.get(id)!.hisSettleId}`]);
  });

  it('with no e-bill platform (ebill null) nothing is issued and the view has no bill', async () => {
    const id = await completedOrder(kit.ctx);
    expect(bills()).toEqual([]);
    expect(kit.ctx.view(id).ebill).toBeUndefined();
  });
});

describe('a whole refund and the bill', () => {
  it("asks the bill's status first, red-flushes it once after the money is back", async () => {
    const id = await completedOrder();
    const bill = port.bills.get(kit.orders.get(id)!.hisSettleId!)!;
    const view = await refunds.refundOrder(CASHIER, id, '患者要求');
    expect(view.state).toBe('refunded');
    expect(port.calls.slice(1)).toEqual([`status ${bill.billCode}/${bill.billNo}`, `redFlush ${bill.billCode}/${bill.billNo}`]);
    expect(ctx.view(id).ebill).toMatchObject({
      state: 'red-flushed',
      no: bill.billNo,
      red: { no: bill.red!.billNo, code: bill.red!.billCode },
    });
    await ctx.bills!.sweep(new Date(0));
    expect(port.calls.filter((c) => c.startsWith('redFlush'))).toHaveLength(1);
  });

  it('the red bill names the operator who asked the refund, not the cashier who settled', async () => {
    const id = await completedOrder();
    const REFUNDER = { id: 'sf002', name: '李退费', role: 'cashier' } as const;
    kit.db
      .prepare(`INSERT INTO operators (id, name, role, password_hash, created_at) VALUES (?, ?, 'cashier', 'x', ?)`)
      .run(REFUNDER.id, REFUNDER.name, kit.clock.now.toISOString());
    await refunds.refundOrder(REFUNDER, id, '患者要求');
    expect(port.redFlushes).toEqual([expect.objectContaining({ operator: REFUNDER.name, reason: '全额退费' })]);
  });

  it("a stop between the refund and the red-flush: the sweep red-flushes the refunded order's bill", async () => {
    const id = await completedOrder();
    const repo = new RefundsRepo(kit.db);
    await new Refunds(kit.ctx, repo, new RefundLinesRepo(kit.db)).refundOrder(CASHIER, id, '患者要求'); // a station without the bill's step
    expect(ctx.view(id)).toMatchObject({ state: 'refunded', ebill: { state: 'issued' } });
    await ctx.bills!.sweep(new Date(kit.clock.now.getTime() - 24 * 3600_000));
    expect(port.calls.filter((c) => c.startsWith('redFlush'))).toHaveLength(1);
    expect(ctx.view(id).ebill?.state).toBe('red-flushed');
  });

  it('a lost red-flush answer is settled by the status (red-flushed): not sent twice', async () => {
    const id = await completedOrder();
    port.script.redFlush.push('lost-after');
    await refunds.refundOrder(CASHIER, id, '患者要求');
    expect(ctx.view(id).ebill?.state).toBe('issued');
    await kit.outbox.resolveNow();
    expect(port.calls.filter((c) => c.startsWith('redFlush'))).toHaveLength(1);
    expect(port.calls.at(-1)).toMatch(/^status /);
    expect(ctx.view(id).ebill?.state).toBe('red-flushed');
  });

  it('"already red-flushed" from the platform is done', async () => {
    const id = await completedOrder();
    const bill = port.bills.get(kit.orders.get(id)!.hisSettleId!)!;
    bill.red = { billCode: 'R', billNo: '1', checkCode: 'x', issuedAt: '', url: '' }; // someone red-flushed it at the platform
    await refunds.refundOrder(CASHIER, id, '患者要求');
    expect(ctx.view(id).ebill).toMatchObject({ state: 'red-flushed', red: { no: '' } });
  });

  it('a reimbursed bill refuses the refund: nothing is applied at HIS, reversed at the centre or paid back', async () => {
    const id = await completedOrder();
    port.bills.get(kit.orders.get(id)!.hisSettleId!)!.reimbursed = true;
    const moves = kit.centre.moves().length;
    const error = await refunds.refundOrder(CASHIER, id, '患者要求').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StationError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: REIMBURSED_REFUSAL });
    expect(hisRefunds).toEqual([]);
    expect(kit.centre.moves()).toHaveLength(moves);
    expect(kit.pay.calls.filter((c) => c.startsWith('refund'))).toEqual([]);
    expect(ctx.view(id)).toMatchObject({ state: 'completed', ebill: { state: 'issued' } });
  });

  it('a status the platform cannot give refuses the refund too (try again), with nothing moved', async () => {
    const id = await completedOrder();
    port.script.status.push('lost-before');
    await expect(refunds.refundOrder(CASHIER, id, '患者要求')).rejects.toMatchObject({ code: 'CENTRE_UNREACHABLE' });
    expect(hisRefunds).toEqual([]);
    expect(ctx.view(id).state).toBe('completed');
  });

  it("a refund by line red-flushes the bill and issues the rest's under the rebooking's settle id (全退重收)", async () => {
    const id = await completedOrder();
    const first = kit.orders.get(id)!.hisSettleId!;
    kit.centre.reanswer('2207', ok(settlementAnswer({ total: 3300, fund: 2000, acct: 800, cash: 500 }, 'SETL2')));
    const view = await refunds.refundOrder(CASHIER, id, '患者要求', [2]); // the 20.00 service item back
    const rest = kit.orders.get(id)!.hisSettleId!;
    expect(view.state).toBe('completed');
    expect(rest).not.toBe(first);
    const old = port.bills.get(first)!;
    expect(port.calls.slice(1)).toEqual([
      `status ${old.billCode}/${old.billNo}`,
      `redFlush ${old.billCode}/${old.billNo}`,
      `issue ${rest}`,
    ]);
    const { request } = port.bills.get(rest)!;
    expect(request).toMatchObject({ totalFen: 3300, visit: { settlementId: 'SETL2' } });
    expect(request.items.map((i) => i.amountFen)).toEqual([3300]);
    expect(request.payments).toEqual([
      { channel: 'YBTCJJ', amountFen: 2000 },
      { channel: 'YBK', amountFen: 800 },
      { channel: 'WX', amountFen: 500 }, // 10.00 paid, 5.00 given back
    ]);
    expect(kit.db.prepare('SELECT bus_no, state FROM ebills ORDER BY created_at, rowid').all()).toEqual([
      { bus_no: first, state: 'red-flushed' },
      { bus_no: rest, state: 'issued' },
    ]);
    expect(ctx.view(id).ebill).toMatchObject({ state: 'issued', no: port.bills.get(rest)!.billNo });
  });
});
