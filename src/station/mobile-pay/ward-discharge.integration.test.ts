// An inpatient discharge paid on the phone, then booked at HIS, with real parts: the mobile-payment centre and the
// HIS simulators on 127.0.0.1, the station's SQLite file and outbox. The bill is HIS's own unsettled lines; HIS
// books the centre's order (setl_id = payOrdId) with the self-pay part as the wallet's payment, exactly once —
// also when the pay's answer or HIS's answer is lost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import { CHEN_JIANGUO, phoneDischargeBill, startPhoneDischarge, type PhoneDischargeWorld } from '../../../test/harness/phone-discharge';
import type { MobilePrepareInput } from '../../shared/mobile-pay';

const channel = mobilePayTestChannel();
const PATIENT = CHEN_JIANGUO;

let w: PhoneDischargeWorld;

beforeEach(async () => {
  // No station stays here: the bill is HIS's alone.
  w = await startPhoneDischarge(channel, 'mobile-ward', { stays: false, cancel: false });
});

afterEach(() => w.close());

/** Two days on the ward, the doctor's discharge order, and the bill as HIS holds it. */
async function dischargeBill(orderId: string): Promise<MobilePrepareInput> {
  const iptNo = w.his.control.ward.admit({ patientId: PATIENT.hisId, wardCode: 'W0301' });
  for (const day of ['2026-12-01', '2026-12-02']) {
    w.his.control.ward.charge({
      iptNo,
      day,
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
  }
  w.his.control.ward.orderDischarge(iptNo);
  return phoneDischargeBill({ orderId, iptNo, patient: PATIENT, insutype: '310', ward: w.ward, sim: w.sim });
}

function completed(orderId: string): Promise<void> {
  return new Promise((resolve) => {
    const look = () => (w.station.orders.get(orderId)?.state === 'completed' ? resolve() : setImmediate(look));
    look();
  });
}

describe('an inpatient discharge paid on the phone', () => {
  it('is booked at HIS after the pay: the centre order as the settlement, the self-pay part as the wallet payment', async () => {
    const bill = await dischargeBill('ZY1');
    await w.station.settlement.prepare(bill);
    const done = await w.station.settlement.pay({ orderId: 'ZY1' });
    expect(done).toMatchObject({ state: 'completed', inDoubt: false });
    const centre = w.sim.control.ledger.order(done.payOrdId!)!;
    const booked = w.his.control.ward.wardBooks().settlements;
    expect(booked).toEqual([
      expect.objectContaining({
        iptNo: bill.ward!.iptNo,
        kind: 'discharge',
        state: 'settled',
        setlId: centre.pay_ord_id,
        medfeeFen: centre.fee_sumamt,
        fundFen: centre.fund_pay,
        acctFen: centre.psn_acct_pay,
        cashFen: centre.own_pay_amt,
        deposits: [],
      }),
    ]);
    expect(w.station.orders.bookings('ZY1').map((b) => b.effect)).toEqual(['paid', 'his-booked']);
  });

  it('a discharge paid whose HIS booking never started (HIS unreachable, or a stop) is booked at the next start, once', async () => {
    const bill = await dischargeBill('ZY9');
    await w.station.settlement.prepare(bill);
    w.his.control.inject({ op: 'inpatient.get', fault: { kind: 'drop-request' }, times: 1 });
    expect(await w.station.settlement.pay({ orderId: 'ZY9' })).toMatchObject({ state: 'paid' });
    expect(w.his.control.ward.wardBooks().settlements).toEqual([]);
    expect(await w.station.settlement.resumeHisBookings()).toBe(1);
    expect(w.station.orders.get('ZY9')?.state).toBe('completed');
    expect(await w.station.settlement.resumeHisBookings()).toBe(0);
    expect(w.his.control.ward.wardBooks().settlements).toEqual([expect.objectContaining({ iptNo: bill.ward!.iptNo, state: 'settled' })]);
  });

  it('a lost 6202 settled by the resolver is then booked at HIS (the next step), once', async () => {
    const bill = await dischargeBill('ZY2');
    await w.station.settlement.prepare(bill);
    w.sim.control.inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    expect(await w.station.settlement.pay({ orderId: 'ZY2' })).toMatchObject({ state: 'paying', inDoubt: true });
    await completed('ZY2');
    expect(w.his.control.ward.wardBooks().settlements).toHaveLength(1);
    expect(w.sim.control.requests.filter((r) => r.op === 'pay_order')).toHaveLength(1);
    expect(w.station.orders.bookings('ZY2')).toEqual([
      { effect: 'paid', source: 'resolver' },
      { effect: 'his-booked', source: 'his' },
    ]);
  });

  it("a discharge the patient paid in the NHSA app (the station's 6202 refused) is booked at HIS after its callback", async () => {
    const bill = await dischargeBill('ZY4');
    const prepared = await w.station.settlement.prepare(bill);
    w.sim.control.inject({ op: 'pay_order', fault: { kind: 'refuse', code: '3009', msg: '请在手机上完成支付' }, times: 1 });
    expect(await w.station.settlement.pay({ orderId: 'ZY4' })).toMatchObject({ state: 'uploaded' });
    const row = w.sim.control.ledger.order(prepared.payOrdId!)!;
    const client = channel.client(w.sim.url);
    const phone = await client.pay({
      payAuthNo: bill.payAuthNo,
      payOrdId: row.pay_ord_id,
      payToken: row.pay_token,
      mdtrtId: row.mdtrt_id,
      chrgBchno: 'ZY4',
      acctUsedFlag: '1',
    });
    expect(phone.kind).toBe('ok');
    expect(await w.station.settlement.onNotify({ payOrdId: row.pay_ord_id, medOrgOrd: 'ZY4', ordStas: '4', callType: 'SETL' })).toEqual({
      code: 0,
      message: '成功',
    });
    expect(w.station.settlement.query({ orderId: 'ZY4' })).toMatchObject({ state: 'completed' });
    expect(w.his.control.ward.wardBooks().settlements).toEqual([expect.objectContaining({ setlId: row.pay_ord_id })]);
    expect(w.station.orders.bookings('ZY4')).toEqual([
      { effect: 'paid', source: 'callback' },
      { effect: 'his-booked', source: 'his' },
    ]);
  });

  it('a lost HIS answer is asked under the same settle id: one settlement at HIS', async () => {
    const bill = await dischargeBill('ZY3');
    await w.station.settlement.prepare(bill);
    w.his.control.inject({ op: 'inpatient.settle', fault: { kind: 'drop-response' }, times: 1 });
    expect(await w.station.settlement.pay({ orderId: 'ZY3' })).toMatchObject({ state: 'paid', inDoubt: true });
    await completed('ZY3');
    expect(w.his.control.ward.wardBooks().settlements).toEqual([
      expect.objectContaining({ settleId: w.station.orders.get('ZY3')!.his_settle_id }),
    ]);
  });
});
