/**
 * Test support: what an inpatient test runs against — the NHSA centre (fresh keys), HIS (its ward side) and the
 * payment channel, each on 127.0.0.1 — and the station's rig over a fresh data dir; closed in reverse order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCentreWithFreshKeys, type CentreFixture } from '../../src/simulators/nhsa';
import { centreConnection } from '../../src/station/outpatient/testing/settlement-rig';
import { startHis, type HisSimulator } from '../../src/simulators/his';
import { startPayChannel, type PayChannelSimulator, type PlatformRules } from '../../src/simulators/pay-channel';
import {
  createInpatientRig,
  INSTITUTION,
  type CentreConnection,
  type HisConnection,
  type InpatientRig,
  type PayConnection,
} from '../../src/station/inpatient/testing/inpatient-rig';

export const HIS_APP = { appId: 'YBSTATION01', appSecret: 'his-secret-0123456789abcdef' };
export const MCH = { mchId: '1900000109', key: 'SIMKEY0123456789ABCDEFGHIJKLMNOP' };

type RigOptions = Parameters<typeof createInpatientRig>[4];

export interface InpatientWorld {
  dir: string;
  fx: CentreFixture;
  his: HisSimulator;
  pay: PayChannelSimulator;
  centre: CentreConnection;
  hisAt: HisConnection;
  payAt: PayConnection;
  /** The station as it runs now (`start` replaces it). */
  rig: InpatientRig;
  /** The station stopped (its database closed); the simulators go on. */
  stop(): Promise<void>;
  /** The station started again on the same data dir (a test may give it another clock). */
  start(opts?: RigOptions): InpatientRig;
  /** stop, then start. */
  restart(opts?: RigOptions): Promise<InpatientRig>;
  close(): Promise<void>;
}

/** `platform`: the payment platform's rules where a test needs other than the vendors' (a QR closed in its first seconds). */
export async function startInpatientWorld(
  name: string,
  opts: RigOptions = {},
  platform: { rules?: Partial<PlatformRules> } = {},
): Promise<InpatientWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const fx = await startCentreWithFreshKeys({ region: INSTITUTION.admdvs });
  const his = await startHis({ apps: [{ appId: HIS_APP.appId, secret: HIS_APP.appSecret }], seedOrders: false });
  const pay = await startPayChannel({ merchants: [MCH], seed: 7, ...(platform.rules ? { rules: platform.rules } : {}) });
  const centre: CentreConnection = centreConnection(fx);
  const hisAt: HisConnection = { url: his.url, ...HIS_APP };
  const payAt: PayConnection = { url: pay.url, ...MCH };
  let running = true;
  const world: InpatientWorld = {
    dir,
    fx,
    his,
    pay,
    centre,
    hisAt,
    payAt,
    rig: createInpatientRig(dir, centre, hisAt, payAt, opts),
    async stop() {
      if (running) await world.rig.close();
      running = false;
    },
    start(again = opts) {
      if (running) throw new Error('the station is running: stop it first');
      world.rig = createInpatientRig(dir, centre, hisAt, payAt, again);
      running = true;
      return world.rig;
    },
    async restart(again = opts) {
      await world.stop();
      return world.start(again);
    },
    async close() {
      await world.stop();
      await his.close();
      await pay.close();
      await fx.centre.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
