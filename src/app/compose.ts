/**
 * The composition root: builds a whole station from a data dir — configuration, SQLite, keys, NHSA client,
 * devices — and, in training mode, the simulators it talks to. The Electron shell and the loopback host both
 * call this one function, so the core they drive is the same. Its parts are built in `wiring/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ScanEvent, StationInfo } from '../shared/domain';
import { classifyCode } from '../devices/classify';
import type { ReceiptPdfPrinter } from '../station/receipts/receipt-pdf';
import { scheduleReceiptRetention, type SystemPrinterPort } from '../station/receipts';
import { ChromiumReceiptPdfPrinter } from './receipt-pdf-chromium';
import { SELF_SERVICE_OPERATOR, SelfServiceRunner } from '../station/self-service';
import type { ReconnectTiming } from '../devices/drivers/qr-scanner';
import { PersonsRepo, useGroupCommit, type Db, type StoredPerson } from '../station/store';
import type { HisClient } from '../insurance/his';
import {
  DB_FILE,
  lockDataDir,
  restrictToOwner,
  scheduleBackups,
  restoreDiscrepancyMovement,
  type RestoreCheckResult,
} from '../station/backup';
import { NhsaRepo } from '../station/store/nhsa-repo';
import { OperatorsRepo } from '../station/store/operators-repo';
import type { KdfCost } from '../station/security/passwords';
import { backupSettingsOf, loadStationConfig, StationConfigSchema, type StationConfig } from '../station/config';
import { EventBus } from '../station/events';
import { ScanRegistry } from '../station/scans';
import { systemClock, type Clock } from '../station/clock';
import { createStation, type Station } from '../station/station';
import type { MessageClient } from '../insurance/messages';
import type { StationCore } from '../station/api/core-contract';
import type { Outbox } from '../station/outbox/outbox';
import { startTrainingRig, type TrainingRig } from './training-rig';
import { createFileLogger, errorFields, type FileLogger } from '../station/log';
import { openDamagedAware, openStoreSafely, seedTrainingOperators } from './wiring/open-store';
import { createLinks } from './wiring/links';
import { startDevices } from './wiring/devices';
import { runRestoreCheck } from './wiring/restore-check';
import { openOfficeFinanceQuery, openOfficeReader, startLedgerShipping, stationHospitalLookup, type LedgerChoice } from './wiring/ledger';
import { wireMobilePay } from './wiring/mobile-pay';
import type { MobileSettlement } from '../station/mobile-pay';

export const APP_VERSION = '0.1.0';

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
  /** Training: seed the training ward on the first start (`npm start` and the app do; tests that want it ask). */
  trainingWard?: boolean;
  /** Tests run the inpatient fee uploader faster (config `inpatient.uploadEveryMinutes` otherwise). */
  inpatientUploadEveryMs?: number;
  /** Tests lock an idle window sooner (minutes; config `security.idleLockMinutes` otherwise). */
  idleLockMinutes?: number;
  /** A live station (not training) with the training simulators and an empty operators table: for first-run tests. */
  liveLikeFirstRun?: boolean;
  /** Tests shorten the QR's life and poll faster. */
  qr?: { ttlMs: number; pollEveryMs: number };
  /** How slips become PDF files: the Electron shell prints with its own Chromium; by default the system Chromium. */
  receiptPrinter?: (receiptsDir: string) => ReceiptPdfPrinter;
  /** The core's own printer (CUPS, for the loopback host on Linux: `npm start`); absent: the shell or browser prints. */
  systemPrinter?: SystemPrinterPort;
  /** Tests reach the station's own connection (a per-connection PRAGMA such as max_page_count fills "the disk"). */
  onDatabase?: (db: Db) => void;
  /** The core's log (the utility process opens it before composing, to log its own start); else `<dataDir>/logs`. */
  logger?: FileLogger;
  /** `npm start -- --ledger URL`: the hospital's PostgreSQL ledger instead of the configuration's (or the embedded one). */
  ledger?: LedgerChoice;
}

export interface ComposedStation {
  core: StationCore;
  rendererDir: string;
  config: StationConfig;
  outbox: Outbox;
  /** The inpatient core, for the settlement service (src/service) to read stays and price them as the ward does. */
  inpatient: Station['inpatient'];
  /** The station's database and the patient-message client (absent: no message gateway configured), for the service. */
  db: Db;
  messages: MessageClient | null;
  /**
   * HIS's outpatient side and the centre's 1101 for an ID number (as the self-service operator), for the service's
   * outpatient paying (ZS-09): the mobile-payment upload names the payer's person number and insurance type.
   */
  outpatient: { his: HisClient; insuredPerson(idNo: string): Promise<StoredPerson> };
  /** NHSA mobile payment (config `mobilePay`) and where the service takes its callback; null: not configured. */
  mobilePay: { settlement: MobileSettlement; callbackPath: string } | null;
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
          ward: options.trainingWard === true,
          ...(options.nhsaTimeoutMs ? { nhsaTimeoutMs: options.nhsaTimeoutMs } : {}),
        })
      : null;
    if (rig) closers.push(() => rig.close());
    const config = rig ? StationConfigSchema.parse(rig.config) : loadStationConfig(dataDir);
    // Training's made-up money never reaches a hospital's books.
    if (rig && options.ledger) throw new Error('培训模式不接入医院总账（--ledger 只用于正式模式 --live）');
    const kdfCost = options.kdfCost ?? config.security.kdf;

    const backups = backupSettingsOf(config, dataDir);
    const db = openDamagedAware(path.join(dataDir, DB_FILE), backups);
    // Commits do not wait for the disk; requests and outcomes wait for the barrier (store/group-commit.ts).
    useGroupCommit(db);
    closers.push(() => void db.close());
    options.onDatabase?.(db);
    const cipher = openStoreSafely(db, dataDir, backups, rig !== null, clock.now(), config.timeZone);
    const backupSchedule = scheduleBackups(db, dataDir, backups, () => clock.now(), logger.child({ capability: 'backup' }));
    closers.push(() => backupSchedule.stop());
    const receiptsLog = logger.child({ capability: 'receipts' });
    const retention = scheduleReceiptRetention(
      path.join(dataDir, 'receipts'),
      config.receipts.keepDays,
      () => clock.now(),
      (r) => {
        if ('error' in r) receiptsLog.warn('saved slips not pruned', errorFields(r.error));
        else if (r.removed > 0) receiptsLog.info('saved slips pruned', r);
      },
    );
    closers.push(() => retention.stop());
    if (rig && !options.liveLikeFirstRun) await seedTrainingOperators(new OperatorsRepo(db), kdfCost, clock.now());

    const bus = new EventBus(logger.child({ capability: 'events' }));
    const scans = new ScanRegistry();
    const nhsaRepo = new NhsaRepo(db, (text) => cipher.sealText(text));
    const { gateway, newMsgid, his, pay, messages, ebill } = createLinks(dataDir, config, {
      db,
      nhsaRepo,
      bus,
      clock,
      nhsaTimeoutMs: options.nhsaTimeoutMs,
    });

    const { devices, hub } = startDevices(config, { bus, scans, clock, timing: options.deviceTiming });
    closers.push(() => devices.dispose());

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
    const mobile = wireMobilePay(dataDir, config, {
      db,
      cipher,
      his,
      now: () => clock.now(),
      log: logger.child({ capability: 'mobile-pay' }),
      timeoutMs: options.nhsaTimeoutMs,
    });
    if (mobile) closers.push(() => mobile.idle());
    const officeReader = openOfficeReader(dataDir, options.ledger ?? config.ledger);
    if (officeReader) closers.push(() => officeReader.close());
    const financeQuery = openOfficeFinanceQuery(dataDir, options.ledger ?? config.ledger, config.timeZone);
    if (financeQuery) closers.push(() => financeQuery.close());
    const hospitalLookup = stationHospitalLookup(dataDir, options.ledger ?? config.ledger);
    const station = createStation({
      db,
      cipher,
      info,
      insurance: gateway,
      devices: hub,
      bus,
      scans,
      lockout: config.security.lockout,
      kdfCost,
      maxSessionMs: config.security.sessionHours * 3_600_000,
      now: () => clock.now(),
      timeZone: config.timeZone,
      // After a restore, the centre's settlements the database lacks wait in the outbox for a person.
      movements: [restoreDiscrepancyMovement, ...(mobile?.movements ?? [])],
      ...(mobile ? { afterFinished: (e) => mobile.afterFinished(e) } : {}),
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
      ...(ebill ? { ebill } : {}),
      classifyCode: (code) => classifyCode(code),
      receiptPrinter: (options.receiptPrinter ?? ((dir: string) => new ChromiumReceiptPdfPrinter({ dir })))(path.join(dataDir, 'receipts')),
      exportsDir: path.join(dataDir, 'exports'),
      ...(financeQuery ? { financeQuery } : {}),
      ...(hospitalLookup ? { hospitalLookup } : {}),
      receipts: { config: config.receipts, system: options.systemPrinter ?? null },
      inpatient: {
        batchSize: config.inpatient.batchSize,
        uploadEveryMs: options.inpatientUploadEveryMs ?? config.inpatient.uploadEveryMinutes * 60_000,
        ...(mobile ? { phoneSettlementOf: (iptNo: string) => mobile.liveOrderFor(iptNo), phoneRefund: mobile.phoneRefund } : {}),
      },
      reconciliation: {
        ...(officeReader ? { ledger: officeReader } : {}),
        autoAfterHour: config.reconciliation.autoAfterHour ?? null,
      },
      outboxPolicy: { ...definedOnly(config.outbox), settleTimeMs: 2 * (options.nhsaTimeoutMs ?? config.nhsa.timeoutMs) },
      log: logger,
      onDispose: closeAll,
    });
    const core = station.core;
    const mobilePay = mobile
      ? { settlement: mobile.bind(station.outbox, (iptNo) => station.inpatient.phoneStayChanged(iptNo)), callbackPath: mobile.callbackPath }
      : null;
    const stopLedger = startLedgerShipping(db, dataDir, config, options.ledger, () => clock.now(), logger.child({ capability: 'ledger' }));
    closers.push(stopLedger);
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
      inpatient: station.inpatient,
      outpatient: {
        his,
        // Kept as a window's identification keeps it: the phone's ledger events read the insured region and the
        // patient's lookup tokens from it.
        insuredPerson: async (idNo) => {
          const { person } = await gateway.personInfo(SELF_SERVICE_OPERATOR, { certType: '02', certNo: idNo });
          new PersonsRepo(db, cipher).upsert(person, clock.now());
          return person;
        },
      },
      db,
      messages: messages ?? null,
      mobilePay,
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
