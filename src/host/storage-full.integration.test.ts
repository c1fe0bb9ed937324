/**
 * The station's disk fills up during settlements (issue 11): SQLite's own limit on the station's real file
 * (`PRAGMA max_page_count` just above its size, on the station's connection: SQLITE_FULL as a full disk gives
 * it), real simulators, real scan box. The screens see the storage alarm, nothing crashes or rejects unhandled,
 * and once the limit is raised the alarm clears and every order can be finished with the books consistent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../station/store';
import type { OrderView, OutboxSummary, PatientView, StorageAlarmView } from '../shared/domain';
import { POPULATION } from '../simulators/nhsa';
import { ok, scanCode, startOutpatientHarness, type OutpatientHarness } from '../../test/harness/outpatient-harness';
import { checkBooks } from '../../test/harness/books';
import { stationOrders } from '../../test/harness/station-orders';

let h: OutpatientHarness;
let db: Db | null = null;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeEach(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startOutpatientHarness({ onDatabase: (d) => (db = d), sweepEveryMs: 200 });
  PEOPLE = h.station
    .training!.his.control.patients()
    .filter((p) => p.psn_no && POPULATION.some((q) => q.idNo === p.id_no && q.insurances[0]?.psnInsuStas === '1'))
    .slice(0, 4)
    .map((p) => ({ idNo: p.id_no }));
  expect(PEOPLE).toHaveLength(4);
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h.close();
});

/** Four insured patients HIS knows (ID numbers), as the chaos run picks them. */
let PEOPLE: { idNo: string }[] = [];

/** The doctor prescribes again for the patient: a second open order at HIS. */
function prescribeFor(idNo: string) {
  const his = h.station.training!.his.control;
  const patient = his.patients().find((p) => p.id_no === idNo)!;
  his.prescribe({ patientId: patient.patient_id, prescriptions: [{ lines: [{ hospCode: 'Y0001', quantity: '2' }] }] });
}

/** The patient's order at the window, as far as the station lets it go now; every refusal is returned, not thrown. */
async function tryToSettle(certNo: string): Promise<{ orderId: string | null; failed: string | null }> {
  const patient = await h.c.call<PatientView>('identifyPatient', { method: 'idcard', certNo });
  if (!patient.ok) return { orderId: null, failed: patient.error.code };
  const orders = await h.c.call<OrderView[]>('listOrders', { identificationId: patient.value.identificationId });
  if (!orders.ok) return { orderId: null, failed: orders.error.code };
  const order = orders.value.find((o) => o.state === 'open') ?? orders.value[0]!;
  const previewed = await h.c.call<OrderView>('preSettleOrder', { orderId: order.id });
  if (!previewed.ok) return { orderId: order.id, failed: previewed.error.code };
  const settled = await h.c.call<OrderView>('settleOrder', { orderId: order.id });
  if (!settled.ok) return { orderId: order.id, failed: settled.error.code };
  if (settled.value.state !== 'awaiting-payment') return { orderId: order.id, failed: null };
  const paid = await payByCode(order.id);
  return { orderId: order.id, failed: paid.ok ? null : paid.error.code };
}

async function payByCode(orderId: string) {
  const wallet = h.station.training!.payChannel.control.wallet({ channel: 'WECHAT', balanceFen: 1_000_000 });
  return h.c.call<OrderView>('payOrderByCode', { orderId, scanId: await scanCode(h, wallet.authCode) });
}

const orderView = async (orderId: string) => ok(await h.c.call<OrderView[]>('listTodayOrders', {})).find((o) => o.id === orderId)!;

/** After the disk has room again: each order taken from wherever it stopped to completed, as a cashier would. */
async function finish(orderId: string): Promise<OrderView> {
  for (let step = 0; step < 12; step++) {
    const o = await orderView(orderId);
    if (o.state === 'completed') return o;
    if (o.state === 'open' || o.state === 'previewed') {
      ok(await h.c.call('preSettleOrder', { orderId }));
      ok(await h.c.call('settleOrder', { orderId }));
    } else if (o.state === 'awaiting-payment') ok(await payByCode(orderId));
    else await h.c.nextEvent<OrderView>('orderUpdated', (u) => u.id === orderId && u.state !== o.state, 20_000);
  }
  throw new Error(`order ${orderId} did not complete`);
}

describe('the station disk fills up during settlements', () => {
  // How many pages are left decides where the settlements stop: at identification, at 2201–2206, at 2207 or the payment.
  it.each([1, 3, 5])(
    '%i page(s) left: the storage alarm, no crash, nothing unrecorded sent; cleared when writes work; every order ends consistent',
    async (left) => {
      const orderIds: string[] = [];
      for (const p of PEOPLE.slice(0, 2)) {
        const r = await tryToSettle(p.idNo);
        expect(r.failed).toBeNull();
        orderIds.push(r.orderId!);
      }

      const station = db!;
      const pages = station.pragma('page_count', { simple: true }) as number;
      station.pragma(`max_page_count = ${pages + left}`);
      const refused: string[] = [];
      for (const p of PEOPLE.slice(0, 2)) prescribeFor(p.idNo);
      for (const p of [...PEOPLE.slice(2), ...PEOPLE.slice(0, 2)]) {
        const r = await tryToSettle(p.idNo);
        if (r.orderId) orderIds.push(r.orderId);
        if (r.failed) refused.push(r.failed);
      }
      expect(refused).toContain('STORAGE_FAILED'); // the cashier is told the station cannot save, not "internal error"
      const alarm = await h.c.nextEvent<StorageAlarmView>('storageAlarm', (a) => a.failing);
      expect(alarm.code).toBe('SQLITE_FULL');
      expect(ok(await h.c.call<StorageAlarmView>('storageStatus', {}))).toMatchObject({ failing: true, code: 'SQLITE_FULL' });

      const raised = h.c.events.length;
      station.pragma('max_page_count = 1073741823');
      await expect.poll(async () => ok(await h.c.call<StorageAlarmView>('storageStatus', {})).failing, { timeout: 15_000 }).toBe(false);
      expect(h.c.events.slice(raised)).toContainEqual({ event: 'storageAlarm', payload: { failing: false, code: null, since: null } });

      // Whatever the full disk left in doubt is resolved by the station itself before the cashier goes on.
      await expect
        .poll(async () => ok(await h.c.call<OutboxSummary>('outboxSummary', {})), { timeout: 30_000, interval: 200 })
        .toEqual({ inDoubt: 0, escalated: 0 });
      for (const p of PEOPLE) {
        const patient = ok(await h.c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: p.idNo }));
        for (const o of ok(await h.c.call<OrderView[]>('listOrders', { identificationId: patient.identificationId })))
          if (!orderIds.includes(o.id) && o.state !== 'open') orderIds.push(o.id);
      }
      for (const id of orderIds) expect((await finish(id)).state).toBe('completed');

      const rig = h.station.training!;
      const books = { centre: rig.centre.control.books(), his: rig.his.control.books(), pay: rig.payChannel.control.books() };
      expect(checkBooks(stationOrders(station), books)).toEqual([]);
      expect(unhandled).toEqual([]);

      // The refusals are in the log, without the patients' ID numbers.
      const logDir = path.join(h.dataDir, 'logs');
      const logText = fs
        .readdirSync(logDir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'))
        .join('');
      expect(logText).toContain('SQLITE_FULL');
      for (const p of PEOPLE) expect(logText).not.toContain(p.idNo);
    },
  );
});
