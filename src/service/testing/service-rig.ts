/**
 * Tests and e2e: a whole training station (its SQLite in a temp dir, the simulated centre, HIS's ward) with the
 * settlement service on real HTTP over it, the pay port the double, and a signed app. `admitStay` has a nurse
 * admit a HIS stay at the centre, as the bedside screen does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStationFromConfig, type ComposedStation } from '../../app/compose';
import type { PatientView } from '../../shared/domain';
import { TRAINING_PASSWORD } from '../../station/auth/training-operators';
import { ServiceConfigSchema } from '../config';
import { startSettlementService, type SettlementService } from '../settlement-service';
import { MobilePayDouble } from './mobile-pay-double';
import { signedClient } from './signed-client';

export const RIG_APP = { appId: 'wx-oa-test', name: '医院公众号', secret: 'a1'.repeat(32), ratePerMinute: 1000 };
/** Inside the training geofence (its centre). */
export const AT_HOSPITAL = { latitude: 24.4798, longitude: 118.0894, accuracyMeters: 30 };
export const RIG_WARD = 'W0301';

export interface ServiceRig {
  dataDir: string;
  station: ComposedStation;
  service: SettlementService;
  pay: MobilePayDouble;
  call: ReturnType<typeof signedClient>;
  /** The service's clock is the wall clock plus this (ms), so a test can let sessions expire. */
  skew: { ms: number };
  internalErrors: string[];
  admitStay(patient: { hisId: string; idNo: string }): Promise<string>;
  close(): Promise<void>;
}

/** `clock`: the service's time before the skew (a frozen one for rate tests); the wall clock by default. */
export async function startServiceRig(o: { phonePageDir?: string; clock?: () => number } = {}): Promise<ServiceRig> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-rig-'));
  const station = await createStationFromConfig({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 3000,
  });
  const pay = new MobilePayDouble();
  const skew = { ms: 0 };
  const clock = o.clock ?? Date.now;
  const now = () => clock() + skew.ms;
  const internalErrors: string[] = [];
  const service = await startSettlementService({
    db: station.db,
    inpatient: station.inpatient,
    pay,
    messages: station.messages,
    apps: () => [RIG_APP],
    config: ServiceConfigSchema.parse({ port: 0, messagesEveryMs: 600_000 }),
    phonePageDir: o.phonePageDir ?? path.join(dataDir, 'no-phone-page'),
    now,
    onError: (what, e) => internalErrors.push(`${what}: ${String(e)}`),
  });
  const session = station.core.openSession('ws');
  const op = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await station.core.dispatch(session, name, input)) as { ok: true; value: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  let signedIn = false;
  return {
    dataDir,
    station,
    service,
    pay,
    call: signedClient(service.url, RIG_APP, now),
    skew,
    internalErrors,
    async admitStay(patient) {
      const ipt = station.training!.his.control.ward.admit({ patientId: patient.hisId, wardCode: RIG_WARD });
      if (!signedIn) await op('login', { login: 'hs001', password: TRAINING_PASSWORD });
      signedIn = true;
      const identified = await op<PatientView>('identifyPatient', { method: 'idcard', certNo: patient.idNo });
      await op('admitStay', { iptNo: ipt, identificationId: identified.identificationId });
      return ipt;
    },
    async close() {
      await service.close();
      await station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
