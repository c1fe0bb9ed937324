/**
 * The settlement service's world, shared by its chaos run and its benchmark: the NHSA centre, HIS, the payment
 * platform and the NHSA mobile-payment centre simulators (their own SQLite ledgers, in `dir`), a data dir whose live
 * configuration points at them, a nurse who admits at the centre, a registered app, and the service itself as a
 * child process (service-child.ts: the real `npm run service` core) that can be started, SIGKILLed and stopped.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { sm2GenerateKeyPair, randomBytes, toHex } from '../../src/insurance/crypto';
import { startNhsaCentre, type NhsaCentre } from '../../src/simulators/nhsa';
import { startHis, type HisSimulator } from '../../src/simulators/his';
import { startMobilePayCentre, type MobilePayCentre } from '../../src/simulators/mobile-pay';
import { startPayChannel, type PayChannelSimulator } from '../../src/simulators/pay-channel';
import { startEBillSimulator, type EBillSimulator } from '../../src/simulators/ebill';
import { SERVICE_KEYS_FILE } from '../../src/service/app-keys';
import { SERVICE_CONFIG_FILE } from '../../src/service/config';
import { openDatabase } from '../../src/station/store/database';
import { OperatorsRepo } from '../../src/station/store/operators-repo';
import { hashPassword } from '../../src/station/security/passwords';
import { SERVICE_PLAN_FILE, SERVICE_STAYS_FILE, type ServiceChaosPlan } from './service-plan';

export const SERVICE_INSTITUTION = { code: 'H35020300001', name: '厦门弘爱医院（结算服务混沌测试）', admdvs: '350200' };
export interface ServiceApp {
  appId: string;
  name: string;
  secret: string;
  ratePerMinute: number;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The service process: started (READY on its stdout), SIGKILLed, started again; stopped with SIGTERM at the end. */
export function serviceProcess(dataDir: string) {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  return {
    async start(): Promise<void> {
      const c = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'service-child.ts'), dataDir], {
        stdio: ['ignore', 'pipe', process.env.CHAOS_DEBUG ? 'inherit' : 'pipe'],
      });
      child = c;
      let errText = '';
      c.stderr?.on('data', (d: Buffer) => (errText = (errText + d.toString()).slice(-5000)));
      exited = new Promise((r) => c.once('exit', () => r()));
      await new Promise<void>((resolve, reject) => {
        let out = '';
        c.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('READY ')) resolve();
        });
        c.once('exit', (code, signal) => reject(new Error(`the service exited (${code ?? signal}) before it listened:\n${errText}`)));
      });
    },
    async kill(): Promise<void> {
      child?.kill('SIGKILL');
      await exited;
    },
    async stop(): Promise<void> {
      child?.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ServiceWorld {
  centre: NhsaCentre;
  his: HisSimulator;
  pay: PayChannelSimulator;
  mobile: MobilePayCentre;
  /** The e-bill gateway, where asked for: the discharges paid on the phone get their bills from it. */
  ebill: EBillSimulator | null;
  dataDir: string;
  /** The station's database the service writes. */
  dbPath: string;
  url: string;
  service: ReturnType<typeof serviceProcess>;
  /** The ward's admissions so far (住院号 -> ID number), written whole: the child's nurse admits each at the centre. */
  admit(admissions: Record<string, string>): void;
  /** The simulators closed (the service is stopped by its owner first). */
  close(): Promise<void>;
}

export async function startServiceWorld(o: {
  dir: string;
  seed: number;
  app: ServiceApp;
  operator: ServiceChaosPlan['operator'];
  /** Every link's timeout (ms). */
  timeoutMs: number;
  notifyScheduleMs: readonly number[];
  /** The outbox's pace; the configuration's defaults (a hospital's) without it. */
  outbox?: { backoffBaseMs: number; backoffMaxMs: number; queryWindowMs: number };
  /** An e-bill gateway configured (the discharges' bills issued and red-flushed); without it, no bills. */
  ebill?: boolean;
}): Promise<ServiceWorld> {
  const dataDir = path.join(o.dir, 'service');
  fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true });
  const station = sm2GenerateKeyPair();
  const centreKeys = sm2GenerateKeyPair();
  const hospital = sm2GenerateKeyPair();
  const mobileCentre = sm2GenerateKeyPair();
  const clientId = toHex(randomBytes(8)).toUpperCase();
  const hisSecret = toHex(randomBytes(16));
  const payKey = toHex(randomBytes(16));
  const mobileChannel = { appId: toHex(randomBytes(16)).toUpperCase(), appSecret: toHex(randomBytes(16)), userId: 'CHAOS' };
  const port = await freePort();
  const INSTITUTION = SERVICE_INSTITUTION;

  const centre = await startNhsaCentre({
    dbPath: path.join(o.dir, 'centre.db'),
    keys: { clientId, centrePrivateKeyHex: centreKeys.privateKeyHex, stationPublicKeyHex: station.publicKeyHex },
    region: INSTITUTION.admdvs,
    seed: o.seed,
  });
  const his = await startHis({ dbPath: path.join(o.dir, 'his.db'), apps: [{ appId: 'CHAOS01', secret: hisSecret }], seedOrders: false });
  const pay = await startPayChannel({
    dbPath: path.join(o.dir, 'pay.db'),
    merchants: [{ mchId: '1900000109', key: payKey }],
    seed: o.seed,
  });
  const mobile = await startMobilePayCentre({
    dbPath: path.join(o.dir, 'mobile-pay.db'),
    channel: { ...mobileChannel, centrePrivateKeyHex: mobileCentre.privateKeyHex, hospitalPublicKeyHex: hospital.publicKeyHex },
    orgCode: INSTITUTION.code,
    notifyUrl: `http://127.0.0.1:${port}/callbacks/mobile-pay`,
    nhsaBook: centre.control.mobileBook,
    notifyScheduleMs: o.notifyScheduleMs,
  });
  const ebillKey = toHex(randomBytes(16));
  const ebill = o.ebill ? await startEBillSimulator({ apps: [{ appId: 'CHAOSEBILL', appKey: ebillKey }], seed: o.seed }) : null;
  const close = () => Promise.all([ebill?.close(), mobile.close(), pay.close(), his.close(), centre.close()]).then(() => undefined);
  try {
    fs.writeFileSync(path.join(dataDir, SERVICE_PLAN_FILE), JSON.stringify({ operator: o.operator } satisfies ServiceChaosPlan));
    fs.writeFileSync(path.join(dataDir, SERVICE_KEYS_FILE), JSON.stringify({ apps: [o.app] }), { mode: 0o600 });
    fs.writeFileSync(path.join(dataDir, SERVICE_CONFIG_FILE), JSON.stringify({ port, messagesEveryMs: 600_000 }));
    fs.writeFileSync(
      path.join(dataDir, 'keys', 'nhsa.json'),
      JSON.stringify({
        clientId,
        stationPrivateKeyHex: station.privateKeyHex,
        centrePublicKeyHex: centreKeys.publicKeyHex,
        hisAppSecret: hisSecret,
        payChannelKey: payKey,
        mobilePayAppSecret: mobileChannel.appSecret,
        mobilePayPrivateKeyHex: hospital.privateKeyHex,
        mobilePayCentrePublicKeyHex: mobileCentre.publicKeyHex,
        ...(ebill ? { ebillAppKey: ebillKey } : {}),
      }),
    );
    fs.writeFileSync(
      path.join(dataDir, 'station.config.json'),
      JSON.stringify({
        stationId: 'chaos-svc-01',
        institution: INSTITUTION,
        nhsa: {
          baseUrl: centre.url,
          centreRegion: INSTITUTION.admdvs,
          recerSysCode: 'CHAOS',
          timeoutMs: o.timeoutMs,
          keyFile: 'keys/nhsa.json',
        },
        voucher: { baseUrl: centre.voucherUrl, timeoutMs: o.timeoutMs },
        his: { baseUrl: his.url, appId: 'CHAOS01', timeoutMs: o.timeoutMs },
        payChannel: { baseUrl: pay.url, mchId: '1900000109', timeoutMs: o.timeoutMs },
        mobilePay: { baseUrl: mobile.url, appId: mobileChannel.appId, userId: mobileChannel.userId, timeoutMs: o.timeoutMs },
        ...(ebill ? { ebill: { baseUrl: ebill.url, appId: 'CHAOSEBILL', placeCode: 'ZY01', timeoutMs: o.timeoutMs } } : {}),
        security: { kdf: { N: 2 ** 14, r: 8, p: 1 } },
        ...(o.outbox ? { outbox: o.outbox } : {}),
      }),
    );
    const db = openDatabase(path.join(dataDir, 'station.db'));
    new OperatorsRepo(db).insert(
      {
        id: o.operator.login,
        name: '混沌测试',
        roles: ['nurse'],
        passwordHash: await hashPassword(o.operator.password, { N: 2 ** 14, r: 8, p: 1 }),
      },
      new Date(),
    );
    db.close();
  } catch (e) {
    await close();
    throw e;
  }
  return {
    centre,
    his,
    pay,
    mobile,
    ebill,
    dataDir,
    dbPath: path.join(dataDir, 'station.db'),
    url: `http://127.0.0.1:${port}`,
    service: serviceProcess(dataDir),
    admit(admissions) {
      const file = path.join(dataDir, SERVICE_STAYS_FILE);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(admissions));
      fs.renameSync(`${file}.tmp`, file);
    },
    close,
  };
}
