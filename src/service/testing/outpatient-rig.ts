/**
 * Tests of the outpatient paying interfaces (ZS-09): a training station (its SQLite in a temp dir, the NHSA, HIS
 * and mobile-payment centre simulators on 127.0.0.1) with the service started as `npm run service` starts it
 * (startServiceOnStation: the real mobile payment and the centre's callback route), and a signed app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStationFromConfig, type ComposedStation } from '../../app/compose';
import { SERVICE_KEYS_FILE } from '../app-keys';
import { SERVICE_CONFIG_FILE } from '../config';
import { startServiceOnStation } from '../on-station';
import type { SettlementService } from '../settlement-service';
import { signedClient } from './signed-client';

/** 黄志强: resident scheme, in HIS and the centres' population; no personal account, so a cash part. */
export const RESIDENT = { hisId: 'P000103', idNo: '350211195203054010' };
export const WALLET_FEN = 5_000_000;
const APP = { appId: 'wx-oa-test', name: '医院公众号', secret: 'a1'.repeat(32), ratePerMinute: 1000 };

export interface OutpatientRig {
  station: ComposedStation;
  service: SettlementService;
  call: ReturnType<typeof signedClient>;
  /** The doctor prescribes a new bill for the resident: its HIS order number. */
  prescribe(lines?: { hospCode: string; quantity: string }[]): string;
  /** The patient authorises on the phone (e-voucher): the payAuthNo. */
  authorise(): string;
  close(): Promise<void>;
}

/** `config`: service.config.json's settings beside the defaults (a short result wait, say). */
export async function startOutpatientRig(config: Record<string, unknown> = {}): Promise<OutpatientRig> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpatient-service-'));
  fs.writeFileSync(path.join(dataDir, SERVICE_KEYS_FILE), JSON.stringify({ apps: [APP] }), { mode: 0o600 });
  fs.writeFileSync(path.join(dataDir, SERVICE_CONFIG_FILE), JSON.stringify({ messagesEveryMs: 600_000, ...config }));
  const station = await createStationFromConfig({
    dataDir,
    training: true,
    shell: 'browser',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    nhsaTimeoutMs: 3000,
  });
  const service = await startServiceOnStation(station, dataDir, { port: 0 });
  const his = station.training!.his.control;
  return {
    station,
    service,
    call: signedClient(service.url, APP),
    prescribe: (
      lines = [
        { hospCode: 'F0001', quantity: '1' },
        { hospCode: 'Y0002', quantity: '2' },
        { hospCode: 'Y0007', quantity: '1' },
      ],
    ) => his.prescribe({ patientId: RESIDENT.hisId, deptCode: '0301', prescriptions: [{ lines }] }),
    authorise: () => station.training!.mobilePay.control.authorise(RESIDENT.idNo, WALLET_FEN),
    async close() {
      await service.close();
      await station.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asks until `done` holds (each look a real request or read); the test's own timeout bounds it. */
export async function until(done: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 50));
}
