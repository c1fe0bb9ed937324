/**
 * A training station on a loopback host with a signed-in cashier, for outpatient tests that drive the core as
 * the screens do: the real simulators, the real scan box on a pty, the real SQLite file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ComposeOptions, ComposedStation } from '../../src/app/compose';
import { startStationCore } from '../../src/app/core-entry';
import { startLoopbackHost, type LoopbackHost } from '../../src/host/loopback-host';
import { connect, type TestClient } from './ws-test-client';
import { TRAINING_PASSWORD } from '../../src/station/auth/training-operators';
import { POPULATION } from '../../src/simulators/nhsa';
import type { OrderView, PatientView, ScanEvent } from '../../src/shared/domain';

export interface OutpatientHarness {
  dataDir: string;
  station: ComposedStation;
  host: LoopbackHost;
  c: TestClient;
  /** Stops the station (as a stop or a crash would leave it), lets `meanwhile` act on the data dir, starts it again. */
  restart(meanwhile?: () => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startOutpatientHarness(options: Partial<ComposeOptions> = {}, login = 'sf001'): Promise<OutpatientHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-outpatient-'));
  const start = async () => {
    const station = await startStationCore({
      dataDir,
      training: true,
      shell: 'browser',
      kdfCost: { N: 2 ** 14, r: 8, p: 1 },
      nhsaTimeoutMs: 2000,
      ...options,
    });
    const host = await startLoopbackHost({ core: station.core, rendererDir: path.join(dataDir, 'none') });
    const c = await connect(host);
    ok(await c.call('login', { login, password: TRAINING_PASSWORD }));
    return { station, host, c };
  };
  const stop = async (h: OutpatientHarness) => {
    h.c.close();
    await h.host.close();
    await h.station.close();
  };
  const h: OutpatientHarness = {
    dataDir,
    ...(await start()),
    async restart(meanwhile) {
      await stop(h);
      await meanwhile?.();
      Object.assign(h, await start());
    },
    async close() {
      await stop(h);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

export const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** A local insured person of the training population by insurance type (310 employee, 390 resident). */
export function localPerson(insutype: '310' | '390', skip = 0) {
  const people = POPULATION.filter(
    (p) => p.insurances[0]?.insuplcAdmdvs === '350200' && p.insurances[0]?.insutype === insutype && p.insurances[0]?.psnInsuStas === '1',
  );
  const person = people[skip];
  if (!person) throw new Error(`no local ${insutype} person #${skip}`);
  return person;
}

/** Identify by ID card and list the HIS orders (all 'open' the first time). */
export async function openOrder(c: TestClient, insutype: '310' | '390', skip = 0): Promise<OrderView> {
  const patient = ok(await c.call<PatientView>('identifyPatient', { method: 'idcard', certNo: localPerson(insutype, skip).idNo }));
  const orders = ok(await c.call<OrderView[]>('listOrders', { identificationId: patient.identificationId }));
  const order = orders.find((o) => o.state === 'open');
  if (!order) throw new Error('no open order');
  return order;
}

/** Pre-settle (2201/2204/2206) and settle (2207). */
export async function settle(c: TestClient, orderId: string): Promise<OrderView> {
  ok(await c.call<OrderView>('preSettleOrder', { orderId }));
  return ok(await c.call<OrderView>('settleOrder', { orderId }));
}

/** The patient shows a code (payment code, hospital card) to the training scan box; returns the scan the screens saw. */
export function scanCode(h: OutpatientHarness, code: string): Promise<string> {
  return scanWith(h.c, h.station.training!.scanner!, code);
}

/**
 * Scans a code on the station's scan box once every device is connected, and answers the scan id it made as the
 * client heard it: one not among those heard before (nextEvent looks through every event heard, and any other event
 * arriving meanwhile must not let an earlier scan, already taken, stand for this one).
 */
export async function scanWith(c: TestClient, scanner: { scan(code: string): Promise<unknown> }, code: string): Promise<string> {
  for (;;) {
    const devices = ok(await c.call<{ state: string }[]>('listDevices', {}));
    if (devices.every((d) => d.state === 'connected')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const before = new Set(c.events.filter((e) => e.event === 'scan').map((e) => (e.payload as ScanEvent).scanId));
  await scanner.scan(code);
  const scan = await c.nextEvent<ScanEvent>('scan', (s) => !before.has(s.scanId));
  return scan.scanId;
}

/** The NHSA transactions the centre answered, in order. */
export const centreInfnos = (h: OutpatientHarness) => h.station.training!.centre.control.messages().map((m) => m.infno);
