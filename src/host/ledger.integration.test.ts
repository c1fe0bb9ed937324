/**
 * The lists through the real core (issue 13 items 4–5): orders written into the station's own database file
 * beside it, then searched, opened and exported through the dispatcher as the admin screen calls them — a cashier
 * sees the patient masked, the admin in full, a doctor may not list at all; an export runs on after its call,
 * reports its progress to the windows and ends as a 0600 file in the data dir's exports/, audited; only the
 * operator who started an export may cancel it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStationFromConfig, type ComposedStation } from '../app/compose';
import { TRAINING_PASSWORD } from '../station/auth/training-operators';
import type { StationEventMap } from '../shared/api';
import type { OrderPage } from '../shared/ledger';
import { FieldCipher, loadOrCreateDataKeys } from '../station/security';
import { openDatabase } from '../station/store';
import { seedOrders, seedPerson } from '../station/ledger/testing/seed-orders';

const KDF = { N: 2 ** 14, r: 8, p: 1 };
const COUNT = 2_000;

let dataDir: string;
let station: ComposedStation | undefined;

afterEach(async () => {
  await station?.close();
  station = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function open(): Promise<ComposedStation> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-ledger-'));
  const clock = { now: () => new Date('2026-12-20T02:00:00Z'), timeZone: 'Asia/Shanghai' };
  station = await createStationFromConfig({ dataDir, training: true, shell: 'browser', kdfCost: KDF, nhsaTimeoutMs: 3000, clock });
  const db = openDatabase(path.join(dataDir, 'station.db'));
  try {
    const cipher = new FieldCipher(loadOrCreateDataKeys(path.join(dataDir, 'keys')));
    seedOrders(db, cipher, { count: COUNT, start: new Date('2026-11-30T16:00:00Z'), stepMs: 600_000, persons: 50 });
  } finally {
    db.close();
  }
  return station;
}

async function signedIn(s: ComposedStation, login: string) {
  const session = s.core.openSession('ws');
  const progress: StationEventMap['exportProgress'][] = [];
  s.core.subscribe(session, (event, payload) => {
    if (event === 'exportProgress') progress.push(payload as StationEventMap['exportProgress']);
  });
  const call = (op: string, input: unknown = {}) => s.core.dispatch(session, op, input);
  expect(await call('login', { login, password: TRAINING_PASSWORD })).toMatchObject({ ok: true });
  return { call, progress };
}

const filter = { from: '2026-12-01', to: '2026-12-31' };

describe('the lists through the core', () => {
  it('a cashier sees the patient masked, the admin in full, a doctor not at all; fee lines of a row', async () => {
    const s = await open();
    const cashier = await signedIn(s, 'sf001');
    const admin = await signedIn(s, 'admin');
    const doctor = await signedIn(s, 'ys001');
    const p0 = seedPerson(0);
    const asCashier = await cashier.call('searchOrders', { filter, sort: 'time-asc', limit: 20 });
    const asAdmin = await admin.call('searchOrders', { filter, sort: 'time-asc', limit: 20 });
    expect(asCashier).toMatchObject({ ok: true, value: { total: COUNT } });
    expect(asAdmin).toMatchObject({ ok: true, value: { total: COUNT } });
    const c = (asCashier as { value: OrderPage }).value.rows[0]!;
    const a = (asAdmin as { value: OrderPage }).value.rows[0]!;
    expect(a).toMatchObject({ id: 'o-0000000', patientName: p0.name, certNo: p0.certNo });
    expect(c.id).toBe('o-0000000');
    expect(c.patientName).not.toContain(p0.name.slice(1));
    expect(c.certNo).not.toBe(p0.certNo);
    expect(await doctor.call('searchOrders', { filter })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await admin.call('searchOrders', { filter: { from: '2026-12-31', to: '2026-12-01' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(await admin.call('orderFeeLines', { orderId: 'o-0000003' })).toMatchObject({
      ok: true,
      value: [{ seq: 1, name: '阿莫西林胶囊' }],
    });
    expect(await admin.call('orderFeeLines', { orderId: 'o-none' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('an export runs after its call, tells its progress, ends as a 0600 file in exports/ and is audited', async () => {
    const s = await open();
    const admin = await signedIn(s, 'admin');
    const cashier = await signedIn(s, 'sf001');
    const started = await admin.call('exportOrders', { filter, format: 'csv' });
    expect(started).toMatchObject({ ok: true, value: { total: COUNT } });
    const { exportId } = (started as { value: { exportId: string } }).value;
    // another operator cannot stop it
    expect(await cashier.call('cancelExport', { exportId })).toEqual({ ok: true, value: { cancelled: false } });
    await vi.waitFor(() => expect(admin.progress.at(-1)?.state).toBe('finished'), { timeout: 20_000 });
    const end = admin.progress.at(-1)!;
    expect(end).toMatchObject({ exportId, operatorId: 'admin', done: COUNT, total: COUNT });
    expect(path.dirname(end.file!)).toBe(path.join(dataDir, 'exports'));
    expect(fs.statSync(end.file!).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(end.file!, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(COUNT + 1);
    const audit = await admin.call('listAudit', { limit: 20 });
    const rows = (audit as { value: { action: string; operatorId: string; outcome: string; detail: string }[] }).value;
    expect(rows.find((r) => r.action === 'ledger.export')).toMatchObject({ operatorId: 'admin', outcome: 'ok' });
    expect(rows.find((r) => r.action === 'ledger.export')!.detail).toContain(`csv ${COUNT} rows`);
  });
});
