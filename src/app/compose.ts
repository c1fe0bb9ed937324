/**
 * The composition root: builds a whole station from a data dir — configuration, SQLite, keys, NHSA client,
 * devices — and, in training mode, the simulators it talks to. The Electron shell and the loopback host both
 * call this one function, so the core they drive is the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ScanEvent, StationInfo } from '../shared/domain';
import { classifyCode } from '../devices/classify';
import { NhsaClient } from '../insurance/nhsa';
import { HisClient } from '../insurance/his';
import { PayChannelClient } from '../insurance/pay-channel';
import { MessageClient } from '../insurance/messages';
import type { ReceiptPdfPrinter } from '../station/receipts/receipt-pdf';
import { ChromiumReceiptPdfPrinter } from './receipt-pdf-chromium';
import { SelfServiceRunner } from '../station/self-service';
import { DeviceManager } from '../devices/manager';
import { DeviceError } from '../devices/errors';
import { StationError } from '../shared/result';
import { createSerialPortTransport } from '../devices/transports/serial-transport';
import type { ReconnectTiming } from '../devices/drivers/qr-scanner';
import { holdsSealedRows, openDatabase, quickCheck, StationMetaRepo, type Db } from '../station/store';
import {
  chmodOwnerOnly,
  DB_FILE,
  keysDirOf,
  latestBackup,
  lockDataDir,
  restrictToOwner,
  scheduleBackups,
  type BackupSettings,
  checkCentreAfterRestore,
  restoreDiscrepancyMovement,
  type RestoreCheckResult,
} from '../station/backup';
import { IntentsRepo } from '../station/outbox';
import { centreDetailsViaGateway } from './centre-details';
import { NhsaRepo } from '../station/store/nhsa-repo';
import { OperatorsRepo } from '../station/store/operators-repo';
import { FieldCipher, loadOrCreateDataKeys } from '../station/security/field-cipher';
import { hashPassword, type KdfCost } from '../station/security/passwords';
import { TRAINING_OPERATORS, TRAINING_PASSWORD } from '../station/auth/training-operators';
import {
  backupSettingsOf,
  loadNhsaKeys,
  loadStationConfig,
  reversibleInfnosOf,
  StationConfigSchema,
  type StationConfig,
} from '../station/config';
import { PersistentMsgIdAllocator } from '../station/insurance/persistent-msgids';
import { NhsaGateway } from '../station/insurance/nhsa-gateway';
import { EventBus } from '../station/events';
import { ScanRegistry } from '../station/scans';
import { DeviceLog } from '../station/devices/device-log';
import { compactSecond, localDay, systemClock, type Clock } from '../station/clock';
import { createStation } from '../station/station';
import type { StationCore } from '../station/api/core-contract';
import type { Outbox } from '../station/outbox/outbox';
import { startTrainingRig, type TrainingRig } from './training-rig';
import { createFileLogger, errorFields, type FileLogger, type Logger } from '../station/log';

export const APP_VERSION = '0.1.0';
/** How long a test read waits for the admin to present a code. */
const DEVICE_TEST_TIMEOUT_MS = 15_000;

export interface ComposeOptions {
  dataDir: string;
  training: boolean;
  shell: StationInfo['shell'];
  /** Built renderer; defaults to dist/renderer of this checkout or package. */
  rendererDir?: string;
  /** Tests lower the KDF cost (stored in each hash) and the timeouts; production keeps the defaults. */
  kdfCost?: KdfCost;
  nhsaTimeoutMs?: number;
  deviceTiming?: Partial<ReconnectTiming>;
  clock?: Clock;
  /** Tests shorten the top-up window and how often it is checked. */
  payWindowMs?: number;
  sweepEveryMs?: number;
  /** Tests lock an idle window sooner (minutes; config `security.idleLockMinutes` otherwise). */
  idleLockMinutes?: number;
  /** A live station (not training) with the training simulators and an empty operators table: for first-run tests. */
  liveLikeFirstRun?: boolean;
  /** Tests shorten the QR's life and poll faster. */
  qr?: { ttlMs: number; pollEveryMs: number };
  /** How slips become PDF files: the Electron shell prints with its own Chromium; by default the system Chromium. */
  receiptPrinter?: (receiptsDir: string) => ReceiptPdfPrinter;
  /** Tests reach the station's own connection (a per-connection PRAGMA such as max_page_count fills "the disk"). */
  onDatabase?: (db: Db) => void;
  /** The core's log (the utility process opens it before composing, to log its own start); else `<dataDir>/logs`. */
  logger?: FileLogger;
}

export interface ComposedStation {
  core: StationCore;
  rendererDir: string;
  config: StationConfig;
  outbox: Outbox;
  /**
   * A code as if the station's scan box had read it (same classification, same single-use hold, same event):
   * for the chaos harness and kiosks that receive a code by other means. Returns the scan the screens see.
   */
  injectScan(deviceId: string, code: string): ScanEvent;
  /** Present in training mode: the simulators and emulated devices, for the trainer console and tests. */
  training: TrainingRig | null;
  /** The rolling log in `<dataDir>/logs` (crash handlers and the support bundle read it). */
  logger: FileLogger;
  /** The first start after a restore asks the centre what the restored database lacks (null: nothing to do). */
  afterRestore: Promise<RestoreCheckResult | null>;
  close(): Promise<void>;
}

export const LOGS_DIR = 'logs';

/** dist/renderer: src/app/ and dist/main/ (the Electron bundle) sit at the same depth below the root. */
export function defaultRendererDir(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist', 'renderer');
}

export async function createStationFromConfig(options: ComposeOptions): Promise<ComposedStation> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  restrictToOwner([dataDir]);
  const clock = options.clock ?? systemClock();
  const closers: (() => Promise<void> | void)[] = [];
  const logger = options.logger ?? (await createFileLogger(path.join(dataDir, LOGS_DIR), { base: { version: APP_VERSION } }));
  // Closed last (closers run in reverse), and only when this call opened it.
  if (!options.logger) closers.push(() => logger.close());
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (e) {
        logger.error('close failed', errorFields(e));
      }
    }
  };

  try {
    const lock = lockDataDir(dataDir);
    closers.push(() => lock.release());
    const rig = options.training
      ? await startTrainingRig(dataDir, {
          log: logger.child({ capability: 'training' }),
          ...(options.nhsaTimeoutMs ? { nhsaTimeoutMs: options.nhsaTimeoutMs } : {}),
        })
      : null;
    if (rig) closers.push(() => rig.close());
    const config = rig ? StationConfigSchema.parse(rig.config) : loadStationConfig(dataDir);
    const kdfCost = options.kdfCost ?? config.security.kdf;

    const backups = backupSettingsOf(config, dataDir);
    const db = openDamagedAware(path.join(dataDir, DB_FILE), backups);
    closers.push(() => void db.close());
    options.onDatabase?.(db);
    const cipher = openStoreSafely(db, dataDir, backups, rig !== null, clock.now(), config.timeZone);
    const backupSchedule = scheduleBackups(db, dataDir, backups, () => clock.now(), logger.child({ capability: 'backup' }));
    closers.push(() => backupSchedule.stop());
    if (rig && !options.liveLikeFirstRun) await seedTrainingOperators(new OperatorsRepo(db), kdfCost, clock.now());

    const bus = new EventBus(logger.child({ capability: 'events' }));
    const scans = new ScanRegistry();
    const nhsaRepo = new NhsaRepo(db);
    const keys = loadNhsaKeys(dataDir, config.nhsa.keyFile);
    const msgids = new PersistentMsgIdAllocator(nhsaRepo, config.institution.code, config.timeZone);
    const gateway = new NhsaGateway({
      // The gateway builds its client so it can journal each msgid before the request leaves.
      client: (journalBeforeSend) =>
        new NhsaClient(
          {
            baseUrl: config.nhsa.baseUrl,
            urlStyle: config.nhsa.urlStyle,
            profile: config.nhsa.profile,
            institution: config.institution,
            centreRegion: config.nhsa.centreRegion,
            recerSysCode: config.nhsa.recerSysCode,
            infver: config.nhsa.infver,
            timeoutMs: options.nhsaTimeoutMs ?? config.nhsa.timeoutMs,
            clientId: keys.clientId,
            stationPrivateKeyHex: keys.stationPrivateKeyHex,
            centrePublicKeyHex: keys.centrePublicKeyHex,
            ...(config.nhsa.userId ? { userId: config.nhsa.userId } : {}),
            ...(config.nhsa.maxAnswerBytes ? { maxAnswerBytes: config.nhsa.maxAnswerBytes } : {}),
            ...(config.nhsa.maxFileBytes ? { maxFileBytes: config.nhsa.maxFileBytes } : {}),
            reversibleInfnos: reversibleInfnosOf(config.nhsa),
          },
          {
            msgids,
            now: () => clock.now(),
            onSend: journalBeforeSend,
          },
        ),
      repo: nhsaRepo,
      bus,
      clock,
      institutionCode: config.institution.code,
      voucher: { baseUrl: config.voucher.baseUrl, timeoutMs: options.nhsaTimeoutMs ?? config.voucher.timeoutMs },
    });

    const newMsgid = () => msgids.next(clock.now());
    const his = new HisClient({
      baseUrl: config.his.baseUrl,
      appId: config.his.appId,
      appSecret: keys.hisAppSecret,
      timeoutMs: config.his.timeoutMs,
    });
    const pay = new PayChannelClient({
      baseUrl: config.payChannel.baseUrl,
      mchId: config.payChannel.mchId,
      key: keys.payChannelKey,
      timeoutMs: config.payChannel.timeoutMs,
    });

    const messages = config.messages
      ? new MessageClient({
          baseUrl: config.messages.baseUrl,
          mchId: config.payChannel.mchId,
          key: keys.payChannelKey,
          timeoutMs: config.messages.timeoutMs,
          templateIds: config.messages.templateIds,
        })
      : undefined;

    const devices = new DeviceManager({
      devices: config.devices,
      transports: { serial: createSerialPortTransport() },
      ...(options.deviceTiming ? { timing: options.deviceTiming } : {}),
    });
    closers.push(() => devices.dispose());
    const deviceLog = new DeviceLog(() => clock.now());
    devices.onStatus((status) => {
      deviceLog.status(status);
      bus.emit('deviceStatus', status);
    });
    devices.onWarning((warning) => {
      deviceLog.warning(warning.deviceId, warning.message);
      bus.emit('deviceWarning', warning);
    });
    // The raw code stays here; screens get an id and a kind (see ScanRegistry).
    devices.onScan((scan) => {
      deviceLog.scan(scan.deviceId, scan.code, scan.kind);
      bus.emit('scan', scans.hold(scan.deviceId, scan.code, scan.kind));
    });
    devices.onActivity((a) => deviceLog.command(a.deviceId, a.ok, a.summary));
    devices.start();

    const info: Omit<StationInfo, 'needsSetup'> = {
      stationId: config.stationId,
      institutionCode: config.institution.code,
      institutionName: config.institution.name,
      treatmentRegion: config.institution.admdvs,
      trainingMode: rig !== null && !options.liveLikeFirstRun,
      version: APP_VERSION,
      shell: options.shell,
      idleLockMinutes: options.idleLockMinutes ?? config.security.idleLockMinutes,
    };
    const station = createStation({
      db,
      cipher,
      info,
      insurance: gateway,
      devices: {
        list: () => devices.list(),
        isConnected: (role) => devices.list().some((d) => d.role === role && d.state === 'connected'),
        recentFrames: (deviceId, limit) => deviceLog.recent(deviceId, limit),
        testRead: (deviceId) => devices.testRead(deviceId, { timeoutMs: DEVICE_TEST_TIMEOUT_MS }),
        faceVerify: async (deviceId, outBizNo) => {
          try {
            return (await devices.faceVerify(deviceId, { outBizNo })).identity;
          } catch (e) {
            throw stationErrorOf(e);
          }
        },
        readCard: async (deviceId) => {
          try {
            return (await devices.readCard(deviceId)).query;
          } catch (e) {
            throw stationErrorOf(e);
          }
        },
      },
      bus,
      scans,
      lockout: config.security.lockout,
      kdfCost,
      maxSessionMs: config.security.sessionHours * 3_600_000,
      now: () => clock.now(),
      timeZone: config.timeZone,
      // After a restore, the centre's settlements the database lacks wait in the outbox for a person.
      movements: [restoreDiscrepancyMovement],
      outpatient: {
        nhsa: gateway,
        his,
        pay,
        newMsgid,
        payWindowMs: options.payWindowMs ?? config.payChannel.payWindowMinutes * 60_000,
        ...(options.sweepEveryMs ? { sweepEveryMs: options.sweepEveryMs } : {}),
        qr: options.qr ?? { ttlMs: config.payChannel.qrMinutes * 60_000, pollEveryMs: config.payChannel.qrPollMs },
        ...(messages ? { messages } : {}),
        ...(config.messages?.detailsUrl ? { detailsUrl: config.messages.detailsUrl } : {}),
        lostRegistration: config.nhsa.lostRegistration,
      },
      classifyCode: (code) => classifyCode(code),
      receiptPrinter: (options.receiptPrinter ?? ((dir: string) => new ChromiumReceiptPdfPrinter({ dir })))(path.join(dataDir, 'receipts')),
      outboxPolicy: { ...definedOnly(config.outbox), settleTimeMs: 2 * (options.nhsaTimeoutMs ?? config.nhsa.timeoutMs) },
      log: logger,
      onDispose: closeAll,
    });
    const core = station.core;
    const afterRestore = runRestoreCheck(db, cipher, gateway, config, clock, logger.child({ capability: 'restore' }));
    // HX-T1: a patient starting at the face terminal runs the settlement there, as the self-service operator.
    const selfService = new SelfServiceRunner({
      devices,
      port: station.selfService,
      institutionCode: config.institution.code,
      timeZone: config.timeZone,
      now: () => clock.now(),
    });
    selfService.start();
    const selfServiceLog = logger.child({ capability: 'self-service' });
    selfService.onFinished((r) => selfServiceLog.info(`${r.deviceId} ${r.sessionId}: ${r.outcome} ${r.detail}`));
    return {
      core,
      outbox: station.outbox,
      injectScan: (deviceId, code) => {
        const scan = scans.hold(deviceId, code, classifyCode(code));
        bus.emit('scan', scan);
        return scan;
      },
      rendererDir: options.rendererDir ?? defaultRendererDir(),
      config,
      training: rig,
      logger,
      afterRestore,
      close: async () => {
        // Sessions end first: an unpaid self-service settlement is cancelled while the core still runs.
        await selfService.dispose();
        await core.dispose();
      },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A device's own error, in the station's closed set of codes (the message is already the operator's Chinese). */
function stationErrorOf(e: unknown): Error {
  if (!(e instanceof DeviceError)) return e instanceof Error ? e : new Error(String(e));
  const code =
    e.code === 'offline' || e.code === 'timeout'
      ? 'DEVICE_OFFLINE'
      : e.code === 'busy'
        ? 'CONFLICT'
        : e.code === 'not-configured' || e.code === 'wrong-role'
          ? 'NOT_FOUND'
          : 'DEVICE_ERROR';
  return new StationError(code, e.message);
}

async function seedTrainingOperators(repo: OperatorsRepo, cost: KdfCost, now: Date): Promise<void> {
  if (repo.count() > 0) return;
  for (const op of TRAINING_OPERATORS) {
    repo.insert({ id: op.id, name: op.name, roles: [op.role], passwordHash: await hashPassword(TRAINING_PASSWORD, cost) }, now);
  }
}

/** SQLite's own words for a file it cannot read as a database at all. */
const UNREADABLE = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

function openDamagedAware(dbFile: string, backups: BackupSettings): Db {
  try {
    return openDatabase(dbFile);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREADABLE.has(code))
      throw damaged(dbFile, [(e as Error).message], latestBackup(backups)?.name ?? null);
    throw e;
  }
}

function damaged(dbFile: string, findings: readonly string[], latest: string | null): Error {
  const restore = latest ? `请用 “npm run station -- backup restore ${latest}” 恢复最近的备份。` : '未找到任何备份。';
  return new Error(`数据库 ${dbFile} 未通过完整性检查（${findings.slice(0, 3).join('; ')}）。${restore}`);
}

/**
 * Before anything reads or writes the database: it must be sound, belong to this mode, and open with the key
 * that sealed it (a missing key is never silently replaced while rows exist). Each refusal names the backup to
 * restore.
 */
function openStoreSafely(db: Db, dataDir: string, backups: BackupSettings, training: boolean, now: Date, timeZone: string): FieldCipher {
  const dbFile = path.join(dataDir, DB_FILE);
  chmodOwnerOnly([dbFile, `${dbFile}-wal`, `${dbFile}-shm`]);
  const latest = latestBackup(backups)?.name ?? null;
  const findings = quickCheck(db);
  if (findings.length > 0) throw damaged(dbFile, findings, latest);
  const meta = new StationMetaRepo(db);
  meta.claimMode(
    training ? 'training' : 'live',
    TRAINING_OPERATORS.map((o) => o.id),
    now,
  );
  // A restored sequence would repeat the msgids sent since the backup; nothing has been sent yet this start.
  if (meta.pendingRestore()) new NhsaRepo(db).skipMsgidsThrough(compactSecond(now, timeZone));
  return new FieldCipher(loadOrCreateDataKeys(keysDirOf(dataDir), { databaseHoldsRows: holdsSealedRows(db), latestBackup: latest }));
}

/**
 * After a restore, in the background (the window can work meanwhile): the centre's settlements since the
 * backup that the database lacks become escalated items in the admin outbox list. A failure (centre offline)
 * leaves the marker unchecked, so the next start asks again.
 */
function runRestoreCheck(db: Db, cipher: FieldCipher, gateway: NhsaGateway, config: StationConfig, clock: Clock, log: Logger) {
  const meta = new StationMetaRepo(db);
  if (!meta.pendingRestore()) return Promise.resolve(null);
  const admin = new OperatorsRepo(db).listForAdmin('').find((o) => o.roles.includes('admin') && !o.disabled);
  const operator = admin ? { id: admin.id, name: admin.name, role: 'admin' as const } : undefined;
  if (!operator) {
    log.error('the check after a restore needs an administrator to sign in at the centre: add one and restart');
    return Promise.resolve(null);
  }
  return checkCentreAfterRestore({
    db,
    meta,
    intents: new IntentsRepo(db, cipher),
    centre: centreDetailsViaGateway(gateway, operator),
    homeRegion: config.institution.admdvs,
    localDay: (at) => localDay(at, config.timeZone),
    now: () => clock.now(),
  }).then(
    (r) => {
      if (r) log.warn('check after restore: centre settlements this database lacks were listed for a person', { listed: r.listed.length });
      return r;
    },
    (e: unknown) => {
      log.error('check after restore failed (tried again at the next start)', errorFields(e));
      return null;
    },
  );
}
