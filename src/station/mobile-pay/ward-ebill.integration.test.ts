// AQ-15 / SX-02, a discharge paid on the patient's phone (医保移动支付), with real parts: the mobile-payment centre,
// HIS and the e-bill gateway simulators on 127.0.0.1, the station's SQLite file and outbox. HIS's booking of it gets
// one bill (busType 01, busNo = HIS's number of the booking) whose payments are the 6202's split — the fund, the
// account and the wallet's self-pay part on channel 医保移动支付 — adding up to the total in fen; the phone's refund
// (HIS's cancel, then 6203) red-flushes it once; a lost issue answer is looked up by busNo before anything is sent again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import { HUANG_ZHIQIANG, startPhoneDischarge, twoDayDischargeBill, type PhoneDischargeWorld } from '../../../test/harness/phone-discharge';
import { EBillClient, type EBillIssueRequest, type EBillPort, type EBillWriteOffRequest } from '../../insurance/ebill';
import { startEBillSimulator, type EBillSimulator } from '../../simulators/ebill';

const channel = mobilePayTestChannel();
/** Resident scheme, no personal account: the self-pay part is the wallet's. */
const PATIENT = HUANG_ZHIQIANG;
const SCHEME = { insutype: '390', region: '350200' };
const APP = { appId: 'YBSTATION', appKey: 'EBILL-KEY-0123456789' };

let gateway: EBillSimulator;
let w: PhoneDischargeWorld;
/** What the station asked of the gateway, as the real client sent it. */
let issued: EBillIssueRequest[];
let flushed: EBillWriteOffRequest[];

beforeEach(async () => {
  gateway = await startEBillSimulator({ apps: [APP], seed: 5 });
  const client = new EBillClient({ baseUrl: gateway.url, ...APP, timeoutMs: 1_000 });
  issued = [];
  flushed = [];
  const port: EBillPort = {
    issue: (r) => (issued.push(r), client.issue(r)),
    byBusNo: (busNo, busTime) => client.byBusNo(busNo, busTime),
    redFlush: (r) => (flushed.push(r), client.redFlush(r)),
    status: (code, no) => client.status(code, no),
    dayTotals: (place, day) => client.dayTotals(place, day),
  };
  w = await startPhoneDischarge(channel, 'mobile-ward-ebill', { ebill: { port, placeCode: 'ZY01' } });
});
afterEach(async () => {
  await w.station.bills!.quiet();
  await w.close();
  await gateway.close();
});

const calls = (service: string) => gateway.control.calls().filter((c) => c.service === service);
const billOf = (busNo: string) => gateway.control.bills().filter((b) => b.busNo === busNo);

/** Two days on the ward, paid on the phone and booked at HIS: the station's stay and the centre's order. */
async function phonePaidStay(orderId: string) {
  const bill = await twoDayDischargeBill(w, orderId, PATIENT, SCHEME);
  await w.station.settlement.prepare(bill);
  const paid = await w.station.settlement.pay({ orderId });
  expect(paid).toMatchObject({ state: 'completed', inDoubt: false });
  const stay = w.station.stays.byIptNo(bill.visitNo)!;
  expect(stay.state).toBe('completed');
  return { stay, busNo: stay.booking!.hisSettleNo, centre: w.sim.control.ledger.order(paid.payOrdId!)! };
}

describe('the e-bill of a discharge paid on the phone', () => {
  it('is issued once after HIS booked it: the 6202’s fund, account and wallet part (医保移动支付) add up to the total', async () => {
    const { stay, busNo, centre } = await phonePaidStay('ZE1');
    await w.station.bills!.quiet();
    expect(billOf(busNo)).toEqual([expect.objectContaining({ busType: '01', totalFen: centre.fee_sumamt, isScarlet: false })]);
    expect([centre.fund_pay > 0, centre.own_pay_amt > 0]).toEqual([true, true]);
    const request = issued[0]!;
    expect(request.payments).toEqual(
      [
        { channel: 'YBTCJJ', amountFen: centre.fund_pay },
        { channel: 'YBK', amountFen: centre.psn_acct_pay },
        { channel: 'YBYDZF', amountFen: centre.own_pay_amt },
      ].filter((p) => p.amountFen > 0),
    );
    expect(request.payments.reduce((t, p) => t + p.amountFen, 0)).toBe(centre.fee_sumamt);
    expect(request.items.reduce((t, i) => t + i.amountFen, 0)).toBe(centre.fee_sumamt);
    expect(request.split).toMatchObject({ fundFen: centre.fund_pay, accountFen: centre.psn_acct_pay, cashFen: centre.own_pay_amt });
    expect(request.visit).toMatchObject({ visitNo: stay.iptNo, settlementId: centre.pay_ord_id });
    expect(request.visit.stay).toMatchObject({ depositFen: 0, collectedFen: centre.own_pay_amt });
    expect(w.station.bills!.view(stay.id)).toMatchObject({ state: 'issued', no: billOf(busNo)[0]!.billNo });
    // The sweep finds nothing owed: never a second bill.
    await w.station.bills!.sweep(new Date(0));
    expect(calls('invEBillHospitalized')).toHaveLength(1);
  });

  it('a stop between HIS’s booking and the bill: the sweep issues it after the restart, once', async () => {
    const station = w.station;
    station.bills!.follow = () => {}; // the station stops right after HIS's booking: nothing follows it
    const { stay, busNo } = await phonePaidStay('ZE2');
    expect(station.bills!.view(stay.id)).toBeNull();
    const again = await w.restart();
    await again.bills!.sweep(new Date(Date.now() - 60_000));
    expect(again.bills!.view(stay.id)?.state).toBe('issued');
    await again.bills!.sweep(new Date(Date.now() - 60_000));
    expect(billOf(busNo)).toHaveLength(1);
    expect(calls('invEBillHospitalized')).toHaveLength(1);
  });

  it('the phone’s refund (HIS’s cancel, then 6203) red-flushes the bill once', async () => {
    const { stay, busNo } = await phonePaidStay('ZE3');
    await w.station.bills!.quiet();
    expect(await w.station.settlement.refund({ orderId: 'ZE3' })).toMatchObject({ state: 'refunded', inDoubt: false });
    await w.station.bills!.quiet();
    expect(w.station.stays.get(stay.id)).toMatchObject({ state: 'discharged', booking: null });
    expect(billOf(busNo)).toEqual([expect.objectContaining({ isScarlet: true })]);
    expect(flushed).toEqual([expect.objectContaining({ reason: '出院结算撤销' })]);
    expect(w.station.bills!.view(stay.id)).toMatchObject({ state: 'red-flushed', red: { no: billOf(busNo)[0]!.red!.billNo } });
    await w.station.bills!.sweep(new Date(0));
    expect(calls('writeOffEBill')).toHaveLength(1);
  });

  it('a lost issue answer is looked up by busNo, not sent again', async () => {
    gateway.control.fault('invEBillHospitalized', 'lose-answer');
    const { stay, busNo } = await phonePaidStay('ZE4');
    await w.station.bills!.quiet();
    expect(w.station.bills!.view(stay.id)?.state).toBe('issuing');
    await w.station.outbox.resolveNow();
    expect(w.station.bills!.view(stay.id)).toMatchObject({ state: 'issued', no: billOf(busNo)[0]!.billNo });
    expect(calls('getEBillByBusNo')).toHaveLength(1);
    expect(calls('invEBillHospitalized')).toHaveLength(1);
    expect(billOf(busNo)).toHaveLength(1);
  });
});
