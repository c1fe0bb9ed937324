// A discharge paid on the phone and refunded, as the hospital ledger hears of it, with real parts: the
// mobile-payment centre and HIS simulators on 127.0.0.1, the station's SQLite file, its outbox and the ledger's
// onFinal recorder. Each money step is an event with the centre's amounts: 6202 the insurance settlement (clearing
// type 21, the stay's region) and the wallet's self-pay part (channel mobile), HIS's booking, HIS's cancel, and
// 6203 both back; the day's 3201 totals count the settlement and its refund like any other.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mobilePayTestChannel } from '../../../test/harness/mobile-pay-channel';
import { HUANG_ZHIQIANG, startPhoneLedgerWorld, twoDayDischargeBill, type PhoneLedgerWorld } from '../../../test/harness/phone-discharge';
import type { MobilePayCentre } from '../../simulators/mobile-pay';
import { SELF_PAY_SUFFIX, type LedgerEvent } from '../hospital-ledger';
import { settlementEntries, totalsByGroup } from '../reconciliation';

const channel = mobilePayTestChannel();
const PATIENT = HUANG_ZHIQIANG;
const REGION = '350200';

let w: PhoneLedgerWorld;
beforeEach(async () => {
  w = await startPhoneLedgerWorld(channel, 'mobile-ledger');
});
afterEach(() => w.close());

/** The phone's bill of a stay on the ward two days, discharged at the centre and at HIS, or of `iptNo` again. */
const dischargeBill = (orderId: string, iptNo?: string) =>
  twoDayDischargeBill(w, orderId, PATIENT, { insutype: '390', region: REGION }, iptNo);

const summary = (e: LedgerEvent) => [e.movement, e.kind, e.channel, e.amounts];

type CentreOrder = NonNullable<ReturnType<MobilePayCentre['control']['ledger']['order']>>;

/** The centre's shares of its order, as its settlement event's amounts. */
const splitOf = (centre: CentreOrder) => ({
  total: centre.fee_sumamt,
  fund: centre.fund_pay,
  pool: centre.fund_pay,
  account: centre.psn_acct_pay,
  cash: centre.own_pay_amt,
});

/** 3201's group (the stay's region, resident scheme, clearing type 21) holding the centre's one order. */
const groupOf = (centre: CentreOrder) => ({
  region: REGION,
  insutype: '390',
  clrType: '21',
  medfeeFen: centre.fee_sumamt,
  fundFen: centre.fund_pay,
  acctFen: centre.psn_acct_pay,
  cashFen: centre.own_pay_amt,
  count: 1,
});

describe('a discharge paid on the phone, in the hospital ledger', () => {
  it('publishes the settlement, the self-pay part and HIS’s booking, then the refund’s steps, with the centre’s amounts', async () => {
    const bill = await dischargeBill('ZL1');
    await w.station.settlement.prepare(bill);
    const paid = await w.station.settlement.pay({ orderId: 'ZL1' });
    expect(paid).toMatchObject({ state: 'completed', inDoubt: false });
    const centre = w.sim.control.ledger.order(paid.payOrdId!)!;
    // Both kinds of money moved: the fund's share and the wallet's.
    expect([centre.fund_pay > 0, centre.own_pay_amt > 0]).toEqual([true, true]);
    const split = splitOf(centre);
    const back = { total: 0 - split.total, fund: 0 - split.fund, pool: 0 - split.pool, account: 0 - split.account, cash: 0 - split.cash };

    expect(await w.station.settlement.refund({ orderId: 'ZL1' })).toMatchObject({ state: 'refunded', inDoubt: false });
    const all = w.events.ofOrder('ZL1');
    expect(all.map(summary)).toEqual([
      ['mobile.6202', 'settlement', 'nhsa', split],
      ['mobile.6202', 'payment', 'mobile', { cash: centre.own_pay_amt }],
      ['his.mobile-ward-settle', 'his-booking', 'his', { total: split.total, fund: split.fund, account: split.account, cash: split.cash }],
      ['his.mobile-ward-cancel', 'his-booking-reversed', 'his', {}],
      ['mobile.6203', 'refund-settlement-cancel', 'nhsa', back],
      ['mobile.6203', 'refund-payment', 'mobile', { cash: -centre.own_pay_amt }],
    ]);
    const [settled, selfPay, , , refunded, moneyBack] = all;
    // The stay is the order (its 住院号), clearing type 21; the centre's order is the settlement and the trade.
    expect(settled).toMatchObject({
      hisOrderNo: bill.ward!.iptNo,
      operatorId: null,
      insurance: { insutype: '390', region: REGION, clrType: '21', psnNo: PATIENT.psnNo },
      ids: { setlId: centre.pay_ord_id, mdtrtId: centre.mdtrt_id, outTradeNo: centre.pay_ord_id, transactionId: centre.hi_doc_sn },
    });
    expect(settled!.ids.msgid).toBeUndefined();
    expect(selfPay).toMatchObject({ eventId: `${settled!.eventId}${SELF_PAY_SUFFIX}`, ids: { outTradeNo: centre.pay_ord_id } });
    expect(selfPay!.insurance).toBeUndefined();
    const [refund] = w.sim.control.ledger.refunds();
    expect(refunded!.ids).toMatchObject({
      setlId: centre.pay_ord_id,
      outRefundNo: refund!.app_refd_sn,
      stationRefundId: refund!.app_refd_sn,
    });
    expect(moneyBack!.ids).toMatchObject({ outTradeNo: centre.pay_ord_id, stationRefundId: refund!.app_refd_sn });

    // 3201's group (region, insurance type, clearing type 21): the settlement and its refund net to nothing.
    const entries = settlementEntries(all);
    expect(entries.map((e) => [e.clrType, e.setlId, e.medfeeFen, e.refund])).toEqual([
      ['21', centre.pay_ord_id, centre.fee_sumamt, false],
      ['21', centre.pay_ord_id, -centre.fee_sumamt, true],
    ]);
    expect(totalsByGroup(entries)).toEqual([
      { region: REGION, insutype: '390', clrType: '21', medfeeFen: 0, fundFen: 0, acctFen: 0, cashFen: 0, count: 0 },
    ]);
  });

  it('a paid discharge counts in 3201 with the centre’s shares; an upload and a withdrawn one (6201, 6401) are no events', async () => {
    const withdrawn = await dischargeBill('ZL2');
    await w.station.settlement.prepare(withdrawn);
    expect(await w.station.settlement.cancel({ orderId: 'ZL2' })).toMatchObject({ state: 'cancelled' });
    expect(w.events.ofOrder('ZL2')).toEqual([]);

    await w.station.settlement.prepare(await dischargeBill('ZL3', withdrawn.ward!.iptNo));
    const paid = await w.station.settlement.pay({ orderId: 'ZL3' });
    const centre = w.sim.control.ledger.order(paid.payOrdId!)!;
    expect(totalsByGroup(settlementEntries(w.events.ofOrder('ZL3')))).toEqual([groupOf(centre)]);
  });

  it('a lost 6202 answer: the resolver’s 6301 settles it and publishes the same two events, once, as the resolver', async () => {
    await w.station.settlement.prepare(await dischargeBill('ZL4'));
    w.sim.control.inject({ op: 'pay_order', fault: { kind: 'drop-response' }, times: 1 });
    expect(await w.station.settlement.pay({ orderId: 'ZL4' })).toMatchObject({ state: 'paying', inDoubt: true });
    await completed('ZL4');
    const centre = w.sim.control.ledger.order(w.events.ofOrder('ZL4')[0]!.ids.setlId!)!;
    expect(w.events.ofOrder('ZL4').map((e) => [e.movement, e.kind, e.actor, e.amounts.total ?? e.amounts.cash])).toEqual([
      ['mobile.6202', 'settlement', 'resolver', centre.fee_sumamt],
      ['mobile.6202', 'payment', 'resolver', centre.own_pay_amt],
      ['his.mobile-ward-settle', 'his-booking', 'station', centre.fee_sumamt],
    ]);
  });

  it('a bill paid in the NHSA app after the station’s 6202 was refused: its callback’s 6301 publishes the same two events, once', async () => {
    const bill = await dischargeBill('ZL5');
    const prepared = await w.station.settlement.prepare(bill);
    w.sim.control.inject({ op: 'pay_order', fault: { kind: 'refuse', code: '3009', msg: '请在手机上完成支付' }, times: 1 });
    expect(await w.station.settlement.pay({ orderId: 'ZL5' })).toMatchObject({ state: 'uploaded' });
    const row = w.sim.control.ledger.order(prepared.payOrdId!)!;
    const phone = await channel.client(w.sim.url).pay({
      payAuthNo: bill.payAuthNo,
      payOrdId: row.pay_ord_id,
      payToken: row.pay_token,
      mdtrtId: row.mdtrt_id,
      chrgBchno: 'ZL5',
      acctUsedFlag: '1',
    });
    expect(phone.kind).toBe('ok');
    const note = { payOrdId: row.pay_ord_id, medOrgOrd: 'ZL5', ordStas: '4', callType: 'SETL' };
    // The centre calls back twice at once, and once more late: one 6301 movement, one settlement.
    const answers = await Promise.all([w.station.settlement.onNotify(note), w.station.settlement.onNotify(note)]);
    answers.push(await w.station.settlement.onNotify(note));
    expect(answers).toEqual([0, 1, 2].map(() => ({ code: 0, message: '成功' })));
    const centre = w.sim.control.ledger.order(row.pay_ord_id)!;
    const split = splitOf(centre);
    const all = w.events.ofOrder('ZL5');
    expect(all.map(summary)).toEqual([
      ['mobile.6301-paid', 'settlement', 'nhsa', split],
      ['mobile.6301-paid', 'payment', 'mobile', { cash: centre.own_pay_amt }],
      ['his.mobile-ward-settle', 'his-booking', 'his', { total: split.total, fund: split.fund, account: split.account, cash: split.cash }],
    ]);
    expect(all[0]).toMatchObject({
      insurance: { insutype: '390', region: REGION, clrType: '21', psnNo: PATIENT.psnNo },
      ids: { setlId: centre.pay_ord_id, mdtrtId: centre.mdtrt_id, outTradeNo: centre.pay_ord_id, transactionId: centre.hi_doc_sn },
    });
    expect(totalsByGroup(settlementEntries(all))).toEqual([groupOf(centre)]);
  });
});

/** Resolves once the order is booked at HIS and nothing of it is in flight (the resolver's next step ran). */
function completed(orderId: string): Promise<void> {
  return new Promise((resolve) => {
    const look = () => (w.events.ofOrder(orderId).some((e) => e.kind === 'his-booking') ? resolve() : setImmediate(look));
    look();
  });
}
