/** HIS's booking and what follows it, on their own. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Completion } from './completion';
import { InsuredSettlement } from './insured-settlement';
import { CASHIER, sagaKit, type SagaKit } from './testing/saga-kit';

let kit: SagaKit;
let completion: Completion;
let insured: InsuredSettlement;
const NOTHING_TO_PAY = { total: 5300, fund: 4000, acct: 1300, cash: 0 };

beforeEach(() => {
  kit = sagaKit();
  completion = new Completion(kit.ctx);
  insured = new InsuredSettlement(kit.ctx, (id) => completion.book(id));
  kit.centre.acceptsAll(NOTHING_TO_PAY);
});
afterEach(() => kit.close());

async function settled(): Promise<string> {
  const id = kit.addOrder(5300);
  await insured.preSettle(CASHIER, id);
  return id;
}

describe('completion', () => {
  it('HIS books the insured split under a settle id fixed per order', async () => {
    const id = await settled();
    let booked: unknown;
    const real = kit.his.confirmSettlement;
    kit.his.confirmSettlement = (c) => ((booked = c), real(c));
    await insured.settle(CASHIER, id);
    const order = kit.orders.get(id)!;
    expect(booked).toEqual({
      settleId: order.hisSettleId,
      orderNo: order.hisOrderNo,
      mdtrtId: 'MDTRT1',
      setlId: 'SETL1',
      medfeeFen: 5300,
      fundFen: 4000,
      acctFen: 1300,
      cashFen: 0,
      payments: [],
    });
    expect(order.hisSettleId).toBe(`S${id.replaceAll('-', '').slice(0, 24)}`);
    expect(order).toMatchObject({ state: 'completed', completedAt: kit.clock.now.toISOString() });
  });

  it("HIS refuses: the money stays booked at the centre and the order says so in HIS's words, for a person", async () => {
    const id = await settled();
    kit.his.bookingAnswers.push('refused');
    const view = await insured.settle(CASHIER, id);
    expect(view).toMatchObject({ state: 'insurance-settled', reason: 'his-refused', detail: 'HIS 拒绝结算确认：REFUSED HIS 拒绝' });
  });

  it("HIS's answer lost: the order is in doubt; the resolver finds the booking and the order is completed in that same transaction", async () => {
    const id = await settled();
    kit.his.bookingAnswers.push('lost');
    expect((await insured.settle(CASHIER, id)).state).toBe('in-doubt');
    kit.his.booked.push(kit.orders.get(id)!.hisSettleId!); // HIS did book it
    await kit.outbox.resolveNow();
    // No saga step ran (the kit's `finished` does nothing): the movement's own final transaction completed it.
    expect(kit.events).toEqual([expect.objectContaining({ kind: 'his.confirm', final: 'succeeded' })]);
    expect(kit.orders.get(id)).toMatchObject({ state: 'completed', reason: null });
  });

  it("afterwards HIS's details are fetched once, also when the sweep and the completion race", async () => {
    const id = await settled();
    let asked = 0;
    const real = kit.his.settlement;
    kit.his.settlement = (by) => ((asked += 1), real(by));
    await insured.settle(CASHIER, id); // its own follow-up starts in the background
    await Promise.all([completion.afterCompletion(id), completion.afterCompletion(id), completion.sweep()]);
    expect(asked).toBe(1); // the racing calls and the sweep join the one running (or find nothing owed)
    expect(kit.orders.get(id)!.hisSettlement).toMatchObject({ hisSettleNo: `H${kit.orders.get(id)!.hisSettleId}` });
    await completion.sweep();
    expect(asked).toBe(1); // nothing owed any more
  });
});
