/**
 * Issue 15, a discharge's shortfall at the bedside, with real parts (the NHSA centre, HIS and payment platform
 * simulators on 127.0.0.1, the station's SQLite file and outbox): deposits short of the self-pay part leave the stay
 * settled at the centre with the amount kept; the patient's payment code or a QR on the screen pays the difference
 * through the window's wallet movements; then HIS books the discharge with the deposits and the payment. A code the
 * platform refuses leaves the stay waiting, to be collected again; so does a QR the nurse closes (one the patient
 * paid just before is booked instead).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentreFixture } from '../../simulators/nhsa';
import type { HisSimulator } from '../../simulators/his';
import type { PayChannelSimulator } from '../../simulators/pay-channel';
import { fen } from '../../shared/money';
import { NURSE, type InpatientRig } from './testing/inpatient-rig';
import { startInpatientWorld, type InpatientWorld } from '../../../test/harness/inpatient-world';

/** 黄志强: resident scheme, no personal account — his self-pay share is a cash part. */
const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };

let w: InpatientWorld;
let fx: CentreFixture;
let his: HisSimulator;
let pay: PayChannelSimulator;
let rig: InpatientRig;
let aheadMs: number;

beforeEach(async () => {
  aheadMs = 0;
  // The training station's platform: a QR is reversed from its first second (the vendors wait 15 s), closed after 5 min.
  w = await startInpatientWorld('shortfall', { now: () => new Date(Date.now() + aheadMs) }, { rules: { minReverseAgeMs: 0 } });
  ({ fx, his, pay, rig } = w);
});
afterEach(() => w.close());

/** Admitted, three days of fees and a class C item (the patient's in full), a 1.00 cash deposit, discharged. */
async function dischargedShort() {
  const iptNo = his.control.ward.admit({ patientId: RESIDENT.hisId, wardCode: 'W0301' });
  const { id: stayId } = await rig.service.admit(NURSE, iptNo, await rig.person(RESIDENT.idNo));
  for (const day of ['2026-12-01', '2026-12-02', '2026-12-03'])
    his.control.ward.charge({
      iptNo,
      day,
      lines: [
        { hospCode: 'Y0006', quantity: '2' },
        { hospCode: 'Y0001', quantity: '1' },
      ],
    });
  his.control.ward.charge({ iptNo, lines: [{ hospCode: 'Y0007', quantity: '1' }] });
  const depositNo = his.control.ward.deposit({ iptNo, channel: 'cash', amountFen: 100 });
  his.control.ward.orderDischarge(iptNo);
  await rig.service.discharge(NURSE, stayId);
  return { iptNo, stayId, depositNo };
}

/** The same, settled at the centre: the deposit short of the cash part. */
async function settledShort() {
  const discharged = await dischargedShort();
  const stay = await rig.service.settleDischarge(NURSE, discharged.stayId);
  return { ...discharged, stay, dueFen: stay.settlement!.cashFen - 100 };
}

const paymentCode = (balanceFen = 1_000_000) => {
  const wallet = pay.control.wallet({ channel: 'WECHAT', balanceFen });
  return { wallet, scanId: rig.scans.hold('scanbox', wallet.authCode, 'wechat-pay').scanId };
};

describe('a discharge whose deposits fall short', () => {
  it('rests settled at the centre with the shortfall kept; nothing is booked at HIS', async () => {
    const { stay, dueFen } = await settledShort();
    expect(dueFen).toBeGreaterThan(0);
    expect(stay).toMatchObject({ state: 'settled', shortfallFen: dueFen });
    expect(his.control.ward.wardBooks().settlements).toHaveLength(0);
    // 出院结算 again before anything is paid: still waiting, still nothing at HIS.
    expect((await rig.service.settleDischarge(NURSE, stay.id)).state).toBe('settled');
    expect(his.control.ward.wardBooks().settlements).toHaveLength(0);
  });

  it('the patient’s payment code pays the difference; HIS books the deposit and the payment', async () => {
    const { stayId, depositNo, dueFen, stay } = await settledShort();
    const { wallet, scanId } = paymentCode();
    const done = await rig.shortfall.payByCode(stayId, scanId);
    expect(done.state).toBe('completed');
    expect(pay.control.balance(wallet.authCode)).toBe(1_000_000 - dueFen);
    const [paid] = rig.payments.forStay(stayId);
    expect(paid).toMatchObject({ mode: 'micropay', wallet: 'wechat', amountFen: dueFen, state: 'paid' });
    const [booked] = his.control.ward.wardBooks().settlements;
    expect(booked).toMatchObject({ state: 'settled', cashFen: stay.settlement!.cashFen, deposits: [{ depositNo, amountFen: 100 }] });
    expect(booked!.payments).toEqual([expect.objectContaining({ channel: 'wechat', outTradeNo: paid!.outTradeNo, amountFen: dueFen })]);
    // Paid and booked: nothing more to collect.
    await expect(rig.shortfall.payByCode(stayId, paymentCode().scanId)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a code the platform refuses leaves the stay waiting; the next code pays it', async () => {
    const { stayId, dueFen } = await settledShort();
    await expect(rig.shortfall.payByCode(stayId, paymentCode(1).scanId)).rejects.toMatchObject({ code: 'CENTRE_REJECTED' });
    expect(rig.stays.get(stayId)!.state).toBe('settled');
    expect(rig.payments.forStay(stayId).map((p) => p.state)).toEqual(['failed']);
    expect((await rig.shortfall.payByCode(stayId, paymentCode().scanId)).state).toBe('completed');
    expect(rig.payments.paid(stayId).map((p) => p.amountFen)).toEqual([fen(dueFen)]);
    expect(his.control.ward.wardBooks().settlements).toHaveLength(1);
  });

  it('a QR on the screen: shown, paid by the patient, found by the resolver, then booked at HIS', async () => {
    const { stayId, dueFen } = await settledShort();
    await rig.shortfall.payByQr(stayId);
    const [qr] = rig.payments.forStay(stayId);
    expect(qr).toMatchObject({ mode: 'precreate', state: 'pending', amountFen: dueFen });
    expect(qr!.qrCode).toMatch(/\S/);
    // One attempt at a time: no code while the QR waits.
    await expect(rig.shortfall.payByCode(stayId, paymentCode().scanId)).rejects.toMatchObject({ code: 'ORDER_BUSY' });

    const wallet = pay.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    expect(pay.control.payQr(qr!.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    // The resolver's first look at a QR waits for the screen's polling pace (10 ms here) after it was made: a pass
    // sooner only reschedules it (what made this test flaky; the rig's outbox runs no pass of its own). The station's
    // clock is moved past that pace, and one pass finds the QR paid.
    aheadMs = 1000;
    expect(await rig.outbox.resolveNow()).toBe(1);
    await Promise.all(rig.steps);
    expect(rig.stays.get(stayId)!.state).toBe('completed');
    expect(rig.payments.forStay(stayId)[0]).toMatchObject({ state: 'paid', wallet: 'alipay' });
    const [booked] = his.control.ward.wardBooks().settlements;
    expect(booked!.payments).toEqual([expect.objectContaining({ channel: 'alipay', amountFen: dueFen })]);
    expect(rig.outbox.isLocked(stayId)).toBe(false);
  });

  it('the nurse closes the QR: reversed at the platform, the row no longer waiting, then a code pays', async () => {
    const { stayId, dueFen } = await settledShort();
    await rig.shortfall.payByQr(stayId);
    const [qr] = rig.payments.forStay(stayId);
    await rig.shortfall.cancelQr(stayId);
    // Too early for a close (the vendors' 5 min): the platform's reverse closed it; the next look tells the outbox.
    expect(pay.control.trade(qr!.outTradeNo)).toMatchObject({ state: 'REVOKED', reverse_action: 'CLOSE' });
    aheadMs = 1000;
    // The close asked the outbox to look now: its own pass or this one finds the QR closed (a count would race them).
    await rig.outbox.resolveNow();
    await Promise.all(rig.steps);
    expect(rig.payments.forStay(stayId)).toEqual([expect.objectContaining({ outTradeNo: qr!.outTradeNo, state: 'closed', qrCode: null })]);
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect(rig.stays.get(stayId)!.state).toBe('settled');
    // The patient scanning the old QR now cannot pay it; nothing closed twice.
    const late = pay.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    expect(pay.control.payQr(qr!.qrCode!, late.authCode)).toMatchObject({ paid: false });
    await expect(rig.shortfall.cancelQr(stayId)).rejects.toMatchObject({ code: 'CONFLICT' });
    // A new QR can be shown, and closed too; then the patient's code pays.
    await rig.shortfall.payByQr(stayId);
    await rig.shortfall.cancelQr(stayId);
    aheadMs += 1000; // past the QR's first look, which its send may have set after the close asked for one now
    await rig.outbox.resolveNow();
    expect(rig.outbox.isLocked(stayId)).toBe(false);
    expect((await rig.shortfall.payByCode(stayId, paymentCode().scanId)).state).toBe('completed');
    expect(rig.payments.paid(stayId).map((p) => p.amountFen)).toEqual([fen(dueFen)]);
    expect(his.control.ward.wardBooks().settlements).toHaveLength(1);
  });

  it('a QR the patient paid just before the nurse closed it: paid and booked once, never closed', async () => {
    const { stayId, dueFen } = await settledShort();
    await rig.shortfall.payByQr(stayId);
    const [qr] = rig.payments.forStay(stayId);
    const wallet = pay.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    expect(pay.control.payQr(qr!.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    // The platform answers the close ORDERPAID: nothing reversed, the outbox asked at once.
    await rig.shortfall.cancelQr(stayId);
    expect(pay.control.trade(qr!.outTradeNo)).toMatchObject({ state: 'SUCCESS' });
    aheadMs = 1000;
    expect(await rig.outbox.resolveNow()).toBe(1);
    await Promise.all(rig.steps);
    expect(rig.stays.get(stayId)!.state).toBe('completed');
    expect(rig.payments.forStay(stayId)).toEqual([expect.objectContaining({ state: 'paid', wallet: 'wechat', amountFen: dueFen })]);
    expect(pay.control.balance(wallet.authCode)).toBe(1_000_000 - dueFen);
    const { settlements } = his.control.ward.wardBooks();
    expect(settlements).toHaveLength(1);
    expect(settlements[0]!.payments).toEqual([expect.objectContaining({ outTradeNo: qr!.outTradeNo, amountFen: dueFen })]);
  });

  it('two nurses settling one stay at once: one 2304, the other told the stay is busy (not an internal error)', async () => {
    const { stayId } = await dischargedShort();
    // The first 2304 is slow at the centre, so the second press arrives while it is in flight.
    fx.centre.control.inject({ infno: '2304', fault: { kind: 'delay', ms: 2000 }, times: 1 });
    const [first, second] = await Promise.allSettled([
      rig.service.settleDischarge(NURSE, stayId),
      rig.service.settleDischarge(NURSE, stayId),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { state: 'settled' } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'ORDER_BUSY' } });
    expect(fx.centre.control.requests().filter((r) => r.infno === '2304')).toHaveLength(1);
  });
});
