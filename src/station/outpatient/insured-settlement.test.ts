/** The insurance part on its own: real SQLite, outbox and movements; the centre and HIS scripted (testing/saga-kit). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationError } from '../../shared/result';
import { Completion } from './completion';
import { InsuredSettlement } from './insured-settlement';
import { CASHIER, lost, ok, refused, sagaKit, type SagaKit } from './testing/saga-kit';

let kit: SagaKit;
let insured: InsuredSettlement;

beforeEach(() => {
  kit = sagaKit();
  const completion = new Completion(kit.ctx);
  insured = new InsuredSettlement(kit.ctx, (id) => completion.book(id));
});
afterEach(() => kit.close());

const SPLIT = { total: 5300, fund: 3000, acct: 1300, cash: 1000 };

describe('insured settlement', () => {
  it('pre-settles in order: 2001 → 2201 → 2204 → 2206; the visit, fee batch, charge levels and split are kept', async () => {
    kit.centre.acceptsAll(SPLIT);
    const id = kit.addOrder(5300);
    kit.centre.lastFeeLines = [kit.orders.get(id)!.lines[0]!.feedetlSn];
    const view = await insured.preSettle(CASHIER, id);
    expect(kit.centre.infnos()).toEqual(['2001', '2201', '2204', '2206']);
    expect(view).toMatchObject({
      state: 'previewed',
      reason: null,
      split: { totalFen: 5300, fundFen: 3000, accountFen: 1300, cashFen: 1000 },
    });
    const order = kit.orders.get(id)!;
    expect(order).toMatchObject({ mdtrtId: 'MDTRT1', chrgBchno: order.hisOrderNo });
    expect(order.lines[0]!.chargeLevel).toBe('01');
    // The msgid the 2201 went out under is the intent's.
    const reg = kit.db.prepare(`SELECT external_id AS e FROM intents WHERE kind = 'nhsa.2201'`).get() as { e: string };
    expect(kit.centre.calls[1]!.msgid).toBe(reg.e);
  });

  it('a second pre-settlement does not register or upload again', async () => {
    kit.centre.acceptsAll(SPLIT);
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    await insured.preSettle(CASHIER, id);
    expect(kit.centre.infnos()).toEqual(['2001', '2201', '2204', '2206', '2206']);
  });

  it('a suspended scheme is refused at 2001: nothing is registered', async () => {
    kit.centre.answer('2001', refused('参保人员暂停享受待遇'));
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({
      code: 'NO_BENEFITS',
      message: expect.stringMatching(/待遇检查未通过.*自费/),
    });
    expect(kit.centre.infnos()).toEqual(['2001']);
    expect(kit.orders.get(id)!.state).toBe('open');
  });

  it('a lost 2201 locks the order; the resolver finds no visit by 5201 (never 2601) and the order is open again with the reason', async () => {
    kit.centre.acceptsAll(SPLIT).reanswer('2201', lost());
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(kit.orders.get(id)).toMatchObject({ state: 'in-doubt', reason: { code: 'insurance-unknown' } });
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'ORDER_BUSY' });
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos().slice(-2)).toEqual(['2201', '5201']);
    // Written with the reversal's final state, not by a later step.
    expect(kit.orders.get(id)).toMatchObject({ state: 'open', mdtrtId: null, reason: { code: 'step-reversed' } });
  });

  it('settles (2207) into the cash share: the order waits for it within the top-up window', async () => {
    kit.centre.acceptsAll(SPLIT);
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    const view = await insured.settle(CASHIER, id);
    expect(view).toMatchObject({ state: 'awaiting-payment', setlId: 'SETL1', split: { cashFen: 1000 } });
    expect(new Date(view.payBefore!).getTime() - kit.clock.now.getTime()).toBe(30 * 60_000);
    expect(kit.his.booked).toEqual([]);
  });

  it('with nothing to pay, HIS books it and the order is completed', async () => {
    kit.centre.acceptsAll({ total: 5300, fund: 4000, acct: 1300, cash: 0 });
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    const view = await insured.settle(CASHIER, id);
    expect(view.state).toBe('completed');
    expect(kit.his.booked).toEqual([kit.orders.get(id)!.hisSettleId]);
  });

  it('recovery leaves the settlement alone while it runs: settled and not locked, the order is still its step', async () => {
    // The sweep's recovery books an order it finds insurance-settled with nothing locked and no step running. Between
    // 2207's final transaction and the booking (2207's answer being made durable) it must see the step running, or it
    // books first and the cashier hears "busy" for a settlement that went through (CI, the disk-full test under load).
    kit.centre.acceptsAll({ total: 5300, fund: 4000, acct: 1300, cash: 0 });
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    const seen: { state: string | undefined; locked: boolean; stepping: boolean }[] = [];
    const run = kit.outbox.run.bind(kit.outbox);
    kit.outbox.run = async <P, O>(kind: string, args: Parameters<typeof run<P, O>>[1]) => {
      const r = await run<P, O>(kind, args);
      seen.push({ state: kit.orders.get(id)?.state, locked: kit.outbox.isLocked(id), stepping: kit.ctx.stepping.has(id) });
      return r;
    };
    expect(await insured.settle(CASHIER, id)).toMatchObject({ state: 'completed' });
    expect(seen[0]).toEqual({ state: 'insurance-settled', locked: false, stepping: true });
    expect(kit.ctx.stepping.has(id)).toBe(false);
  });

  it('a refused 2207 leaves the order pre-settled; a lost one is reversed and the order may be settled again', async () => {
    kit.centre.acceptsAll(SPLIT).reanswer('2207', refused('余额不足'), lost());
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    await expect(insured.settle(CASHIER, id)).rejects.toBeInstanceOf(StationError);
    expect(kit.orders.get(id)!.state).toBe('previewed');
    await expect(insured.settle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(kit.orders.get(id)!.state).toBe('in-doubt');
    await kit.outbox.resolveNow();
    // The 2601's answer is confirmed by the visit's fee lines (5204) before the order is reopened.
    expect(kit.centre.infnos().slice(-2)).toEqual(['2601', '5204']);
    expect(kit.orders.get(id)).toMatchObject({ state: 'previewed', setlId: null, reason: { code: 'settlement-reversed' } });
  });

  it('a refused 2207 is confirmed by 5204 first; a refusal while the centre holds the visit settled is in doubt, then reversed', async () => {
    kit.centre
      .acceptsAll(SPLIT)
      .reanswer('2207', refused('余额不足'))
      .reanswer('5204', ok([settledLine('SETL9')]), ok([]));
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    await expect(insured.settle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(kit.orders.get(id)!.state).toBe('in-doubt');
    expect(kit.centre.infnos().slice(-2)).toEqual(['2207', '5204']);
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos().slice(-2)).toEqual(['2601', '5204']);
    expect(kit.orders.get(id)).toMatchObject({ state: 'previewed', reason: { code: 'settlement-reversed' } });
  });

  it('a 2601 that claims it reversed is not believed while 5204 still shows the settlement: it is asked again', async () => {
    kit.centre
      .acceptsAll(SPLIT)
      .reanswer('2207', lost())
      .reanswer('5204', ok([settledLine('SETL1')]), ok([]));
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    await expect(insured.settle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await kit.outbox.resolveNow();
    // The first "reversed" met a settled visit and stayed unknown; the same 2601 again, then confirmed.
    expect(kit.centre.infnos().slice(-4)).toEqual(['2601', '5204', '2601', '5204']);
    const reversals = kit.centre.calls.filter((c) => c.infno === '2601').map((c) => c.msgid);
    expect(new Set(reversals).size).toBe(1);
    expect(kit.orders.get(id)).toMatchObject({ state: 'previewed', reason: { code: 'settlement-reversed' } });
  });
});

/** A fee line of the visit as 5204 returns it, bound to a settlement. */
function settledLine(setlId: string) {
  return { mdtrt_id: 'MDTRT1', setl_id: setlId, feedetl_sn: 'MZ0001-1', med_list_codg: 'X', det_item_fee_sumamt: 5300 };
}
