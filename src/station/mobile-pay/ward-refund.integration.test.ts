// The phone's refund application of a discharge HIS has already booked, with real parts: the mobile-payment centre
// and HIS simulators on 127.0.0.1, the station's SQLite file and outbox. HIS's booking is cancelled first (the stay
// open at HIS again), then 6203 — each once, also when an answer is lost or the station stops between the two.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import {
  CHEN_JIANGUO,
  phoneDischargeBill,
  startPhoneDischarge,
  twoDayDischarge,
  type PhoneDischargeWorld,
} from '../../../test/harness/phone-discharge';

const channel = mobilePayTestChannel();
const PATIENT = CHEN_JIANGUO;
const WALLET_FEN = 1_000_000;

let w: PhoneDischargeWorld;

beforeEach(async () => {
  w = await startPhoneDischarge(channel, 'mobile-ward-refund');
});

afterEach(() => w.close());

const billOf = (orderId: string, iptNo: string) =>
  phoneDischargeBill({ orderId, iptNo, patient: PATIENT, insutype: '310', ward: w.ward, sim: w.sim, walletFen: WALLET_FEN });

/** Two days on the ward and the doctor's discharge order, paid on the phone and booked at HIS. */
async function bookedDischarge(orderId: string): Promise<{ iptNo: string; payOrdId: string }> {
  const iptNo = twoDayDischarge(w, PATIENT, { insutype: '310', region: '350200' }, [{ hospCode: 'Y0006', quantity: '2' }]);
  await w.station.settlement.prepare(await billOf(orderId, iptNo));
  const paid = await w.station.settlement.pay({ orderId });
  expect(paid).toMatchObject({ state: 'completed', inDoubt: false });
  return { iptNo, payOrdId: paid.payOrdId! };
}

function orderState(orderId: string, state: string): Promise<void> {
  return new Promise((resolve) => {
    const look = () =>
      w.station.orders.get(orderId)?.state === state && !w.station.outbox.isLocked(orderId) ? resolve() : setImmediate(look);
    look();
  });
}

const hisSettlements = () => w.his.control.ward.wardBooks().settlements;
const hisStayState = (iptNo: string) => w.his.control.ward.stays().find((s) => s.ipt_no === iptNo)?.state;

describe('the refund application of a discharge HIS has booked', () => {
  it("cancels HIS's booking, then 6203 refunds the fund, the account and the wallet; the stay is settled again on the phone", async () => {
    const { iptNo, payOrdId } = await bookedDischarge('ZR1');
    const refunded = await w.station.settlement.refund({ orderId: 'ZR1' });
    expect(refunded).toMatchObject({ state: 'refunded', inDoubt: false });
    expect(hisSettlements()).toEqual([expect.objectContaining({ setlId: payOrdId, state: 'cancelled' })]);
    expect(hisStayState(iptNo)).toBe('discharge-ordered');
    expect(w.station.stays.byIptNo(iptNo)).toMatchObject({ state: 'discharged', booking: null });
    expect(w.sim.control.ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: payOrdId })]);
    const order = w.sim.control.ledger.order(payOrdId)!;
    expect(w.sim.control.ledger.auth(order.pay_auth_no)!.wallet_fen).toBe(WALLET_FEN);
    expect(w.station.orders.bookings('ZR1').map((b) => b.effect)).toEqual(['paid', 'his-booked', 'refunded']);
    // Asked again: the same refund, nothing sent twice.
    expect(await w.station.settlement.refund({ orderId: 'ZR1' })).toMatchObject({ state: 'refunded' });
    expect(w.his.control.requests().filter((r) => r.service === 'inpatient.settle.cancel')).toHaveLength(1);
    expect(w.sim.control.ledger.refunds()).toHaveLength(1);

    // Open at HIS again: the same lines settled afresh on the phone under a new order, booked once more.
    await w.station.settlement.prepare(await billOf('ZR1B', iptNo));
    const again = await w.station.settlement.pay({ orderId: 'ZR1B' });
    expect(again).toMatchObject({ state: 'completed', medfeeFen: order.fee_sumamt });
    expect(hisSettlements().map((s) => s.state)).toEqual(['cancelled', 'settled']);
    expect(hisStayState(iptNo)).toBe('settled');
  });

  it('a lost HIS cancel answer is asked (inpatient.settle.get), then the 6203 follows: each once', async () => {
    await bookedDischarge('ZR2');
    w.his.control.inject({ op: 'inpatient.settle.cancel', fault: { kind: 'drop-response' }, times: 1 });
    expect(await w.station.settlement.refund({ orderId: 'ZR2' })).toMatchObject({ state: 'refunding', inDoubt: true });
    await orderState('ZR2', 'refunded');
    expect(w.his.control.requests().filter((r) => r.service === 'inpatient.settle.cancel')).toHaveLength(1);
    expect(hisSettlements().map((s) => s.state)).toEqual(['cancelled']);
    expect(w.sim.control.ledger.refunds()).toHaveLength(1);
  });

  it('a station stopped between HIS cancel and 6203 refunds at its next start (resumeRefunds), once', async () => {
    const { payOrdId } = await bookedDischarge('ZR3');
    // This station stops as the cancel is settled: its next step (the 6203) is never started.
    await w.restart(false);
    w.his.control.inject({ op: 'inpatient.settle.cancel', fault: { kind: 'drop-response' }, times: 1 });
    expect(await w.station.settlement.refund({ orderId: 'ZR3' })).toMatchObject({ state: 'refunding', inDoubt: true });
    await orderState('ZR3', 'refunding');
    expect(hisSettlements().map((s) => s.state)).toEqual(['cancelled']);
    expect(w.sim.control.ledger.refunds()).toEqual([]);

    await w.restart();
    expect(await w.station.settlement.resumeRefunds()).toBe(1);
    expect(w.station.settlement.query({ orderId: 'ZR3' })).toMatchObject({ state: 'refunded' });
    expect(await w.station.settlement.resumeRefunds()).toBe(0);
    expect(w.sim.control.ledger.refunds()).toEqual([expect.objectContaining({ pay_ord_id: payOrdId })]);
  });

  it('HIS answering that another cancel already undid the booking counts as done', async () => {
    await bookedDischarge('ZR4');
    const settleId = w.station.orders.get('ZR4')!.his_settle_id!;
    expect((await w.ward.cancelSettlement({ cancelId: 'BY-HAND-1', settleId, reason: '收费处撤销' })).kind).toBe('ok');
    expect(await w.station.settlement.refund({ orderId: 'ZR4' })).toMatchObject({ state: 'refunded' });
    expect(w.sim.control.ledger.refunds()).toHaveLength(1);
  });

  it('a stay whose surplus deposit was already refunded is refused (for the window), nothing cancelled or refunded', async () => {
    const { iptNo } = await bookedDischarge('ZR6');
    const stay = w.station.stays.byIptNo(iptNo)!;
    expect(stay.state).toBe('completed');
    const refund = {
      refundId: 'R1',
      depositNo: 'D1',
      channel: 'wechat' as const,
      outTradeNo: 'T1',
      depositFen: 50_000,
      amountFen: 50_000,
      outRefundNo: 'OR1',
      state: 'paid-back' as const,
      refundTradeNo: 'RT1',
      detail: '',
    };
    w.station.stays.update(stay.id, { surplus: { to: 'channels', amountFen: 50_000, refunds: [refund] } }, new Date());
    await expect(w.station.settlement.refund({ orderId: 'ZR6' })).rejects.toThrow('预交金余额已退还患者');
    expect(w.station.orders.get('ZR6')?.state).toBe('completed');
    expect(hisSettlements().map((s) => s.state)).toEqual(['settled']);
    expect(w.sim.control.ledger.refunds()).toEqual([]);
  });

  it('HIS refusing the cancel leaves the order booked and refunds nothing', async () => {
    await bookedDischarge('ZR5');
    w.his.control.inject({ op: 'inpatient.settle.cancel', fault: { kind: 'refuse', code: '4001', msg: '病区正在盘点' }, times: 1 });
    const refused = await w.station.settlement.refund({ orderId: 'ZR5' });
    expect(refused).toMatchObject({ state: 'completed', inDoubt: false, detail: expect.stringContaining('病区正在盘点') });
    expect(hisSettlements().map((s) => s.state)).toEqual(['settled']);
    expect(w.sim.control.ledger.refunds()).toEqual([]);
  });
});
