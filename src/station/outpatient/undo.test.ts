/** Undoing the insurance part on its own: the cashier's cancel, expiry, resuming after a lost answer. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Completion } from './completion';
import { InsuredSettlement } from './insured-settlement';
import { CASHIER, lost, ok, refused, sagaKit, type SagaKit } from './testing/saga-kit';
import { Undo } from './undo';
import { MOVEMENT_KINDS } from '../movements';

let kit: SagaKit;
let insured: InsuredSettlement;
let undo: Undo;

beforeEach(() => {
  kit = sagaKit();
  const completion = new Completion(kit.ctx);
  insured = new InsuredSettlement(kit.ctx, (id) => completion.book(id));
  undo = new Undo(kit.ctx);
  kit.centre.acceptsAll({ total: 5300, fund: 3000, acct: 1300, cash: 1000 });
});
afterEach(() => kit.close());

/** The centre calls that change something (the confirming 5201/5204 queries left out). */
const steps = () => kit.centre.infnos().filter((i) => !i.startsWith('5'));
const passWindow = () => (kit.clock.now = new Date(kit.clock.now.getTime() + 31 * 60_000));

describe('undo', () => {
  it("the cashier's cancel undoes 2208 → 2205 → 2202 once each; the order is open again, with the cashier's reason", async () => {
    const id = await kit.awaitingPayment();
    const view = await undo.cancelSettlement(CASHIER, id, '患者离开');
    expect(steps().slice(-3)).toEqual(['2208', '2205', '2202']);
    expect(view).toMatchObject({
      state: 'open',
      reason: 'settlement-cancelled',
      detail: '收费员撤销医保结算（患者离开）；医保结算、费用明细与挂号已撤销，可重新结算',
    });
    expect(await undo.sweepExpired()).toBe(0);
    expect(kit.centre.infnos().filter((i) => i === '2208')).toHaveLength(1);
  });

  it("the centre refuses the cashier's 2208: nothing undone, the order still waits for its cash share, the refusal shown", async () => {
    const id = await kit.awaitingPayment();
    const payBefore = kit.orders.get(id)!.payBefore;
    kit.centre.reanswer('2208', refused('该结算已对账，不能撤销'));
    await expect(undo.cancelSettlement(CASHIER, id)).rejects.toMatchObject({ code: 'CENTRE_REJECTED' });
    expect(kit.orders.get(id)).toMatchObject({
      state: 'awaiting-payment',
      payBefore,
      reason: { code: 'settlement-cancel-refused', note: null },
    });
    expect(kit.ctx.view(id).detail).toContain('医保中心拒绝撤销结算');
    expect(kit.centre.infnos()).not.toContain('2205');
  });

  it("a lost answer to the cashier's cancel, then refused on asking again: the order still waits for its cash share", async () => {
    const id = await kit.awaitingPayment();
    const payBefore = kit.orders.get(id)!.payBefore;
    kit.centre.reanswer('2208', lost(), refused('结算已撤销或不存在'));
    expect(await undo.cancelSettlement(CASHIER, id)).toMatchObject({ state: 'reversing', reason: 'settlement-cancelled' });
    expect(kit.orders.get(id)!.reason!.note).toBe('undo-unknown');
    await kit.outbox.resolveNow();
    expect(kit.orders.get(id)).toMatchObject({ state: 'awaiting-payment', payBefore, reason: { code: 'settlement-cancel-refused' } });
  });

  it('an order a 2208 alone left reversed (before the cancel undid everything) is finished by the sweep: 2205, 2202, open', async () => {
    const id = await kit.awaitingPayment();
    const order = kit.orders.get(id)!;
    // What the cashier's cancel used to do: 2208 as a movement of its own, the order then 'reversed'.
    const payload = {
      operator: CASHIER,
      insuredRegion: order.insuredRegion,
      psnNo: order.psnNo,
      setlId: order.setlId!,
      mdtrtId: order.mdtrtId!,
    };
    expect(
      await kit.outbox.run(MOVEMENT_KINDS.settlementCancel, { orderId: id, externalId: 'H35020000001202612049999999999', payload }),
    ).toMatchObject({
      state: 'succeeded',
    });
    expect(kit.orders.get(id)!.state).toBe('reversed');
    await undo.sweepExpired();
    expect(steps().slice(-3)).toEqual(['2208', '2205', '2202']);
    expect(kit.centre.infnos().filter((i) => i === '2208')).toHaveLength(1);
    expect(kit.orders.get(id)!.state).toBe('open');
  });

  it('past the top-up window: 2208 → 2205 → 2202, then expired; counted once', async () => {
    const id = await kit.awaitingPayment();
    passWindow();
    expect(await undo.sweepExpired()).toBe(1);
    expect(kit.centre.moves().slice(-3)).toEqual(['2208', '2205', '2202']);
    expect(kit.orders.get(id)).toMatchObject({ state: 'expired', payBefore: null });
    expect(kit.ctx.view(id).detail).toBe('补缴超时，医保结算与挂号已撤销');
    expect(await undo.sweepExpired()).toBe(0);
  });

  it('a lost 2205 stops the undo with a note; once resolved, the next sweep resumes after the steps already done', async () => {
    const id = await kit.awaitingPayment();
    kit.centre.reanswer('2205', lost(), ok(undefined));
    passWindow();
    expect(await undo.sweepExpired()).toBe(0);
    expect(kit.orders.get(id)).toMatchObject({ state: 'expiring', reason: { code: 'pay-window-passed', note: 'undo-unknown' } });
    expect(kit.ctx.view(id).detail).toBe('补缴超时，正在撤销医保结算和挂号（撤销结果未知，正在核实）');
    await kit.outbox.resolveNow(); // 2205 asked again under its msgid: done
    expect(kit.orders.get(id)!.reason!.note).toBeNull();
    expect(await undo.sweepExpired()).toBe(1);
    expect(kit.centre.infnos().filter((i) => i === '2208')).toHaveLength(1); // not cancelled twice
    expect(kit.centre.moves().slice(-1)).toEqual(['2202']);
    expect(kit.orders.get(id)!.state).toBe('expired');
  });

  it('a self-pay order past its window is simply open again; nothing goes to the centre', async () => {
    const id = kit.addOrder(5300);
    kit.orders.update(id, { settleMode: 'self-pay', state: 'awaiting-payment', payBefore: kit.clock.now.toISOString() }, kit.clock.now);
    passWindow();
    await undo.sweepExpired();
    expect(kit.orders.get(id)).toMatchObject({ state: 'open', settleMode: 'insurance', reason: { code: 'self-pay-window-passed' } });
    expect(kit.centre.calls).toEqual([]);
  });

  it('an order settled, undone and settled again undoes the second round in full', async () => {
    const id = await kit.awaitingPayment();
    kit.orders.update(id, { state: 'reversing', reason: { code: 'qr-closed', text: '', note: null, noteText: '' } }, kit.clock.now);
    expect(await undo.resume(id)).toBe(true);
    expect(kit.orders.get(id)!.state).toBe('open');
    await insured.preSettle(CASHIER, id);
    await insured.settle(CASHIER, id);
    passWindow();
    await undo.sweepExpired();
    expect(kit.centre.infnos().filter((i) => i === '2208')).toHaveLength(2);
    expect(kit.centre.infnos().filter((i) => i === '2202')).toHaveLength(2);
    expect(kit.orders.get(id)!.state).toBe('expired');
  });
});
