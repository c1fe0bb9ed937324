/**
 * The settlement service under chaos: the real `npm run service` core (startStationCore on a live configuration
 * pointing at the parent's simulators, then startServiceOnStation on the port the parent chose), and the nurse who
 * admits at the centre (2401) each stay the parent's ward admitted at HIS — the phones can settle only those. It may
 * be SIGKILLed at any moment and is simply started again; it prints READY once the service listens.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { startStationCore } from '../../src/app/core-entry';
import { startServiceOnStation } from '../../src/service/on-station';
import type { PatientView } from '../../src/shared/domain';
import type { Result } from '../../src/shared/result';
import { SERVICE_PLAN_FILE, SERVICE_STAYS_FILE, type ServiceChaosPlan } from './service-plan';

const dataDir = process.argv[2]!;
// SERVICE_CPU_PROFILE=FILE: the service's CPU profile from start to SIGTERM (what the benchmark's profiling reads).
const profileTo = process.env.SERVICE_CPU_PROFILE;
if (profileTo) {
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  process.once('SIGTERM', () => {
    void inspector.post('Profiler.stop').then(({ profile }) => {
      fs.writeFileSync(profileTo, JSON.stringify(profile));
      process.exit(0);
    });
  });
}
const plan = JSON.parse(fs.readFileSync(path.join(dataDir, SERVICE_PLAN_FILE), 'utf8')) as ServiceChaosPlan;
const station = await startStationCore({ dataDir, training: false, shell: 'browser', sweepEveryMs: 2_000 });
const service = await startServiceOnStation(station, dataDir);
console.log(`READY ${service.url}`);

const session = station.core.openSession('ws');
const call = async <T>(op: string, input: unknown): Promise<Result<T>> => (await station.core.dispatch(session, op, input)) as Result<T>;
const login = await call('login', plan.operator);
if (!login.ok) throw new Error(`login: ${JSON.stringify(login)}`);

/** The ward's admissions so far (the parent writes the file whole, by rename): 住院号 -> the patient's id number. */
const admissions = (): Record<string, string> => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, SERVICE_STAYS_FILE), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
};

// The nurse: each stay HIS admitted is admitted at the centre once (a lost 2401 is the outbox's; asked again later).
const identifications = new Map<string, string>();
for (;;) {
  for (const [iptNo, idNo] of Object.entries(admissions())) {
    const stay = station.inpatient.stays.byIptNo(iptNo);
    if (stay && stay.state !== 'cancelled') continue;
    let identificationId = identifications.get(idNo);
    if (!identificationId) {
      const p = await call<PatientView>('identifyPatient', { method: 'idcard', certNo: idNo });
      if (!p.ok) continue;
      identificationId = p.value.identificationId;
      identifications.set(idNo, identificationId);
    }
    await call('admitStay', { iptNo, identificationId });
  }
  await new Promise((r) => setTimeout(r, 200));
}
