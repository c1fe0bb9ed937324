/**
 * Every final money movement of a real outpatient bill becomes a ledger event (issue 14): a training station on the
 * loopback host with the simulated centre, HIS and payment platform, a bill settled, paid by payment code, then
 * refunded. The events are read from the station's SQLite file and matched against the order's own split; after
 * a restart the embedded ledger holds each of them once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OrderView } from '../shared/domain';
import { ok, openOrder, scanCode, settle, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

/** Money back, as the ledger signs it (0 stays 0). */
const neg = (fen: number) => (fen === 0 ? 0 : -fen);

interface EventRow {
  seq: number;
  kind: string;
  body: string;
}

function read<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(h.dataDir, 'station.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('ledger events of a real bill', () => {
  it('registration, settlement, payment and HIS booking, then the refund legs: each once, amounts in fen as the order says', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    const settled = await settle(h.c, order.id);
    const split = settled.split!;
    const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
    expect(paid.state).toBe('completed');
    const refunded = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求退费' }));
    expect(refunded.state).toBe('refunded');

    const rows = read<EventRow>('SELECT seq, kind, body FROM ledger_events WHERE order_id = ? ORDER BY seq', order.id);
    const events = rows.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(rows.map((r) => r.kind)).toEqual([
      'registration',
      'settlement',
      'payment',
      'his-booking',
      'refund-settlement-cancel',
      'registration-cancel', // the refund's undo closes the visit (2202); its fee cancel (2205) moves no money
      'refund-payment',
      'refund-his-confirm',
    ]);
    const byKind = (kind: string) => events.find((e) => e.kind === kind)!;
    const legs = { total: split.totalFen, fund: split.fundFen, pool: split.poolFen, account: split.accountFen, cash: split.cashFen };
    expect(byKind('settlement')).toMatchObject({
      stationId: h.station.config.stationId,
      hisOrderNo: order.hisOrderNo,
      channel: 'nhsa',
      amounts: legs,
      ids: { setlId: settled.setlId },
      insurance: { insutype: '390', clrType: '11' },
      v: 1,
    });
    expect((byKind('settlement').insurance as { region: string }).region).toMatch(/^\d{6}$/);
    expect(byKind('payment').insurance).toBeUndefined();
    const payment = paid.payments.find((p) => p.state === 'paid')!;
    expect(byKind('payment')).toMatchObject({
      channel: 'wechat',
      amounts: { cash: split.cashFen },
      ids: { outTradeNo: payment.outTradeNo },
    });
    expect(byKind('his-booking')).toMatchObject({ channel: 'his', amounts: { total: split.totalFen, cash: split.cashFen } });
    expect(byKind('refund-settlement-cancel')).toMatchObject({
      amounts: { total: neg(split.totalFen), fund: neg(split.fundFen), cash: neg(split.cashFen) },
      ids: { setlId: settled.setlId },
    });
    expect(byKind('refund-payment')).toMatchObject({
      channel: 'wechat',
      amounts: { cash: neg(split.cashFen) },
      ids: { outTradeNo: payment.outTradeNo },
    });
    expect(events.every((e) => typeof e.operatorId === 'string' && e.eventId && e.at)).toBe(true);
    // the refund's money steps name the station's 退费 (what the hospital's refunds list groups by); nothing else does
    const refundOf = (e: Record<string, unknown>) => (e.ids as { stationRefundId?: string }).stationRefundId;
    const refundSteps = ['refund-settlement-cancel', 'refund-payment', 'refund-his-confirm'];
    const keys = new Set(refundSteps.map((k) => refundOf(byKind(k))));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/\S/);
    expect(events.filter((e) => !refundSteps.includes(e.kind as string)).map(refundOf)).toEqual(Array(5).fill(undefined));

    // The running station ships at its own pace; a start ships the whole backlog at once, in order, and a stop
    // waits for that shipment.
    await h.restart();
    await h.restart(() => {
      const held = read<{ station_seq: number; event_id: string }>('SELECT station_seq, event_id FROM station_events ORDER BY id');
      const all = read<{ seq: number; event_id: string }>('SELECT seq, event_id FROM ledger_events ORDER BY seq');
      expect(held.length).toBeGreaterThanOrEqual(rows.length);
      expect(held.map((r) => [r.station_seq, r.event_id])).toEqual(all.map((r) => [r.seq, r.event_id]));
      expect(read<{ n: number }>('SELECT COUNT(*) AS n FROM ledger_events WHERE shipped_at IS NULL')[0]!.n).toBe(0);
    });
  });
});
