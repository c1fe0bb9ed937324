/** Tests' start of a reconciliation: the centre simulator with fresh keys, and a settlement rig over a fresh data dir. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCentreWithFreshKeys, type CentreFixture } from '../../src/simulators/nhsa';
import type { HospitalLedgerReader } from '../../src/station/hospital-ledger';
import { ReconciliationRuns, type ReconciliationRunsDeps } from '../../src/station/reconciliation';
import { AuditRepo } from '../../src/station/store/audit-repo';
import {
  centreConnection,
  createSettlementRig,
  INSTITUTION,
  type SettlementRig,
} from '../../src/station/outpatient/testing/settlement-rig';

export interface CentreRig {
  dir: string;
  fx: CentreFixture;
  rig: SettlementRig;
}

/** `name` names the temp dir; `centreNow`, where given, is the centre's clock (a settlement on another day). */
export async function startCentreRig(name: string, centreNow?: () => Date): Promise<CentreRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs, ...(centreNow ? { now: centreNow } : {}) });
  const rig = createSettlementRig(dir, centreConnection(fx));
  return { dir, fx, rig };
}

export async function closeCentreRig({ dir, fx, rig }: CentreRig): Promise<void> {
  await rig.close();
  await fx.centre.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The station's reconciliation runs over the rig and `ledger`: China time, no payment platform, no automatic run, its
 * own audit and exports under the data dir — `overrides` for the rest.
 */
export function rigRuns(
  { dir, rig }: CentreRig,
  ledger: HospitalLedgerReader,
  overrides: Partial<ReconciliationRunsDeps> = {},
): ReconciliationRuns {
  return new ReconciliationRuns({
    db: rig.db,
    cipher: rig.cipher,
    audit: new AuditRepo(rig.db, 'W01', rig.cipher),
    gateway: rig.gateway,
    ledger,
    pay: null,
    now: () => new Date(),
    timeZone: 'Asia/Shanghai',
    autoAfterHour: null,
    exportsDir: path.join(dir, 'exports'),
    ...overrides,
  });
}
