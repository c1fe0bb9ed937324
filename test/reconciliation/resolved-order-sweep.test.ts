/**
 * Issue 14 item 3, after the office's 2208: the drill-down cancels a settlement the ledger lost under its own
 * movement ('recon-<setl_id>'), so the station's order it came from still waits for its cash share. This proves the
 * station's normal sweep cleans it up: when the order's pay window passes, its undo sends 2208 again (the centre
 * refuses, 5204 shows the settlement gone: counted as done), then 2205 and 2202, and the order ends expired with
 * nothing left open in the outbox — the whole training station on 127.0.0.1, real SQLite, real simulators.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../src/shared/domain';
import type { ReconciliationRunView, ReconResolutionView } from '../../src/shared/reconciliation';
import { localDay } from '../../src/station/clock';
import { TRAINING_PASSWORD } from '../../src/station/auth/training-operators';
import { openDatabase } from '../../src/station/store';
import { centreInfnos, ok, openOrder, settle, startOutpatientHarness, type OutpatientHarness } from '../harness/outpatient-harness';
import { connect, type TestClient } from '../harness/ws-test-client';

let h: OutpatientHarness;
let admin: TestClient;

beforeEach(async () => {
  // A short pay window and a quick sweep: the order the office's 2208 left behind expires within the test.
  h = await startOutpatientHarness({ payWindowMs: 10_000, sweepEveryMs: 100 });
  admin = await connect(h.host);
  ok(await admin.call('login', { login: 'admin', password: TRAINING_PASSWORD }));
});

afterEach(async () => {
  admin.close();
  await h.close();
});

describe('the station order behind a settlement the office cancelled', () => {
  it('still awaiting payment after the 2208; its pay window passed, the sweep undoes the rest and expires it', async () => {
    const db = openDatabase(path.join(h.dataDir, 'station.db'));
    const settlementEvents = (orderId: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM station_events WHERE order_id = ? AND kind = 'settlement'`).get(orderId) as { n: number }).n;
    const stateOf = async (orderId: string) => ok(await h.c.call<OrderView[]>('listTodayOrders', {})).find((o) => o.id === orderId)?.state;
    try {
      const kept = await settle(h.c, (await openOrder(h.c, '390')).id);
      ok(await h.c.call('payOrderByCash', { orderId: kept.id, tenderedFen: 1_000_000 }));
      const lost = await settle(h.c, (await openOrder(h.c, '390', 1)).id);
      await expect.poll(() => settlementEvents(lost.id), { timeout: 20_000 }).toBe(1);
      db.exec('DROP TRIGGER station_events_kept');
      db.prepare(`DELETE FROM station_events WHERE order_id = ? AND kind = 'settlement'`).run(lost.id);

      const run = ok(await admin.call<ReconciliationRunView>('runReconciliation', { day: localDay(new Date(), 'Asia/Shanghai') }));
      expect(run.differences).toEqual([expect.objectContaining({ kind: 'centre-only', setlId: lost.setlId })]);
      const done = ok(
        await admin.call<ReconResolutionView>('resolveReconDifference', { runId: run.id, key: lost.setlId, reason: '工作站离线漏传' }),
      );
      expect(done.resolution).toBe('cancelled');
      // The office's 2208 went under its own movement: the order still waits for its cash share.
      expect(await stateOf(lost.id)).toBe('awaiting-payment');
      const sentBefore = centreInfnos(h).length;

      await expect.poll(() => stateOf(lost.id), { timeout: 30_000 }).toBe('expired');
      const sent = centreInfnos(h).slice(sentBefore);
      expect(sent).toEqual(expect.arrayContaining(['2208', '5204', '2205', '2202']));
      expect(h.station.training!.centre.control.messages().filter((m) => m.infno === '2208')).toHaveLength(2);
      expect(await stateOf(kept.id)).toBe('completed');
      const open = db.prepare(`SELECT COUNT(*) AS n FROM intents WHERE state NOT IN ('succeeded', 'failed')`).get() as { n: number };
      expect(open.n).toBe(0);
      const again = ok(await admin.call<ReconciliationRunView>('runReconciliation', { day: localDay(new Date(), 'Asia/Shanghai') }));
      expect({ outcome: again.outcome, differences: again.differences }).toEqual({ outcome: 'balanced', differences: [] });
    } finally {
      db.close();
    }
  }, 90_000);
});
