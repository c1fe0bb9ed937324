/** Tests' start of a reconciliation: the centre simulator with fresh keys, and a settlement rig over a fresh data dir. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCentreWithFreshKeys, type CentreFixture } from '../../src/simulators/nhsa';
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
