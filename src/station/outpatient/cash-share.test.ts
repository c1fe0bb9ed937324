/** The cash share on its own: payment code, QR, self-pay; the undo it starts. Remotes scripted (testing/saga-kit). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CashShare } from './cash-share';
import { Completion } from './completion';
import { CASHIER, sagaKit, type SagaKit } from './testing/saga-kit';
import { Undo } from './undo';

let kit: SagaKit;
let cash: CashShare;
let recoveries = 0;

beforeEach(() => {
  kit = sagaKit();
  const completion = new Completion(kit.ctx);
  const undo = new Undo(kit.ctx);
  const book = (id: string) => completion.book(id);
  recoveries = 0;
  cash = new CashShare(kit.ctx, { book, undo: (id) => undo.afterPaymentFailed(id), recover: async () => void (recoveries += 1) });
  kit.centre.acceptsAll({ total: 5300, fund: 3000, acct: 1300, cash: 1000 });
});
afterEach(() => kit.close());

const scan = (code = '134567890123456789') => kit.scans.hold('scanbox-1', code, 'wechat-pay').scanId;

describe('the cash share', () => {
  it('a payment code pays exactly the cash share; HIS books it with the payment and the order is completed', async () => {
    const id = await kit.awaitingPayment();
    const view = await cash.payByCode(CASHIER, id, scan());
    expect(view.state).toBe('completed');
    const [payment] = view.payments;
    expect(kit.pay.calls).toEqual([`micropay ${payment!.outTradeNo} 1000`]);
    expect(payment).toMatchObject({ state: 'paid', amountFen: 1000, wallet: 'wechat' });
    expect(kit.his.booked).toHaveLength(1);
  });

  it('a refused code undoes the insurance part (2208 → 2205 → 2202); the order is open again and says why', async () => {
    const id = await kit.awaitingPayment();
    kit.pay.micropayAnswers.push('refused');
    const view = await cash.payByCode(CASHIER, id, scan());
    expect(kit.centre.moves().slice(-3)).toEqual(['2208', '2205', '2202']);
    expect(view).toMatchObject({ state: 'open', reason: 'payment-refused', setlId: null });
    expect(view.detail).toBe('付款失败：NOTENOUGH 余额不足；医保结算、费用明细与挂号已自动撤销，可重新结算');
    expect(view.payments[0]!.state).toBe('failed');
    expect(kit.his.booked).toEqual([]);
  });

  it('a lost answer puts the order in doubt; the resolver finds it paid and the order waits for its booking', async () => {
    const id = await kit.awaitingPayment();
    kit.pay.micropayAnswers.push('lost');
    const view = await cash.payByCode(CASHIER, id, scan());
    expect(view).toMatchObject({ state: 'in-doubt', reason: 'payment-unknown' });
    kit.pay.paid.add(view.payments[0]!.outTradeNo); // the patient entered the password
    kit.clock.now = new Date(kit.clock.now.getTime() + 6_000); // the vendors' first query after 5 s
    await kit.outbox.resolveNow();
    expect(kit.orders.get(id)!.state).toBe('awaiting-payment');
    expect(kit.events).toEqual([expect.objectContaining({ kind: 'pay.micropay', final: 'succeeded' })]);
  });

  it('a scan is taken once, and only payment codes pay', async () => {
    const id = await kit.awaitingPayment();
    const s = kit.scans.hold('scanbox-1', 'HOSPCARD01', 'hospital-card').scanId;
    await expect(cash.payByCode(CASHIER, id, s)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(cash.payByCode(CASHIER, id, s)).rejects.toMatchObject({ code: 'SCAN_EXPIRED' });
    expect(kit.pay.calls).toEqual([]);
  });

  it('no second payment once one is paid and waits for its booking; recovery is asked to book it', async () => {
    const id = await kit.awaitingPayment();
    kit.his.bookingAnswers.push('lost');
    await cash.payByCode(CASHIER, id, scan()); // paid; HIS's answer lost: the booking is in doubt
    kit.db.prepare(`UPDATE intents SET state = 'succeeded' WHERE kind = 'his.confirm'`).run();
    kit.db.prepare(`UPDATE outpatient_orders SET state = 'awaiting-payment' WHERE id = ?`).run(id);
    await expect(cash.payByCode(CASHIER, id, scan('134567890123456780'))).rejects.toMatchObject({
      message: expect.stringMatching(/已收到付款/),
    });
    await new Promise((r) => setImmediate(r));
    expect(recoveries).toBe(1);
    expect(kit.pay.calls.filter((c) => c.startsWith('micropay'))).toHaveLength(1);
  });

  it('a QR the platform refuses to make moves nothing: the order still waits and the code on the scan box works', async () => {
    const id = await kit.awaitingPayment();
    kit.pay.precreate = async () => ({ kind: 'rejected', code: 'NOAUTH', message: '商户无此权限' });
    await expect(cash.payByQr(CASHIER, id)).rejects.toMatchObject({ code: 'CENTRE_REJECTED' });
    expect(kit.orders.get(id)!.state).toBe('awaiting-payment');
    expect((await cash.payByCode(CASHIER, id, scan())).state).toBe('completed');
  });

  it('a QR stays open while shown; closed unpaid, the insurance part is undone', async () => {
    const id = await kit.awaitingPayment();
    const shown = await cash.payByQr(CASHIER, id, 'wechat');
    const qr = shown.payments[0]!;
    expect(qr).toMatchObject({ mode: 'precreate', state: 'pending', qrCode: `weixin://wxpay/${qr.outTradeNo}` });
    expect(kit.outbox.isLocked(id)).toBe(true);
    kit.pay.query = async (outTradeNo) => ({
      kind: 'ok',
      value: { outTradeNo, tradeType: 'qr', state: 'closed', totalFee: shown.split!.cashFen, refundedFee: shown.split!.cashFen },
    });
    await cash.cancelPayment(CASHIER, id);
    kit.clock.now = new Date(kit.clock.now.getTime() + 3_000);
    await kit.outbox.resolveNow();
    // The payment's final transaction put the order on its undo; the undo is the next step.
    expect(kit.orders.get(id)).toMatchObject({ state: 'reversing', reason: { code: 'qr-closed' } });
    expect(kit.orders.payments.forOrder(id)[0]!.state).toBe('closed');
  });

  it('a QR whose every precreate answer was lost was never on a screen: the first look that finds it unpaid closes it', async () => {
    const id = await kit.awaitingPayment();
    kit.pay.precreate = async (r) => {
      kit.pay.calls.push(`precreate ${r.outTradeNo}`);
      return { kind: 'unknown', reason: 'timeout', detail: 'no answer' };
    };
    await cash.payByQr(CASHIER, id, 'wechat').catch(() => undefined); // in doubt: no code to show
    const [qr] = kit.orders.payments.forOrder(id);
    expect(qr).toMatchObject({ state: 'pending', qrCode: null });
    // a few seconds later (the QR's own life is minutes), one look: not paid → closed, the order shows it
    kit.clock.now = new Date(kit.clock.now.getTime() + 5_000);
    await kit.outbox.resolveNow();
    expect(kit.pay.calls.filter((c) => !c.startsWith('precreate'))).toEqual([`query ${qr!.outTradeNo}`, `reverse ${qr!.outTradeNo}`]);
    expect(kit.orders.get(id)).toMatchObject({ reason: { code: 'qr-closed' } });
    expect(kit.orders.payments.forOrder(id)[0]!.state).toBe('closed');
  });

  it('self-pay only: the whole amount, nothing to the centre; a refused code leaves it payable', async () => {
    const id = kit.addOrder(5300);
    const view = cash.selfPay(CASHIER, id);
    expect(view).toMatchObject({ state: 'awaiting-payment', settleMode: 'self-pay', split: { cashFen: 5300, fundFen: 0 } });
    kit.pay.micropayAnswers.push('refused');
    const after = await cash.payByCode(CASHIER, id, scan());
    expect(after).toMatchObject({ state: 'awaiting-payment', reason: 'payment-refused' });
    expect(after.detail).toMatch(/可请患者重新付款$/);
    expect((await cash.payByCode(CASHIER, id, scan('134567890123456780'))).state).toBe('completed');
    expect(kit.centre.calls).toEqual([]);
  });
});
