/**
 * AQ-06, HIS's side of a 部分退费: the station's training core with HIS, the NHSA centre and the payment platform as
 * simulators on 127.0.0.1. A resident's bill settled and paid by payment code, its last line refunded: HIS cancels
 * the booking and books the rest under the station's new settle id (refund.confirm). The day's reconciliation
 * (runReconciliation) finds HIS's booking of the rest as the station's — named by its confirm, with the amounts of
 * the rest's resettlement (2207) — so the day balances on every side; HIS made to book the rest with another amount
 * is named as differing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../src/shared/domain';
import type { ReconciliationRunView } from '../../src/shared/reconciliation';
import { TRAINING_PASSWORD } from '../../src/station/auth/training-operators';
import { localDay } from '../../src/station/clock';
import { ok, openOrder, scanCode, settle, startOutpatientHarness, type OutpatientHarness } from '../harness/outpatient-harness';

let h: OutpatientHarness;
beforeEach(async () => {
  h = await startOutpatientHarness({ qr: { ttlMs: 60_000, pollEveryMs: 100 }, sweepEveryMs: 200 });
});
afterEach(async () => {
  await h.close();
});

const count = (table: string) => (h.station.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

async function reconcileToday(): Promise<ReconciliationRunView> {
  // The day's events shipped to the ledger the run reads.
  await expect.poll(() => count('station_events') === count('ledger_events'), { timeout: 20_000 }).toBe(true);
  const session = h.station.core.openSession('ws');
  expect(await h.station.core.dispatch(session, 'login', { login: 'admin', password: TRAINING_PASSWORD })).toMatchObject({ ok: true });
  const run = await h.station.core.dispatch(session, 'runReconciliation', { day: localDay(new Date(), 'Asia/Shanghai') });
  expect(run).toMatchObject({ ok: true });
  return (run as { value: ReconciliationRunView }).value;
}

describe('a partial refund in HIS’s day account (AQ-06)', () => {
  it('HIS’s booking of the rest is the station’s: every side balances; booked with another amount, it differs', async () => {
    const rig = h.station.training!;
    const order = await openOrder(h.c, '390');
    await settle(h.c, order.id);
    const wallet = rig.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
    const paid = ok(await h.c.call<OrderView>('payOrderByCode', { orderId: order.id, scanId: await scanCode(h, wallet.authCode) }));
    const line = paid.lines.at(-1)!;
    const rest = ok(await h.c.call<OrderView>('refundOrder', { orderId: order.id, reason: '患者要求', lines: [line.seq] }));
    const bookings = rig.his.control.books().bookings.filter((b) => b.orderNo === order.hisOrderNo);
    expect(bookings.map((b) => [b.state, b.medfeeFen])).toEqual([
      ['cancelled', paid.totalFen],
      ['settled', rest.totalFen],
    ]);

    const run = await reconcileToday();
    expect(run.his).toEqual({ balanced: true, error: null, hisBookings: 2, ledgerBookings: 2, differences: [] });
    expect(run.outcome).toBe('balanced');

    const restId = bookings[1]!.settleId;
    rig.his.control.disagree(restId, { medfeeFen: rest.totalFen + 100 });
    const differing = await reconcileToday();
    expect(differing.his?.differences.map((d) => [d.kind, d.settleId, d.hisMedfeeFen, d.ledgerMedfeeFen, d.orderId])).toEqual([
      ['differ', restId, rest.totalFen + 100, rest.totalFen, order.id],
    ]);
  }, 60_000);
});
