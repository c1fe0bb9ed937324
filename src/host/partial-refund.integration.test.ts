/**
 * 部分退费 (issue 13 item 2, by line), all parts real: HIS, the NHSA centre and the payment platform as simulators on
 * 127.0.0.1 with their own ledgers, the station's SQLite file and outbox, driven over the loopback host as the
 * order drawer would. Every book is checked on its own afterwards (test/harness/books.ts): one live settlement at
 * the centre, one live booking at HIS, the platform's money — all of what remains.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OrderView, ReceiptView } from '../shared/domain';
import { ok, openOrder, scanCode, settle, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { bookViolations } from '../../test/harness/station-orders';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 100 }, sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

/** A resident's bill of several lines (a cash share remains) settled and paid by payment code. */
async function completedByCode() {
  const rig = h.station.training!;
  const order = await openOrder(h.c, '390');
  expect(order.lines.length).toBeGreaterThan(1);
  const settled = await settle(h.c, order.id);
  const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
  const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
  expect(paid.state).toBe('completed');
  return { order: paid, split: settled.split!, wallet };
}

describe('refund by line (部分退费)', () => {
  it('the last line back: 2208 → 2205 → 2204 → 2207 of the rest, the difference back to the wallet, HIS books the rest; every book agrees', async () => {
    const rig = h.station.training!;
    const { order, split, wallet } = await completedByCode();
    const line = order.lines.at(-1)!;
    const before = rig.centre.control.messages().length;

    const after = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求', lines: [line.seq] }));

    expect(after).toMatchObject({ state: 'completed', totalFen: order.totalFen - line.amountFen });
    expect(after.lines.map((l) => l.seq)).toEqual(order.lines.slice(0, -1).map((l) => l.seq));
    expect(
      rig.centre.control
        .messages()
        .slice(before)
        .map((m) => m.infno)
        .filter((i) => !i.startsWith('5')),
    ).toEqual(['2208', '2205', '2204', '2207']);
    const back = split.cashFen - after.split!.cashFen;
    expect(back).toBeGreaterThan(0);
    expect(rig.payChannel.control.refunds()).toEqual([expect.objectContaining({ refund_fee: back, state: 'SUCCESS' })]);
    expect(rig.payChannel.control.balance(wallet.authCode)).toBe(1_000_000 - after.split!.cashFen);
    const bookings = rig.his.control.books().bookings.filter((b) => b.orderNo === order.hisOrderNo);
    expect(bookings.map((b) => [b.state, b.medfeeFen, b.cashFen])).toEqual([
      ['cancelled', order.totalFen, split.cashFen],
      ['settled', after.totalFen, after.split!.cashFen],
    ]);
    expect(rig.his.control.order(order.hisOrderNo)).toMatchObject({ state: 'paid', total_fen: after.totalFen });
    // The slip: the rest's settlement, and the refunded line with what went back.
    const slip = ok(await h.c.call<ReceiptView>('getReceipt', { orderId: order.id }));
    expect(slip).toMatchObject({ title: '门诊医保结算单', totalFen: after.totalFen, setlId: after.setlId });
    expect(slip.refund).toMatchObject({ lines: [{ seq: line.seq, amountFen: line.amountFen }], cashFen: back });
    expect(bookViolations(h.dataDir, rig)).toEqual([]);
  });

  it('a dispensed line is refused by HIS in its words; nothing moves anywhere', async () => {
    const rig = h.station.training!;
    const { order } = await completedByCode();
    // The pharmacy hands out the first line, as HIS names it (the station keeps HIS's prescription and line number).
    const db = new Database(path.join(h.dataDir, 'station.db'), { readonly: true });
    const first = db
      .prepare('SELECT rx_no, his_line_no AS line_no FROM outpatient_order_lines WHERE order_id = ? AND seq = ?')
      .get(order.id, order.lines[0]!.seq) as { rx_no: string; line_no: number };
    db.close();
    rig.his.control.dispense(order.hisOrderNo, [first]);
    const before = rig.centre.control.messages().length;

    const refused = await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求', lines: [order.lines[0]!.seq] });

    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain('已发药');
    expect(rig.centre.control.messages().length).toBe(before);
    expect(rig.payChannel.control.refunds()).toEqual([]);
    expect(bookViolations(h.dataDir, rig)).toEqual([]);
  });
});
