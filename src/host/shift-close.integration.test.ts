/**
 * 交班 and 日结 (issue 13 item 6) with every part real: the cashier settles by payment code and by QR, refunds a
 * bill, closes the shift; the summary is checked against the payment platform's and the centre's own books, the
 * window is signed out, the next sign-in opens a new shift, and the admin's day close adds the closed one up.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderView, PatientView, SignedInOperator } from '../shared/domain';
import type { DayCloseView, ShiftChannel, ShiftView } from '../shared/shifts';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import {
  localPerson,
  ok,
  openOrder,
  scanCode,
  settle,
  startOutpatientHarness,
  type OutpatientHarness,
} from '../../test/harness/outpatient-harness';
import { connect } from '../../test/harness/ws-test-client';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 100 }, sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

/** A bill past the deductible (the fund pays part of it): the doctor prescribes it, the cashier opens it. */
async function bigOrder(idNo: string): Promise<OrderView> {
  const his = h.station.training!.his.control;
  const patientId = his.patients().find((p) => p.id_no === idNo)!.patient_id;
  const orderNo = his.prescribe({ patientId, prescriptions: [{ lines: [{ hospCode: 'F0002', quantity: '20' }] }] });
  const patient = ok(await h.c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: idNo }));
  return ok(await h.c.call<OrderView[]>('listOrders', { identificationId: patient.identificationId })).find(
    (o) => o.hisOrderNo === orderNo,
  )!;
}

const line = (s: ShiftView['summary'], c: ShiftChannel) => s.channels.find((l) => l.channel === c)!;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('shift close (交班) against the simulators', () => {
  it("the shift's sums by channel are the platform's and the centre's books; the close signs out and the next sign-in opens a new shift", async () => {
    const rig = h.station.training!;
    const opened = ok(await h.c.call<ShiftView>('currentShift', {}));
    expect(opened.summary).toMatchObject({ orders: 0, totalFen: 0, pending: [] });

    // A bill paid by a WeChat payment code …
    const byCode = await openOrder(h.c, '390');
    const codeSplit = (await settle(h.c, byCode.id)).split!;
    const wechat = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: byCode.id, scanId: await scanCode(h, wechat.authCode) }));
    expect(paid.state).toBe('completed');
    // … one by an Alipay QR …
    const byQr = await openOrder(h.c, '390', 1);
    const qrSplit = (await settle(h.c, byQr.id)).split!;
    const qr = ok(await h.c.call<OrderView>('payOrderByQr', { orderId: byQr.id, wallet: 'alipay' })).payments.find(
      (p) => p.mode === 'precreate',
    )!;
    const alipay = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    const completed = h.c.nextEvent<OrderView>('orderUpdated', (o) => o.id === byQr.id && o.state === 'completed', 15_000);
    expect(rig.payChannel.control.payQr(qr.qrCode!, alipay.authCode)).toMatchObject({ paid: true });
    await completed;
    // … and the first one refunded whole (its cash share back to the wallet).
    expect(ok(await h.c.call<OrderView>('refundOrder', { orderId: byCode.id, reason: '患者要求退费' })).state).toBe('refunded');
    // An employee's bill the fund and the personal account cover whole, refunded too …
    const byAccount = await bigOrder(localPerson('310').idNo);
    const accountSplit = (await settle(h.c, byAccount.id)).split!;
    expect(accountSplit).toMatchObject({ cashFen: 0 });
    expect(accountSplit.accountFen * accountSplit.fundFen).toBeGreaterThan(0);
    expect(ok(await h.c.call<OrderView>('refundOrder', { orderId: byAccount.id, reason: '重复收费' })).state).toBe('refunded');
    // … and a self-pay bill still waiting for its payment: named on the slip, it does not block the close.
    const waiting = await openOrder(h.c, '310', 1);
    expect(ok(await h.c.call<OrderView>('selfPayOrder', { orderId: waiting.id })).state).toBe('awaiting-payment');

    const ended = h.c.nextEvent<{ reason: string }>('sessionEnded', () => true);
    const closed = ok(await h.c.call<ShiftView>('closeShift', { shiftId: opened.id }));
    expect(await ended).toEqual({ reason: 'logout' });
    expect(ok(await h.c.call<SignedInOperator | null>('currentOperator', {}))).toBeNull();

    const s = closed.summary;
    expect(s.orders).toBe(3);
    expect(s.totalFen).toBe(byCode.totalFen + byQr.totalFen + byAccount.totalFen);
    expect(s.pending.map((p) => [p.orderId, p.state])).toEqual([[waiting.id, 'awaiting-payment']]);
    // The platform's books: what each channel took and gave back.
    const pay = rig.payChannel.control.books();
    const taken = (channel: string) =>
      sum(pay.trades.filter((t) => t.channel === channel && t.state === 'SUCCESS').map((t) => t.total_fee));
    expect(line(s, 'wechat')).toEqual({
      channel: 'wechat',
      count: 1,
      amountFen: taken('WECHAT'),
      refundCount: 1,
      refundFen: codeSplit.cashFen,
    });
    expect(line(s, 'alipay')).toEqual({ channel: 'alipay', count: 1, amountFen: taken('ALIPAY'), refundCount: 0, refundFen: 0 });
    expect(taken('WECHAT') + taken('ALIPAY')).toBe(codeSplit.cashFen + qrSplit.cashFen);
    expect(sum(pay.refunds.filter((r) => r.state === 'SUCCESS').map((r) => r.refund_fee))).toBe(line(s, 'wechat').refundFen);
    // The centre's books: its three settlements' fund and account; the refunded one cancelled.
    const centre = rig.centre.control.books().settlements;
    expect(centre).toHaveLength(3);
    expect(line(s, 'fund')).toMatchObject({
      count: centre.filter((x) => x.fund_pay_sumamt > 0).length,
      amountFen: sum(centre.map((x) => x.fund_pay_sumamt)),
      refundFen: sum(centre.filter((x) => x.state === 'cancelled').map((x) => x.fund_pay_sumamt)),
    });
    expect(line(s, 'account')).toMatchObject({
      amountFen: sum(centre.map((x) => x.acct_pay)),
      refundFen: sum(centre.filter((x) => x.state === 'cancelled').map((x) => x.acct_pay)),
    });
    expect(line(s, 'account').amountFen).toBe(codeSplit.accountFen + qrSplit.accountFen + accountSplit.accountFen);
    expect(line(s, 'fund').refundFen).toBe(codeSplit.fundFen + accountSplit.fundFen);
    expect(line(s, 'account').refundFen).toBe(codeSplit.accountFen + accountSplit.accountFen);
    expect(s.refunds).toBe(2);
    expect([line(s, 'cash').amountFen, line(s, 'card').amountFen]).toEqual([0, 0]);
    expect(s.netFen).toBe(byQr.totalFen);

    // The next sign-in opens a new shift, counting from the close.
    ok(await h.c.call('login', { login: 'sf001', password: TRAINING_PASSWORD }));
    const next = ok(await h.c.call<ShiftView>('currentShift', {}));
    expect(next.id).not.toBe(opened.id);
    expect(next.coversFrom).toBe(closed.closedAt);
    expect(next.summary.orders).toBe(0);

    // The admin's day close: the closed shift counted, the new one named as still open.
    const admin = await connect(h.host);
    ok(await admin.call('login', { login: 'admin', password: TRAINING_PASSWORD }));
    const day = ok(await admin.call<DayCloseView>('dayClose', { day: closed.businessDay! }));
    admin.close();
    expect(day.shifts.map((x) => x.id)).toEqual([opened.id]);
    expect(day.openShifts.map((x) => x.id)).toEqual([next.id]);
    expect(day.totals).toMatchObject({ orders: 3, totalFen: s.totalFen, refundFen: s.refundFen, netFen: s.netFen });
    // A cashier may not ask for the day close.
    expect(await h.c.call('dayClose', { day: closed.businessDay! })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
