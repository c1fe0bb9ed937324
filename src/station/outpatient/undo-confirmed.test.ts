/**
 * The undo steps and a lost registration counted only on what the centre's books show (issue 11, item 7): a
 * refusal or an empty "ok" of 2205 / 2202 / 2208 carries nothing the centre signs, so 5204 / 5201 decide. The
 * fake centre keeps books (testing/fake-centre.ts): `did` / `didNot` script an answer that belies what it did.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MOVEMENT_KINDS } from '../movements';
import { Completion } from './completion';
import { InsuredSettlement } from './insured-settlement';
import { CASHIER, did, didNot, lost, ok, refused, sagaKit, type SagaKit } from './testing/saga-kit';
import { Undo } from './undo';

let kit: SagaKit;
let insured: InsuredSettlement;
let undo: Undo;

function start(opts: Parameters<typeof sagaKit>[0] = {}): void {
  kit = sagaKit(opts);
  const completion = new Completion(kit.ctx);
  insured = new InsuredSettlement(kit.ctx, (id) => completion.book(id));
  undo = new Undo(kit.ctx);
  kit.centre.acceptsAll({ total: 5300, fund: 3000, acct: 1300, cash: 1000 });
}
afterEach(() => kit.close());

const passWindow = () => (kit.clock.now = new Date(kit.clock.now.getTime() + 31 * 60_000));
/** A kind's intents oldest first, their details opened (the outbox seals the centre's words at rest). */
const intentsOf = (kind: string) =>
  (kit.db.prepare(`SELECT id FROM intents WHERE kind = ? ORDER BY rowid`).all(kind) as { id: string }[]).map(({ id }) => {
    const r = kit.intents.get(id)!;
    return { state: r.state, detail: r.detail, msgid: r.externalId };
  });
const msgidsOf = (infno: string) => kit.centre.calls.filter((c) => c.infno === infno).map((c) => c.msgid);
const activeLines = () => kit.centre.feeLines.filter((l) => l.active);

describe('a refused or empty-ok 2205 / 2202 counts once 5204 / 5201 show it', () => {
  it('a 2205 refused although the centre cancelled the fee lines (5204: none active) is done; the undo goes on to 2202', async () => {
    start();
    const id = await kit.awaitingPayment();
    kit.centre.reanswer('2205', did(refused('费用明细不存在')));
    passWindow();
    expect(await undo.sweepExpired()).toBe(1);
    expect(kit.centre.infnos().slice(-4)).toEqual(['2205', '5204', '2202', '5201']);
    expect(intentsOf(MOVEMENT_KINDS.feesCancel)).toMatchObject([{ state: 'succeeded' }]);
    expect(kit.orders.get(id)!.state).toBe('expired');
    expect(kit.centre.visits.every((v) => v.cancelled)).toBe(true);
  });

  it('a 2205 refused while 5204 still lists active fee lines is the real refusal: the undo stops and says why', async () => {
    start();
    const id = await kit.awaitingPayment();
    kit.centre.reanswer('2205', refused('费用已结算，不能撤销'));
    passWindow();
    expect(await undo.sweepExpired()).toBe(0);
    expect(intentsOf(MOVEMENT_KINDS.feesCancel)).toMatchObject([{ state: 'failed', detail: expect.stringContaining('费用已结算') }]);
    expect(activeLines()).toHaveLength(1);
    expect(kit.orders.get(id)).toMatchObject({ state: 'expiring', reason: { note: 'undo-retrying' } });
    expect(msgidsOf('2202')).toEqual([]);
  });

  it('an empty "ok" to a 2202 the centre never saw (5201: the visit open) is unknown; the repeat under the same msgid cancels it', async () => {
    start();
    const id = await kit.awaitingPayment();
    kit.centre.reanswer('2202', didNot(ok(undefined)), ok(undefined));
    passWindow();
    expect(await undo.sweepExpired()).toBe(0);
    expect(kit.orders.get(id)).toMatchObject({ state: 'expiring', reason: { note: 'undo-unknown' } });
    expect(kit.centre.visits.some((v) => !v.cancelled)).toBe(true);

    await kit.outbox.resolveNow();
    expect(intentsOf(MOVEMENT_KINDS.registrationCancel)).toMatchObject([{ state: 'succeeded' }]);
    const [first, again] = msgidsOf('2202');
    expect(again).toBe(first); // never a second cancel under a new msgid
    expect(kit.centre.visits.every((v) => v.cancelled)).toBe(true);
    expect(await undo.sweepExpired()).toBe(1);
    expect(kit.orders.get(id)!.state).toBe('expired');
  });

  it('a 2205 whose confirming 5204 fails stays unknown until a later 5204 shows it done', async () => {
    start();
    const id = await kit.awaitingPayment();
    kit.centre.reanswer('2205', did(refused('费用明细不存在'))).reanswer('5204', lost());
    passWindow();
    expect(await undo.sweepExpired()).toBe(0);
    expect(intentsOf(MOVEMENT_KINDS.feesCancel)).toMatchObject([{ state: 'unknown', detail: expect.stringContaining('not confirmed') }]);
    kit.centre.reanswer('5204'); // the centre answers from its books again
    await kit.outbox.resolveNow();
    expect(intentsOf(MOVEMENT_KINDS.feesCancel)).toMatchObject([{ state: 'succeeded' }]);
    expect(await undo.sweepExpired()).toBe(1);
    expect(kit.orders.get(id)!.state).toBe('expired');
  });
});

describe('a refused 2208 is confirmed by 5204', () => {
  it("the cashier's 2208 refused although the centre cancelled the settlement (5204: no line settled) is done: the undo goes on to open", async () => {
    start();
    const id = await kit.awaitingPayment();
    const before = kit.centre.infnos().length;
    kit.centre.reanswer('2208', did(refused('结算已撤销或不存在')));
    const view = await undo.cancelSettlement(CASHIER, id);
    expect(kit.centre.infnos().slice(before)).toEqual(['2208', '5204', '2205', '5204', '2202', '5201']);
    expect(view).toMatchObject({ state: 'open', reason: 'settlement-cancelled' });
  });

  it('refused while 5204 shows the visit settled: the refusal stands and the order still waits for its cash share', async () => {
    start();
    const id = await kit.awaitingPayment();
    const payBefore = kit.orders.get(id)!.payBefore;
    kit.centre.reanswer('2208', refused('结算已对账，不能撤销'));
    await expect(undo.cancelSettlement(CASHIER, id)).rejects.toMatchObject({
      code: 'CENTRE_REJECTED',
      message: expect.stringContaining('已对账'),
    });
    expect(kit.orders.get(id)).toMatchObject({ state: 'awaiting-payment', payBefore });
    expect(activeLines().map((l) => l.setl_id)).toEqual(['SETL1']);
  });
});

describe('a lost 2201', () => {
  it('the centre registered it: 5201 finds the visit by the HIS order number and 2202 cancels it — no 2601', async () => {
    start();
    kit.centre.reanswer('2201', did(lost()));
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos().slice(-4)).toEqual(['2201', '5201', '2202', '5201']);
    const [registration] = intentsOf(MOVEMENT_KINDS.registration);
    expect(registration!.state).toBe('compensated');
    const comp = kit.db.prepare(`SELECT comp_external_id AS c FROM intents WHERE kind = ?`).get(MOVEMENT_KINDS.registration) as {
      c: string;
    };
    expect(msgidsOf('2202')).toEqual([comp.c]);
    expect(kit.centre.visits).toMatchObject([{ ipt_otp_no: kit.orders.get(id)!.hisOrderNo, cancelled: true }]);
    expect(kit.orders.get(id)).toMatchObject({ state: 'open', mdtrtId: null, reason: { code: 'step-reversed' } });
  });

  it("the undo's own 2202 answer lost after the centre cancelled: the next try finds the visit cancelled — compensated, no second 2202", async () => {
    start();
    kit.centre.reanswer('2201', did(lost())).reanswer('2202', did(lost()));
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos().slice(-4)).toEqual(['2201', '5201', '2202', '5201']);
    expect(intentsOf(MOVEMENT_KINDS.registration)).toMatchObject([{ state: 'compensated' }]);
    expect(kit.centre.visits).toMatchObject([{ cancelled: true }]);
    expect(kit.orders.get(id)).toMatchObject({ state: 'open', reason: { code: 'step-reversed' } });
  });

  it("a province that reverses 2201 by 2601 (nhsa.lostRegistration 'reverse-2601') gets the 2601", async () => {
    start({ lostRegistration: 'reverse-2601' });
    kit.centre.reversible = new Set([...kit.centre.reversible, '2201']);
    kit.centre.reanswer('2201', did(lost()));
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos().slice(-3)).toEqual(['2201', '2601', '5201']);
    expect(kit.centre.visits).toMatchObject([{ cancelled: true }]);
    expect(kit.orders.get(id)).toMatchObject({ state: 'open', reason: { code: 'step-reversed' } });
  });

  it('with \'reverse-2601\', a 2601 "done" the centre never saw is not believed while 5201 lists the visit open: the same 2601 again', async () => {
    start({ lostRegistration: 'reverse-2601' });
    kit.centre.reversible = new Set([...kit.centre.reversible, '2201']);
    kit.centre.reanswer('2201', did(lost())).reanswer('2601', didNot(ok(undefined)), ok(undefined));
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos().slice(-4)).toEqual(['2601', '5201', '2601', '5201']);
    expect(new Set(msgidsOf('2601')).size).toBe(1);
    expect(intentsOf(MOVEMENT_KINDS.registration)).toMatchObject([{ state: 'compensated' }]);
    expect(kit.centre.visits).toMatchObject([{ cancelled: true }]);
    expect(kit.orders.get(id)).toMatchObject({ state: 'open', reason: { code: 'step-reversed' } });
  });

  it('a 2601 the province does not allow is refused before anything is sent: the reversal goes to a person', async () => {
    // 'reverse-2601' set while the client's reversible list lacks 2201 (the national list).
    start({ lostRegistration: 'reverse-2601' });
    kit.centre.reanswer('2201', did(lost()));
    const id = kit.addOrder(5300);
    await expect(insured.preSettle(CASHIER, id)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    await kit.outbox.resolveNow();
    expect(kit.centre.infnos()).not.toContain('2601');
    expect(intentsOf(MOVEMENT_KINDS.registration)).toMatchObject([
      { state: 'escalated', detail: expect.stringContaining('交易2201不在本省可冲正（2601）交易之列，未发送冲正') },
    ]);
    expect(kit.orders.get(id)!.state).toBe('in-doubt');
  });
});

describe("the admin's quick reversal of a registration with no settlement (HX-37)", () => {
  it('a pre-settled order: 2205 → 2202, no 2208, the order open again and settled afresh', async () => {
    start();
    const id = kit.addOrder(5300);
    await insured.preSettle(CASHIER, id);
    expect(kit.orders.get(id)!.state).toBe('previewed');
    const before = kit.centre.infnos().length;
    const view = await undo.cancelSettlement(CASHIER, id, '患者放弃就诊');
    expect(
      kit.centre
        .infnos()
        .slice(before)
        .filter((n) => n.startsWith('22')),
    ).toEqual(['2205', '2202']);
    expect(view).toMatchObject({ state: 'open', reason: 'settlement-cancelled' });
    await insured.preSettle(CASHIER, id);
    expect(kit.orders.get(id)!.state).toBe('previewed');
  });
});
