/**
 * 退费 of a completed bill (issue 13 item 2), all parts real: HIS, the NHSA centre and the payment platform as
 * simulators on 127.0.0.1 with their own ledgers, the station's SQLite file and outbox, driven over the loopback
 * host as a screen would. After each, every book is checked on its own (test/harness/books.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OrderView } from '../shared/domain';
import { ok, openOrder, scanCode, settle, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { bookViolations } from '../../test/harness/station-orders';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 100 }, sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

function booksAgree(on: OutpatientHarness = h): void {
  expect(bookViolations(on.dataDir, on.station.training!)).toEqual([]);
}

const waitFor = (orderId: string, state: OrderView['state'], ms = 15_000) =>
  h.c.nextEvent<OrderView>('orderUpdated', (o) => o.id === orderId && o.state === state, ms);

/** What the station's database holds of the order's refunds and their payments. */
function refundRows(orderId: string) {
  const db = new Database(path.join(h.dataDir, 'station.db'), { readonly: true });
  try {
    const refunds = db
      .prepare('SELECT id, state, fund_fen AS fund, acct_fen AS acct, cash_fen AS cash FROM refunds WHERE order_id = ?')
      .all(orderId) as { id: string; state: string; fund: number; acct: number; cash: number }[];
    const payments = db
      .prepare(
        `SELECT p.out_trade_no AS outTradeNo, p.amount_fen AS amount, p.state FROM refund_payments p JOIN refunds r ON r.id = p.refund_id
         WHERE r.order_id = ?`,
      )
      .all(orderId) as { outTradeNo: string; amount: number; state: string }[];
    return { refunds, payments };
  } finally {
    db.close();
  }
}

/** A resident's bill (no personal account: a cash share remains) settled and paid by payment code. */
async function completedByCode(balanceFen = 1_000_000) {
  const rig = h.station.training!;
  const order = await openOrder(h.c, '390');
  const settled = await settle(h.c, order.id);
  const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen });
  const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
  expect(paid.state).toBe('completed');
  return { order: paid, split: settled.split!, wallet };
}

describe('refund of a completed bill (退费)', () => {
  it('a bill paid by QR: HIS approves, 2208 → 2205 → 2202, the cash share back to its wallet once, HIS confirms; every book agrees', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    const settled = await settle(h.c, order.id);
    const split = settled.split!;
    expect(split.cashFen).toBeGreaterThan(0);
    const qr = ok(await h.c.call<OrderView>('payOrderByQr', { orderId: order.id, wallet: 'alipay' })).payments.find(
      (p) => p.mode === 'precreate',
    )!;
    const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    expect(rig.payChannel.control.payQr(qr.qrCode!, wallet.authCode)).toMatchObject({ paid: true });
    await waitFor(order.id, 'completed');
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000 - split.cashFen);
    const infnosBefore = rig.centre.control.messages().length;

    const refunded = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求退费' }));
    expect(refunded.state).toBe('refunded');
    expect(refunded.detail).toContain('患者要求退费');

    // The centre: the settlement cancelled, its fee lines and visit closed, by exactly these transactions.
    expect(
      rig.centre.control
        .messages()
        .slice(infnosBefore)
        .map((m) => m.infno)
        .filter((i) => ['2208', '2205', '2202'].includes(i)),
    ).toEqual(['2208', '2205', '2202']);
    const centre = rig.centre.control.books();
    expect(centre.settlements.find((s) => s.setl_id === settled.setlId)!.state).toBe('cancelled');
    // HIS: its application done, the booking cancelled, the order refunded.
    const his = rig.his.control.books();
    expect(his.refunds).toEqual([expect.objectContaining({ state: 'done' })]);
    expect(his.bookings).toEqual([expect.objectContaining({ orderNo: order.hisOrderNo, state: 'cancelled' })]);
    expect(rig.his.control.order(order.hisOrderNo)).toMatchObject({ state: 'refunded' });
    // The platform: one refund of the QR's own trade, the whole cash share, back in the wallet.
    expect(rig.payChannel.control.refunds()).toEqual([
      expect.objectContaining({ out_trade_no: qr.outTradeNo, refund_fee: split.cashFen, state: 'SUCCESS' }),
    ]);
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000);
    // The refund record: amounts by channel.
    expect(refundRows(order.id)).toEqual({
      refunds: [expect.objectContaining({ state: 'refunded', fund: split.fundFen, acct: split.accountFen, cash: split.cashFen })],
      payments: [{ outTradeNo: qr.outTradeNo, amount: split.cashFen, state: 'refunded' }],
    });
    // Refunded once: a second refund of the same bill is refused before anything is sent.
    const again = await h.c.call('refundOrder', { orderId: order.id, reason: '再退一次' });
    expect(again.ok).toBe(false);
    expect(rig.payChannel.control.refunds()).toHaveLength(1);
    booksAgree();
  });

  it("a refund asked while the payer's message is still being sent waits for it instead of answering busy", async () => {
    const rig = h.station.training!;
    rig.messages.control.inject({ op: 'send', fault: { kind: 'delay', ms: 600 }, times: 1 });
    const { order } = await completedByCode();
    await expect.poll(() => rig.messages.control.requests().length).toBe(1); // the message is out, its answer not yet in
    const refunded = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求退费' }));
    expect(['refunding', 'refunded']).toContain(refunded.state);
    await waitFor(order.id, 'refunded');
    booksAgree();
  });

  it('the bill has its fiscal e-bill at the gateway, once; a whole refund red-flushes it there (AQ-15)', async () => {
    const gateway = h.station.training!.ebill.control;
    const { order } = await completedByCode();
    const issued = await h.c.nextEvent<OrderView>('orderUpdated', (o) => o.id === order.id && o.ebill?.state === 'issued', 15_000);
    const bills = gateway.bills();
    expect(bills).toHaveLength(1);
    expect(bills[0]).toMatchObject({
      billNo: issued.ebill!.no,
      random: issued.ebill!.checkCode,
      totalFen: order.totalFen,
      isScarlet: false,
    });

    ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求退费' }));
    await waitFor(order.id, 'refunded');
    await expect.poll(() => gateway.bills()[0]?.isScarlet, { timeout: 15_000 }).toBe(true);
    const red = gateway.bills()[0]!.red!;
    expect(red.totalFen).toBe(-order.totalFen);
    const view = await h.c.nextEvent<OrderView>('orderUpdated', (o) => o.id === order.id && o.ebill?.state === 'red-flushed', 15_000);
    expect(view.ebill!.red).toMatchObject({ no: red.billNo, checkCode: red.random });
    expect(gateway.bills()).toHaveLength(1);
    booksAgree();
  });

  it("the refund's answer is lost: refundquery finds it, nothing is refunded twice, HIS confirms", async () => {
    const rig = h.station.training!;
    const { order, split, wallet } = await completedByCode();
    rig.payChannel.control.inject({ op: 'refund', fault: { kind: 'drop-response' }, times: 1 });
    const during = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '重复收费' }));
    expect(during.state).toBe('refunding');
    await waitFor(order.id, 'refunded');
    expect(rig.payChannel.control.refunds()).toEqual([expect.objectContaining({ refund_fee: split.cashFen, state: 'SUCCESS' })]);
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000);
    expect(rig.payChannel.control.requests().filter((r) => r.op === 'refundquery').length).toBeGreaterThan(0);
    booksAgree();
  });

  it('killed after the centre cancelled, before the money went back: the restart refunds it and HIS confirms', async () => {
    const rig = () => h.station.training!;
    const { order, split, wallet } = await completedByCode();
    // The platform never hears of the refund: the intent stays in doubt until the stop below.
    rig().payChannel.control.inject({ op: 'refund', fault: { kind: 'drop-request' }, times: 1000 });
    expect(ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '医生开错药' })).state).toBe('refunding');
    expect(
      rig()
        .centre.control.books()
        .settlements.map((x) => x.state),
    ).toEqual(['cancelled']);
    expect(rig().payChannel.control.refunds()).toEqual([]);
    await h.restart(() => {
      // The kill: 2208, 2205 and 2202 recorded; the channel refund's intent not yet written.
      const db = new Database(path.join(h.dataDir, 'station.db'));
      for (const { id } of db.prepare(`SELECT id FROM intents WHERE kind = 'pay.refund' AND order_id = ?`).all(order.id) as {
        id: string;
      }[]) {
        db.prepare('DELETE FROM intent_transitions WHERE intent_id = ?').run(id);
        db.prepare('DELETE FROM intents WHERE id = ?').run(id);
      }
      db.close();
    });
    // Recovery runs at the start, maybe before this client connected: the file says when it is done.
    while (refundRows(order.id).refunds[0]?.state !== 'refunded') await new Promise((r) => setTimeout(r, 20)); // bounded by the test's timeout
    expect(rig().payChannel.control.refunds()).toEqual([expect.objectContaining({ refund_fee: split.cashFen, state: 'SUCCESS' })]);
    expect(rig().payChannel.control.balance(wallet.authCode)).toBe(1_000_000);
    expect(rig().his.control.books().bookings).toEqual([expect.objectContaining({ state: 'cancelled' })]);
    booksAgree();
  });

  it('a self-pay bill: no call to the centre, the payment back on its trade, HIS confirms', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    expect(ok(await h.c.call<OrderView>('selfPayOrder', { orderId: order.id })).state).toBe('awaiting-payment');
    const wallet = rig.payChannel.control.wallet({ channel: 'ALIPAY', balanceFen: 1_000_000 });
    const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
    expect(paid.state).toBe('completed');
    const sent = rig.centre.control.messages().length;
    expect(ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求' })).state).toBe('refunded');
    expect(rig.centre.control.messages().slice(sent)).toEqual([]);
    expect(rig.payChannel.control.refunds()).toEqual([expect.objectContaining({ refund_fee: order.totalFen, state: 'SUCCESS' })]);
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000);
    expect(refundRows(order.id).refunds).toEqual([expect.objectContaining({ state: 'refunded', fund: 0, acct: 0, cash: order.totalFen })]);
    booksAgree();
  });

  it('HIS refuses (drugs already dispensed): nothing moves anywhere, the bill stands', async () => {
    const rig = h.station.training!;
    const { order, wallet, split } = await completedByCode();
    rig.his.control.dispense(order.hisOrderNo);
    const refused = await h.c.call('refundOrder', { orderId: order.id, reason: '患者要求' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('药品已发放') } });
    const after = ok(await h.c.call<OrderView[]>('listTodayOrders', {})).find((o) => o.id === order.id)!;
    expect(after.state).toBe('completed');
    expect(rig.centre.control.messages().some((m) => m.infno === '2208')).toBe(false);
    expect(rig.payChannel.control.refunds()).toEqual([]);
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000 - split.cashFen);
    expect(rig.his.control.books().refunds).toEqual([]);
    expect(refundRows(order.id).refunds).toEqual([expect.objectContaining({ state: 'refused' })]);
    booksAgree();
  });

  it('the centre refuses the 2208: HIS takes its application back, no money moves, the bill stands', async () => {
    const rig = h.station.training!;
    const { order } = await completedByCode();
    rig.centre.control.inject({ infno: '2208', fault: { kind: 'business-error', errMsg: '结算已清算，不能撤销' }, times: 1 });
    const refused = await h.c.call('refundOrder', { orderId: order.id, reason: '患者要求' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('结算已清算') } });
    expect(rig.his.control.books().refunds).toEqual([expect.objectContaining({ state: 'withdrawn' })]);
    expect(rig.his.control.books().bookings).toEqual([expect.objectContaining({ state: 'settled' })]);
    expect(rig.payChannel.control.refunds()).toEqual([]);
    booksAgree();
  });
});
