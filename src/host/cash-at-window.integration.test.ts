/**
 * Cash at the window (issue 13 item 3), all parts real: HIS, the NHSA centre and the payment platform as simulators
 * on 127.0.0.1 with their own ledgers, the station's SQLite file and outbox, driven over the loopback host as the
 * screen would. A cash payment books at HIS once with a cash line and nothing at the platform; its refund pays the
 * cash back from the drawer (现金退款 on the slip); the shift close counts both and records the drawer count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/domain';
import type { OperationOutputs } from '../shared/api';
import type { ShiftView } from '../shared/shifts';
import { receiptHtml } from '../station/receipts';
import { ok, openOrder, settle, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { bookViolations } from '../../test/harness/station-orders';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 100 }, sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

describe('cash at the window (现金)', () => {
  it('takes the cash share with change, HIS books one cash line, nothing at the platform; the refund pays it back; the shift counts the drawer', async () => {
    const rig = h.station.training!;
    const shift = ok(await h.c.call<ShiftView>('currentShift', {}));
    const order = await openOrder(h.c, '390');
    const split = (await settle(h.c, order.id)).split!;
    expect(split.cashFen).toBeGreaterThan(0);

    const tooLittle = await h.c.call<OrderView>('payOrderByCash', { orderId: order.id, tenderedFen: split.cashFen - 1 });
    expect(tooLittle).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const tendered = split.cashFen + 10_000 - (split.cashFen % 10_000); // the next 100-yuan note up
    const paid = ok(await h.c.call<OrderView>('payOrderByCash', { orderId: order.id, tenderedFen: tendered }));
    expect(paid.state).toBe('completed');
    expect(paid.payments).toEqual([
      expect.objectContaining({
        mode: 'cash',
        wallet: 'cash',
        state: 'paid',
        cash: { tenderedFen: tendered, changeFen: tendered - split.cashFen },
      }),
    ]);
    const booked = rig.his.control.books().bookings.filter((b) => b.orderNo === order.hisOrderNo);
    expect(booked).toHaveLength(1);
    expect(booked[0]!.payments).toEqual([expect.objectContaining({ channel: 'cash', amountFen: split.cashFen })]);
    expect(rig.payChannel.control.books().trades).toEqual([]);
    expect(bookViolations(h.dataDir, rig)).toEqual([]);

    const refunded = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求退费' }));
    expect(refunded.state).toBe('refunded');
    expect(rig.payChannel.control.books().refunds).toEqual([]);
    expect(bookViolations(h.dataDir, rig)).toEqual([]);
    const slip = ok(await h.c.call<OperationOutputs['printReceipt']>('printReceipt', { orderId: order.id }));
    expect(slip.receipt.refund?.payments).toEqual([expect.objectContaining({ wallet: 'cash', amountFen: split.cashFen })]);
    expect(receiptHtml(slip.receipt, { paper: '80mm' })).toContain('现金退款');

    const floatFen = 50_000;
    const closed = ok(await h.c.call<ShiftView>('closeShift', { shiftId: shift.id, drawer: { countedFen: floatFen - 100, floatFen } }));
    expect(closed.summary.channels.find((c) => c.channel === 'cash')).toEqual({
      channel: 'cash',
      count: 1,
      amountFen: split.cashFen,
      refundCount: 1,
      refundFen: split.cashFen,
    });
    expect(closed.drawer).toEqual({ countedFen: floatFen - 100, floatFen, expectedFen: floatFen, differenceFen: -100 });
  });

  it('a bank card on the training POS terminal: one charge in its ledger, HIS books a card line; the refund goes back by 退货; every book agrees', async () => {
    const rig = h.station.training!;
    expect(rig.pos).not.toBeNull();
    const order = await openOrder(h.c, '390');
    const split = (await settle(h.c, order.id)).split!;
    const paid = ok(await h.c.call<OrderView>('payOrderByCard', { orderId: order.id }));
    expect(paid.state).toBe('completed');
    expect(paid.payments).toEqual([expect.objectContaining({ mode: 'card', wallet: 'card', state: 'paid', amountFen: split.cashFen })]);
    const sales = [...rig.pos!.ledger.values()].filter((e) => e.kind === 'sale');
    expect(sales).toEqual([expect.objectContaining({ ref: paid.payments[0]!.outTradeNo, amountFen: split.cashFen, state: 'charged' })]);
    const booked = rig.his.control.books().bookings.filter((b) => b.orderNo === order.hisOrderNo);
    expect(booked[0]!.payments).toEqual([expect.objectContaining({ channel: 'card', amountFen: split.cashFen })]);
    expect(rig.payChannel.control.books().trades).toEqual([]);
    expect(bookViolations(h.dataDir, rig)).toEqual([]);

    // 退费: the card gets the share back by the terminal's 退货, once.
    expect(ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求退费' })).state).toBe('refunded');
    const refunds = [...rig.pos!.ledger.values()].filter((e) => e.kind === 'refund');
    expect(refunds).toEqual([expect.objectContaining({ origRef: sales[0]!.ref, amountFen: split.cashFen })]);
    expect(rig.pos!.chargedFen()).toBe(0);
    expect(bookViolations(h.dataDir, rig)).toEqual([]);
  });
});
