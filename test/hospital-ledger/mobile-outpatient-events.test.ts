/**
 * ZS-09's outpatient bill paid by mobile insurance and a registration refunded (退号) by phone, as the hospital ledger
 * hears of them: the whole training station as `npm run service` starts it (the settlement service on real HTTP, the
 * NHSA, HIS and mobile-payment simulators on 127.0.0.1, the station's SQLite), the events read from the station's
 * own `ledger_events`. The settlement carries the payer's 1101 region and clearing type 11, so the day's 3201 group
 * counts it; the self-pay part is the mobile channel's; the refund's steps name the refund.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settlementEntries, totalsByGroup } from '../../src/station/reconciliation';
import { matchHisAccount } from '../../src/station/reconciliation/his-match';
import { localDay } from '../../src/station/clock';
import { RESIDENT, startOutpatientRig, type OutpatientRig } from '../../src/service/testing/outpatient-rig';
import { payOnline, refundRegistration, stationLedgerEvents } from '../harness/phone-outpatient';

let rig: OutpatientRig;
const centre = () => rig.station.training!.mobilePay.control;
const his = () => rig.station.training!.his.control;
const eventsOf = (paymentId?: string) => stationLedgerEvents(rig, paymentId);

beforeEach(async () => {
  rig = await startOutpatientRig();
});

afterEach(async () => {
  await rig.close();
});

describe('an outpatient bill paid by mobile insurance, in the hospital ledger', () => {
  it('publishes the settlement (clearing type 11, the payer’s region), the wallet’s part and HIS’s booking; 3201 counts it', async () => {
    // Past the deductible: the fund pays a share.
    const orderNo = rig.prescribe([
      { hospCode: 'Y0002', quantity: '30' },
      { hospCode: 'Y0007', quantity: '20' },
    ]);
    const { paymentId, payOrderId } = await payOnline(rig, orderNo, 'ledger-pay-0001');
    const order = centre().ledger.order(payOrderId)!;
    expect([order.fund_pay > 0, order.own_pay_amt > 0]).toEqual([true, true]);

    const events = eventsOf(paymentId);
    expect(events.map((e) => [e.movement, e.kind, e.channel, e.amounts])).toEqual([
      [
        'mobile.6202',
        'settlement',
        'nhsa',
        { total: order.fee_sumamt, fund: order.fund_pay, pool: order.fund_pay, account: order.psn_acct_pay, cash: order.own_pay_amt },
      ],
      ['mobile.6202', 'payment', 'mobile', { cash: order.own_pay_amt }],
      [
        'his.mobile-clinic-settle',
        'his-booking',
        'his',
        { total: order.fee_sumamt, fund: order.fund_pay, account: order.psn_acct_pay, cash: order.own_pay_amt },
      ],
    ]);
    expect(events[0]).toMatchObject({
      hisOrderNo: orderNo,
      insurance: { insutype: '390', region: '350200', clrType: '11', psnNo: '35020000000000000103' },
      ids: { setlId: payOrderId, mdtrtId: order.mdtrt_id, outTradeNo: payOrderId },
    });
    expect(totalsByGroup(settlementEntries(events))).toEqual([
      {
        region: '350200',
        insutype: '390',
        clrType: '11',
        medfeeFen: order.fee_sumamt,
        fundFen: order.fund_pay,
        acctFen: order.psn_acct_pay,
        cashFen: order.own_pay_amt,
        count: 1,
      },
    ]);
  });

  it('a registration refunded by phone (退号): 6203’s insurance and wallet parts back, HIS’s cancel; the group nets to nothing', async () => {
    const orderNo = his().register({ patientId: RESIDENT.hisId, deptCode: '0301' });
    const { paymentId, payOrderId } = await payOnline(rig, orderNo, 'ledger-pay-0002');
    const refunded = await refundRegistration(rig, orderNo, 'ledger-ref-0002');
    expect(refunded).toMatchObject({ status: 201, body: { state: 'refunded', registrationCancelled: true } });
    const order = centre().ledger.order(payOrderId)!;
    const [refund] = centre().ledger.refunds();

    const events = eventsOf(paymentId);
    expect(events.map((e) => [e.movement, e.kind, e.channel])).toEqual([
      ['mobile.6202', 'settlement', 'nhsa'],
      ['mobile.6202', 'payment', 'mobile'],
      ['his.mobile-clinic-settle', 'his-booking', 'his'],
      ['mobile.6203', 'refund-settlement-cancel', 'nhsa'],
      ['mobile.6203', 'refund-payment', 'mobile'],
      ['his.mobile-clinic-cancel', 'his-booking-reversed', 'his'],
    ]);
    const steps = events.slice(3);
    expect(steps.map((e) => e.ids.stationRefundId)).toEqual([refund!.app_refd_sn, refund!.app_refd_sn, refund!.app_refd_sn]);
    expect(steps[1]!.amounts).toEqual({ cash: -order.own_pay_amt });
    expect(totalsByGroup(settlementEntries(events))).toEqual([
      { region: '350200', insutype: '390', clrType: '11', medfeeFen: 0, fundFen: 0, acctFen: 0, cashFen: 0, count: 0 },
    ]);
  });

  it('the day’s HIS account (account.day) agrees with the ledger: the phone’s bookings are on both sides', async () => {
    const bill = rig.prescribe();
    await payOnline(rig, bill, 'ledger-pay-0003');
    const registration = his().register({ patientId: RESIDENT.hisId, deptCode: '0301' });
    await payOnline(rig, registration, 'ledger-pay-0004');
    const refunded = await refundRegistration(rig, registration, 'ledger-ref-0004');
    expect(refunded).toMatchObject({ status: 201, body: { state: 'refunded', registrationCancelled: true } });
    const account = await rig.station.outpatient.his.dayAccount(localDay(new Date(), 'Asia/Shanghai'));
    if (account.kind !== 'ok') throw new Error(JSON.stringify(account));
    expect(account.value.bookings).toHaveLength(2);
    expect(matchHisAccount(eventsOf(), account.value)).toMatchObject({
      balanced: true,
      hisBookings: 2,
      ledgerBookings: 2,
      differences: [],
    });
  });
});
