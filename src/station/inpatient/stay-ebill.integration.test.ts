/**
 * AQ-15 / SX-02 / SX-03, inpatient part: the discharge's fiscal e-bill, with real parts — the NHSA centre, HIS, the
 * payment platform and the e-bill gateway simulators on 127.0.0.1, the station's SQLite file and outbox. HIS's booking
 * of the discharge gets one bill (busType 01, busNo = HIS’s number of the booking, the stay's block), in the background;
 * a lost issue answer is looked up by busNo, never sent again; the settlement undone, the bill is red-flushed naming
 * who asked the undo; a reimbursed bill refuses its red-flush, which is recorded and shown, the undo done regardless.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EBillClient, type EBillIssueRequest, type EBillPort, type EBillWriteOffRequest } from '../../insurance/ebill';
import { startEBillSimulator, type EBillSimulator } from '../../simulators/ebill';
import type { HisSimulator } from '../../simulators/his';
import type { PayChannelSimulator } from '../../simulators/pay-channel';
import type { OperatorView } from '../../shared/domain';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 黄志强: resident scheme (390), no personal account — his self-pay share is a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
const CASHIER: OperatorView = { id: 'sf001', name: '王收费', role: 'cashier' };
const APP = { appId: 'YBSTATION', appKey: 'EBILL-KEY-0123456789' };

let gateway: EBillSimulator;
let w: InpatientWorld;
let his: HisSimulator;
let pay: PayChannelSimulator;
let rig: InpatientRig;
/** What the station asked of the gateway, as the real client sent it. */
let issued: EBillIssueRequest[];
let flushed: EBillWriteOffRequest[];
/** While set, an issue request waits for it before it goes to the gateway. */
let issueHeld: Promise<void> | null;

beforeEach(async () => {
  gateway = await startEBillSimulator({ apps: [APP], seed: 3 });
  const client = new EBillClient({ baseUrl: gateway.url, ...APP, timeoutMs: 1_000 });
  issued = [];
  flushed = [];
  issueHeld = null;
  const port: EBillPort = {
    issue: async (r) => (issued.push(r), await issueHeld, client.issue(r)),
    byBusNo: (busNo, busTime) => client.byBusNo(busNo, busTime),
    redFlush: (r) => (flushed.push(r), client.redFlush(r)),
    status: (code, no) => client.status(code, no),
    dayTotals: (place, day) => client.dayTotals(place, day),
  };
  w = await startInpatientWorld('stay-ebill', { ebill: { port, placeCode: 'ZY01' } });
  ({ his, pay, rig } = w);
});
afterEach(async () => {
  await w.close();
  await gateway.close();
});

/** Admitted, two days charged (one line taken back), a cash deposit that covers the cash part; settled and booked. */
async function completedStay() {
  const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
  const admitted = await rig.service.admit(NURSE, iptNo, await rig.person(RESIDENT.idNo));
  his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '2' }] });
  const [wrong] = his.control.ward.charge({ iptNo, day: '2026-12-02', lines: [{ hospCode: 'Y0001', quantity: '1' }] });
  his.control.ward.takeBack(iptNo, wrong!);
  his.control.ward.charge({ iptNo, day: '2026-12-02', lines: [{ hospCode: 'Y0006', quantity: '1' }] });
  his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 30_000 });
  his.control.ward.orderDischarge(iptNo);
  await rig.service.discharge(NURSE, admitted.id);
  const stay = await rig.service.settleDischarge(NURSE, admitted.id);
  expect(stay.state).toBe('completed');
  return { stay, busNo: stay.booking!.hisSettleNo };
}

const calls = (service: string) => gateway.control.calls().filter((c) => c.service === service);
const billOf = (busNo: string) => gateway.control.bills().filter((b) => b.busNo === busNo);

describe('the discharge’s e-bill', () => {
  it('is issued once after HIS booked the discharge, in the background: busType 01, the stay’s block, the 2304 split', async () => {
    const { stay, busNo } = await completedStay();
    await rig.bills!.quiet();
    expect(billOf(busNo)).toHaveLength(1);
    expect(billOf(busNo)[0]).toMatchObject({ busType: '01', totalFen: stay.settlement!.medfeeFen, isScarlet: false });
    const request = issued[0]!;
    const s = stay.settlement!;
    expect(request.split).toMatchObject({ fundFen: s.fundFen, accountFen: s.acctFen, cashFen: s.cashFen });
    expect(request.visit).toMatchObject({ visitNo: stay.iptNo, settlementId: s.setlId });
    expect(request.visit.stay).toMatchObject({ depositFen: s.cashFen, collectedFen: 0, refundedFen: 30_000 - s.cashFen });
    // The line taken back went with its original: the items are the booked lines that stand, adding up to the total.
    expect(request.items).toHaveLength(2);
    expect(request.items.reduce((t, i) => t + i.amountFen, 0)).toBe(s.medfeeFen);
    expect(rig.bills!.view(stay.id)).toMatchObject({ state: 'issued', no: billOf(busNo)[0]!.billNo });
    // The sweep after a restart finds nothing owed: never a second bill.
    await rig.bills!.sweep(new Date(0));
    expect(calls('invEBillHospitalized')).toHaveLength(1);
  });

  it('a shortfall collected at the bedside, then booked: the bill names the deposit and the payment', async () => {
    const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
    const { id } = await rig.service.admit(NURSE, iptNo, await rig.person(RESIDENT.idNo));
    his.control.ward.charge({ iptNo, day: '2026-12-01', lines: [{ hospCode: 'Y0006', quantity: '3' }] });
    his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 100 });
    his.control.ward.orderDischarge(iptNo);
    await rig.service.discharge(NURSE, id);
    const settled = await rig.service.settleDischarge(NURSE, id);
    expect(settled.state).toBe('settled');
    await rig.bills!.quiet();
    expect(issued).toEqual([]); // nothing booked at HIS yet: no bill
    const wallet = pay.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    const done = await rig.shortfall.payByCode(id, rig.scans.hold('scanbox', wallet.authCode, 'wechat-pay').scanId);
    expect(done.state).toBe('completed');
    await rig.bills!.quiet();
    const due = done.settlement!.cashFen - 100;
    expect(billOf(done.booking!.hisSettleNo)).toHaveLength(1);
    expect(issued[0]!.payments.filter((p) => p.channel === 'XJ' || p.channel === 'WX')).toEqual([
      { channel: 'XJ', amountFen: 100 },
      { channel: 'WX', amountFen: due },
    ]);
    expect(issued[0]!.visit.stay).toMatchObject({ depositFen: 100, collectedFen: due, refundedFen: 0 });
  });

  it('a lost issue answer is looked up by busNo, not sent again', async () => {
    gateway.control.fault('invEBillHospitalized', 'lose-answer');
    const { stay, busNo } = await completedStay();
    await rig.bills!.quiet();
    expect(rig.bills!.view(stay.id)?.state).toBe('issuing');
    // The bill in doubt does not hold the stay: the nurse goes on (the surplus, an undo) while it is looked up.
    expect(rig.outbox.isLocked(stay.id)).toBe(false);
    await rig.outbox.resolveNow();
    expect(rig.bills!.view(stay.id)).toMatchObject({ state: 'issued', no: billOf(busNo)[0]!.billNo });
    expect(calls('getEBillByBusNo')).toHaveLength(1);
    expect(calls('invEBillHospitalized')).toHaveLength(1);
    expect(billOf(busNo)).toHaveLength(1);
  });

  it('a refused bill stays refused until IT asks it again: then issued under the same busNo on the idle pass, once', async () => {
    gateway.control.fault('invEBillHospitalized', 'refuse');
    const { stay, busNo } = await completedStay();
    await rig.bills!.quiet();
    expect(rig.bills!.view(stay.id)?.state).toBe('refused');
    await rig.bills!.sweep(new Date(0)); // not by itself: the cause is put right at the platform first
    rig.bills!.reissueAsked();
    await rig.bills!.quiet();
    expect(calls('invEBillHospitalized')).toHaveLength(1);
    // Asked for another booking than the stay's current one (the CLI's check): nothing asked.
    expect(rig.bills!.repo.askReissue({ stayId: stay.id }, new Date(), 'OTHER')).toBeUndefined();
    expect(rig.bills!.repo.askReissue({ stayId: stay.id }, new Date(), busNo)).toMatchObject({ busNo, state: 'refused' });
    rig.bills!.reissueAsked();
    await rig.bills!.quiet();
    expect(rig.bills!.view(stay.id)).toMatchObject({ state: 'issued', no: billOf(busNo)[0]!.billNo });
    expect(rig.bills!.repo.byBusNo(busNo)).toMatchObject({ attempts: 2, reissueAsked: false });
    rig.bills!.reissueAsked();
    await rig.bills!.sweep(new Date(0));
    await rig.bills!.quiet();
    expect(calls('invEBillHospitalized')).toHaveLength(2);
    expect(billOf(busNo)).toHaveLength(1);
  });

  it('a stop between HIS’s booking and the bill: the sweep issues it after the restart', async () => {
    rig.bills!.follow = () => {}; // the station stops right after HIS's booking: nothing follows it
    const { stay, busNo } = await completedStay();
    expect(rig.bills!.view(stay.id)).toBeNull();
    const again = await w.restart();
    await again.bills!.sweep(new Date(Date.now() - 60_000));
    expect(again.bills!.view(stay.id)?.state).toBe('issued');
    expect(billOf(busNo)).toHaveLength(1);
    // A sweep whose window ends before the stay's last change does not look at it (nor at any older stay).
    expect(again.bills!.repo.staysChangedSince(new Date(Date.now() + 60_000))).toEqual([]);
  });

  it('the settlement undone: the bill is red-flushed after HIS’s cancel and 2305, naming who asked the undo', async () => {
    const { stay, busNo } = await completedStay();
    await rig.bills!.quiet();
    const undone = await rig.undo.undo(CASHIER, stay.id, '费用录入有误');
    expect(undone.state).toBe('discharged');
    await rig.bills!.quiet();
    expect(billOf(busNo)[0]).toMatchObject({ isScarlet: true });
    expect(flushed).toEqual([expect.objectContaining({ reason: '出院结算撤销', operator: CASHIER.name })]);
    expect(rig.bills!.view(stay.id)).toMatchObject({ state: 'red-flushed', red: { no: billOf(busNo)[0]!.red!.billNo } });
    // Settled and booked again: a new booking, its own bill.
    const again = await rig.service.settleDischarge(NURSE, stay.id);
    await rig.bills!.quiet();
    const next = again.booking!.hisSettleNo;
    expect(next).not.toBe(busNo);
    expect(billOf(next)).toEqual([expect.objectContaining({ isScarlet: false, totalFen: again.settlement!.medfeeFen })]);
  });

  it('undone while its bill is being issued: the bill, issued after the undo read the stay, is red-flushed all the same', async () => {
    let release = () => {};
    issueHeld = new Promise<void>((r) => (release = r));
    const { stay, busNo } = await completedStay();
    await expect.poll(() => issued.length).toBe(1); // the issue run read the stay booked and is at the gateway
    const undone = await rig.undo.undo(CASHIER, stay.id, '费用录入有误');
    expect(undone.state).toBe('discharged');
    release();
    await rig.bills!.quiet();
    // The undo's word came while the issue ran: a run after it (not the one going) finds the booking gone.
    expect(billOf(busNo)).toEqual([expect.objectContaining({ isScarlet: true })]);
    expect(rig.bills!.view(stay.id)?.state).toBe('red-flushed');
  });

  it('a reimbursed bill: the undo is done, the refused red-flush is recorded and shown', async () => {
    const { stay, busNo } = await completedStay();
    await rig.bills!.quiet();
    const bill = billOf(busNo)[0]!;
    expect(gateway.control.setReimbursed(bill.billBatchCode, bill.billNo)).toBe(true);
    expect((await rig.undo.undo(CASHIER, stay.id, '费用录入有误')).state).toBe('discharged');
    await rig.bills!.quiet();
    expect(billOf(busNo)[0]!.isScarlet).toBe(false);
    expect(rig.bills!.view(stay.id)?.state).toBe('red-flush-refused');
    expect(rig.bills!.repo.unsettled(10).map((b) => [b.busNo, b.kind])).toEqual([[busNo, 'stay']]);
  });
});
