/**
 * Hand-wired assembly of the core from its parts (no DI container): repositories over one SQLite file, the
 * login service, the identify workflow, and the handler table the Dispatcher serves. Ports (insurance,
 * devices) come in from the composition root so tests can drive the same core against simulators.
 */
import type { ScanKind, SignedInOperator, StationInfo } from '../shared/domain';
import { FollowUps } from './follow-ups';
import { SELF_SERVICE_OPERATOR, type SelfServicePort } from './self-service';
import { StationError } from '../shared/result';
import { Dispatcher, type CallContext, type Handlers } from './api/dispatcher';
import type { Db } from './store/database';
import { OperatorsRepo } from './store/operators-repo';
import { AuditRepo } from './store/audit-repo';
import { indexPersonNames, PersonsRepo } from './store/persons-repo';
import { LoginService, type LockoutPolicy } from './auth/login';
import { OperatorAdmin } from './auth/operator-admin';
import { SignOuts } from './auth/sign-out';
import type { FieldCipher, HospitalLookup } from './security';
import type { KdfCost } from './security/passwords';
import type { EventBus } from './events';
import type { ScanRegistry } from './scans';
import { identifyPatient } from './workflows/identify-patient';
import type { DeviceHub, InsuranceGateway } from './ports';
import { IntentsRepo, OPEN_STATES } from './outbox/intents-repo';
import { Outbox, type OutboxPolicy } from './outbox/outbox';
import type { FinalState, Movement } from './outbox/movement';
import { toIntentView } from './outbox/intent-view';
import { intentHandlers } from './outbox/intent-handlers';
import { LedgerEventsRepo, patientTokensOf, type HospitalLedgerReader } from './hospital-ledger';
import { reconciliationHandlers, stationReconciliation } from './reconciliation';
import type { NhsaGateway } from './insurance/nhsa-gateway';
import type { HisClient } from '../insurance/his';
import type { PayChannelClient } from '../insurance/pay-channel';
import type { MessageClient } from '../insurance/messages';
import { receiptOfOrder } from './outpatient/receipt-view';
import { receiptHtml } from './receipts/receipt-html';
import { receiptFileName, type ReceiptPdfPrinter } from './receipts/receipt-pdf';
import { RECEIPTS_DEFAULTS, ReceiptService, type ReceiptsConfig, type SystemPrinterPort } from './receipts';
import { OrdersRepo } from './outpatient/orders-repo';
import { sealLegacyRows } from './outpatient/seal-legacy-rows';
import { OutpatientService, type OutpatientDeps } from './outpatient/outpatient-service';
import type { LostRegistration } from './outpatient/movements/deps';
import { MOVEMENT_KINDS, NOTICE_KINDS } from './movements/kinds';
import { stationIds } from './ids';
import { errorFields, silentLogger, type Logger } from './log';
import { StorageAlarm } from './storage-alarm';
import { hasTill, ShiftService, shiftHandlers } from './shifts';
import { LedgerService, ledgerHandlers, QuickReversal, type FinanceQueryPort } from './ledger';
import { inpatientPreparation, inpatientOf, ordersAndStays, type InpatientSettings } from './inpatient/inpatient-station';
import { inpatientHandlers } from './inpatient/inpatient-handlers';
import { withMobileOrders } from './mobile-pay';

export interface StationParts {
  db: Db;
  cipher: FieldCipher;
  /** `needsSetup` is the core's own answer, at each call. */
  info: Omit<StationInfo, 'needsSetup'>;
  insurance: InsuranceGateway;
  devices: DeviceHub;
  bus: EventBus;
  scans: ScanRegistry;
  lockout: LockoutPolicy;
  kdfCost: KdfCost;
  /** A sign-in ends this long after it began (config `security.sessionHours`). */
  maxSessionMs: number;
  now: () => Date;
  /** The centre's zone for its times and "today" (config `timeZone`, Asia/Shanghai by default). */
  timeZone: string;
  /** Kinds of money / insurance movement beyond the outpatient ones, and who hears when the resolver finished one. */
  movements: readonly Movement[];
  afterFinished?: (intent: { id: string; kind: string; orderId: string; final: FinalState }) => void;
  /** Outpatient settlement (issue 6): the concrete NHSA gateway, HIS and the payment platform. */
  outpatient: {
    nhsa: NhsaGateway;
    his: HisClient;
    pay: PayChannelClient;
    newMsgid: () => string;
    payWindowMs: number;
    /** How often expired top-up windows, HIS's order changes and owed details/messages are looked at (HX-25/27/32/33). */
    sweepEveryMs?: number;
    /** The QR on the screen (HX-22): how long it stays payable and how often the platform is asked (HX-24). */
    qr?: { ttlMs: number; pollEveryMs: number };
    /** Patient messages (HX-27); absent: none are sent. */
    messages?: MessageClient;
    /** The page a patient message opens, `{orderNo}` replaced. */
    detailsUrl?: string;
    /** How a lost 2201 is undone (nhsa.lostRegistration); default 5201 + 2202. */
    lostRegistration?: LostRegistration;
  };
  /** What a code is (e-voucher, WeChat / Alipay payment code …), for codes that reach the core by other means. */
  classifyCode: (code: string) => ScanKind;
  /** Writes settlement slips as PDF (Chromium headless in the loopback host, printToPDF in Electron). */
  receiptPrinter?: ReceiptPdfPrinter;
  /** the data dir's exports/ folder (the admin's xlsx / CSV); none: exports are refused */
  exportsDir?: string;
  financeQuery?: FinanceQueryPort; // the finance lists' source: the hospital ledger (office login), else this station
  hospitalLookup?: HospitalLookup; // the hospital-wide lookup key: the patient's tokens on every ledger event
  /** The slip's printer settings from station.config.json, and the core's own printer (CUPS in the loopback host). */
  receipts?: { config: Pick<ReceiptsConfig, 'printer' | 'paper' | 'copies'>; system: SystemPrinterPort | null };
  outboxPolicy?: Partial<OutboxPolicy>;
  /** Inpatient stays (config `inpatient`): 2301 batch size and the background uploader's pace. */
  inpatient?: InpatientSettings;
  /** The day's reconciliation (AQ-06): the hospital ledger it reads (default: the embedded one) and the automatic run's hour. */
  reconciliation?: { ledger?: HospitalLedgerReader; autoAfterHour?: number | null };
  ebill?: OutpatientDeps['ebill']; // the fiscal e-bill platform and this window's billing point (AQ-15); absent or null: none
  log?: Logger; // where the core logs (rolling files in the data dir); silent when absent
  onDispose?: () => Promise<void>; // closes what the composition root opened (simulators, devices, db), after the core stops
}

export interface Station {
  core: Dispatcher;
  outbox: Outbox;
  intents: IntentsRepo;
  selfService: SelfServicePort; // the outpatient core as self-service at a face terminal uses it (HX-T1), as its own operator
  inpatient: ReturnType<ReturnType<typeof inpatientPreparation>['start']>;
}

export function createStation(parts: StationParts): Station {
  const log = parts.log ?? silentLogger;
  const outboxLog = log.child({ capability: 'outbox' });
  const outpatientLog = log.child({ capability: 'outpatient' });
  const storage = new StorageAlarm(parts.db, parts.bus, log.child({ capability: 'storage' }), parts.now);
  const operators = new OperatorsRepo(parts.db);
  const audit = new AuditRepo(parts.db, parts.info.stationId, parts.cipher);
  const persons = new PersonsRepo(parts.db, parts.cipher);
  const login = new LoginService(operators, audit, parts.lockout, parts.kdfCost, parts.now, parts.timeZone);
  const admin = new OperatorAdmin(operators, audit, parts.kdfCost, parts.now, parts.info.trainingMode, SELF_SERVICE_OPERATOR.id);
  const intents = new IntentsRepo(parts.db, parts.cipher);
  const ordersRepo = new OrdersRepo(parts.db, parts.cipher);
  sealLegacyRows(parts.db, parts.cipher); // rows from before migration 011 (a no-op once done)
  indexPersonNames(parts.db, parts.cipher); // persons from before migration 017 (a no-op once done)
  const inpatientPrep = inpatientPreparation({ ...parts, ...parts.outpatient, gateway: parts.outpatient.nhsa, ...inpatientOf(parts, log) });
  const tokens = patientTokensOf(persons, parts.hospitalLookup); // the patient's hospital-wide lookup tokens on each event
  const rows = withMobileOrders(ordersAndStays(ordersRepo, inpatientPrep.stays), { ...parts, stays: inpatientPrep.stays, persons });
  const followUps = new FollowUps(
    () => [outpatient, inpatient],
    () => parts.bus.emit('outboxAlarm', outboxSummary()),
    outpatientLog,
  );
  const outbox = new Outbox(parts.db, intents, [...parts.movements, ...inpatientPrep.movements], {
    now: parts.now,
    ...(parts.outboxPolicy ? { policy: parts.outboxPolicy } : {}),
    events: {
      changed: () => parts.bus.emit('outboxAlarm', outboxSummary()),
      finished: (e) => (parts.afterFinished?.(e), followUps.after(e)),
      storage: (error) => (error === null ? storage.check('resolver') : storage.failed('resolver', error)),
      idle: () => void inpatient.onIdle(),
    },
    log: (m) => outboxLog.warn(m),
    onFinal: new LedgerEventsRepo(parts.db).recorder(parts.info.stationId, rows, tokens), // outpatient order, stay or phone's order
  });
  const inpatient = inpatientPrep.start(outbox);
  const outpatient = new OutpatientService({
    db: parts.db,
    orders: ordersRepo,
    persons,
    outbox,
    gateway: parts.outpatient.nhsa,
    his: parts.outpatient.his,
    pay: parts.outpatient.pay,
    scans: parts.scans,
    bus: parts.bus,
    newMsgid: parts.outpatient.newMsgid,
    ids: stationIds(parts.now),
    now: parts.now,
    timeZone: parts.timeZone,
    payWindowMs: parts.outpatient.payWindowMs,
    qr: parts.outpatient.qr ?? { ttlMs: 5 * 60_000, pollEveryMs: 2_000 },
    messages: parts.outpatient.messages ?? null,
    cardTerminal: parts.devices.cardTerminal ?? null,
    hospitalName: parts.info.institutionName,
    ...(parts.outpatient.detailsUrl ? { detailsUrl: parts.outpatient.detailsUrl } : {}),
    ...(parts.outpatient.lostRegistration ? { lostRegistration: parts.outpatient.lostRegistration } : {}),
    succeededSince: (orderId, anchorKind) => intents.succeededSince(orderId, anchorKind),
    lastFinished: (orderId) => intents.lastFinished(orderId, NOTICE_KINDS), // a message or e-bill is no saga step to resume from
    ebill: parts.ebill ?? null,
    log: (message, error) => outpatientLog.error(message, errorFields(error)),
  });
  const recon = { ...parts, audit, gateway: parts.outpatient.nhsa, pay: parts.outpatient.pay, exportsDir: parts.exportsDir };
  const reconciliation = stationReconciliation(recon, parts.reconciliation);
  let sweeping: Promise<void> | null = null;
  const sweepEveryMs = parts.outpatient.sweepEveryMs ?? 30_000;
  // After a sweep the database refused, the next comes sooner (1 s, doubling up to the usual period).
  let sweepRetry: { timer: NodeJS.Timeout | null; pauseMs: number } = { timer: null, pauseMs: 0 };
  const sweep = () => {
    sweeping ??= (async () => {
      await outpatient.recoverInDoubt();
      await outpatient.sweepExpired();
      await outpatient.pollHisChanges();
      await outpatient.sweepCompleted();
      await parts.outpatient.nhsa.signOutEarlierDays((id) => operators.view(id));
      await reconciliation.autoRun();
      if (storage.check('sweep')) sweepRetry.pauseMs = 0;
    })()
      .catch((e: unknown) => {
        if (!storage.failed('sweep', e)) return outpatientLog.error('sweep failed', errorFields(e));
        sweepRetry.pauseMs = Math.min(sweepEveryMs, Math.max(1_000, sweepRetry.pauseMs * 2));
        if (sweepRetry.timer) clearTimeout(sweepRetry.timer);
        sweepRetry = { timer: setTimeout(sweep, sweepRetry.pauseMs).unref(), pauseMs: sweepRetry.pauseMs };
      })
      .finally(() => (sweeping = null));
  };
  const sweeper = setInterval(sweep, sweepEveryMs).unref();
  const outboxSummary = () => {
    const c = intents.openCounts();
    // A QR on the screen waits for the patient; it is not a movement in doubt.
    const waitingQr = intents.openOfKind(MOVEMENT_KINDS.qr) + intents.openOfKind(MOVEMENT_KINDS.wardQr);
    return { inDoubt: c.prepared + c.unknown + c.compensating - waitingQr, escalated: c.escalated };
  };
  const intentOps = intentHandlers(outbox, intents);
  const receiptOf = (orderId: string) =>
    receiptOfOrder({ outpatient, persons, orders: ordersRepo, info: parts.info, now: parts.now }, orderId);
  const receipts = new ReceiptService({
    db: parts.db,
    audit,
    config: () => parts.receipts?.config ?? RECEIPTS_DEFAULTS,
    receiptOf,
    system: parts.receipts?.system ?? null,
    stationId: parts.info.stationId,
    now: parts.now,
  });
  const shifts = new ShiftService({ ...parts, audit, print: (render, title) => receipts.printPage(render, title) });
  const identifyDeps = {
    his: parts.outpatient.his,
    db: parts.db,
    scans: parts.scans,
    insurance: parts.insurance,
    persons,
    devices: parts.devices,
    treatmentRegion: parts.info.treatmentRegion,
    institutionCode: parts.info.institutionCode,
    now: parts.now,
    timeZone: parts.timeZone,
  };
  // Self-service acts as an operator of its own: every identification, order and movement names it, and it
  // cannot sign in (no password hash verifies, and it is disabled).
  if (!operators.find(SELF_SERVICE_OPERATOR.id)) {
    operators.insert({ ...SELF_SERVICE_OPERATOR, roles: [SELF_SERVICE_OPERATOR.role], passwordHash: '!' }, parts.now());
    parts.db.prepare('UPDATE operators SET disabled = 1 WHERE id = ?').run(SELF_SERVICE_OPERATOR.id);
  }
  const selfService: SelfServicePort = {
    async identifyByFace(identity, operator) {
      // The terminal already verified the face: the identify workflow takes that identity instead of asking again.
      const devices = { ...parts.devices, faceVerify: async () => identity };
      const patient = await identifyPatient({ ...identifyDeps, devices }, operator, { method: 'face' });
      audit.append({ operatorId: operator.id, action: 'selfService.identify', outcome: 'ok', detail: patient.psnNo }, parts.now());
      return { identificationId: patient.identificationId, name: patient.name };
    },
    listOrders: (operator, identificationId) => outpatient.listOrders(operator, identificationId),
    preSettle: (operator, orderId) => outpatient.preSettle(operator, orderId),
    settle: (operator, orderId) => outpatient.settle(operator, orderId),
    payByCode: (operator, orderId, authCode) => {
      const scan = parts.scans.hold('self-service', authCode, parts.classifyCode(authCode));
      return outpatient.payByCode(operator, orderId, scan.scanId);
    },
    cancelSettlement: (operator, orderId, why) => outpatient.cancelSettlement(operator, orderId, why),
  };

  const signedIn = (session: { operator: SignedInOperator | null }) => {
    if (!session.operator) throw new StationError('UNAUTHENTICATED', '请先登录');
    return session.operator;
  };
  const ledger = new LedgerService({ ...parts, audit, exportsDir: parts.exportsDir, stationId: parts.info.stationId });
  const reversal = new QuickReversal({ db: parts.db, audit, now: parts.now, login, orders: ordersRepo, outpatient });
  const signOuts = new SignOuts({ gateway: parts.outpatient.nhsa, audit, now: parts.now, log: log.child({ capability: 'auth' }) });
  const handlers: Handlers = {
    stationInfo: () => ({ ...parts.info, needsSetup: admin.needsSetup() }),
    login: async ({ session }, args) => {
      if (session.operator) throw new StationError('CONFLICT', `已登录为 ${session.operator.name}，请先退出`);
      session.operator = await login.login(args.login, args.password);
      if (hasTill(session.operator.roles)) shifts.open(session.operator); // a shift opens at sign-in
      return session.operator;
    },
    logout: ({ session }) => {
      signOuts.end(signedIn(session)); // 9002 in the background; the dispatcher owns session ends (Dispatcher.signOut)
      dispatcher.signOut(session, 'logout');
      return null;
    },
    currentOperator: ({ session }) => session.operator,
    listDevices: () => parts.devices.list(),
    getConnectivity: ({ session }) => parts.insurance.connectivity(session.operator),
    identifyPatient: ({ session }, args) => identifyPatient(identifyDeps, signedIn(session), args),
    testDevice: async (_ctx, args) => {
      const device = parts.devices.list().find((d) => d.id === args.deviceId);
      if (!device) throw new StationError('NOT_FOUND', `没有编号为 ${args.deviceId} 的设备`);
      if (device.state !== 'connected') throw new StationError('DEVICE_OFFLINE', `${device.id} 未连接：${device.detail}`);
      return parts.devices.testRead(args.deviceId);
    },
    recentDeviceFrames: (_ctx, args) => {
      if (!parts.devices.list().some((d) => d.id === args.deviceId)) {
        throw new StationError('NOT_FOUND', `没有编号为 ${args.deviceId} 的设备`);
      }
      return parts.devices.recentFrames(args.deviceId, args.limit);
    },
    listOrders: ({ session }, args) => outpatient.listOrders(signedIn(session), args.identificationId),
    preSettleOrder: ({ session }, args) => outpatient.preSettle(signedIn(session), args.orderId),
    settleOrder: ({ session }, args) => outpatient.settle(signedIn(session), args.orderId),
    payOrderByCode: ({ session }, args) => outpatient.payByCode(signedIn(session), args.orderId, args.scanId),
    payOrderByCash: ({ session }, args) => outpatient.payByCash(signedIn(session), args.orderId, args.tenderedFen),
    payOrderByCard: ({ session }, args) => outpatient.payByCard(signedIn(session), args.orderId),
    cancelOrderSettlement: ({ session }, args) => outpatient.cancelSettlement(signedIn(session), args.orderId, args.reason),
    refundOrder: ({ session }, args) => outpatient.refundOrder(signedIn(session), args.orderId, args.reason, args.lines),
    payOrderByQr: ({ session }, args) => outpatient.payByQr(signedIn(session), args.orderId, args.wallet),
    cancelOrderPayment: ({ session }, args) => outpatient.cancelPayment(signedIn(session), args.orderId),
    selfPayOrder: ({ session }, args) => outpatient.selfPay(signedIn(session), args.orderId),
    listTodayOrders: ({ session }) => outpatient.listToday(signedIn(session)),
    getReceipt: (_ctx, args) => receiptOf(args.orderId),
    exportReceiptPdf: async (_ctx, args) => {
      if (!parts.receiptPrinter) throw new StationError('DEVICE_OFFLINE', '本工作站未配置 PDF 输出');
      const receipt = receiptOf(args.orderId);
      const fileName = receiptFileName(receipt);
      try {
        const saved = await parts.receiptPrinter.print(receiptHtml(receipt), fileName);
        return { fileName, ...saved };
      } catch (e) {
        throw new StationError('DEVICE_ERROR', `结算单 PDF 生成失败：${e instanceof Error ? e.message : String(e)}`);
      }
    },
    printReceipt: ({ session }, args) => receipts.print(signedIn(session), args.orderId),
    getPrintSettings: () => receipts.settings(),
    setPrintSettings: ({ session }, args) => receipts.saveSettings(signedIn(session), args),
    listSystemPrinters: () => receipts.systemPrinters(),
    printTestPage: () => receipts.printTestPage(),
    outboxSummary: () => outboxSummary(),
    storageStatus: () => storage.view(),
    listIntents: (_ctx, args) => intents.list(args.limit, args.scope === 'open' ? OPEN_STATES : undefined).map(toIntentView),
    retryIntent: intentOps.retryIntent,
    decideIntent: ({ session }, args) => intentOps.decideIntent(signedIn(session).id, args),
    listOperators: () => admin.list(),
    addOperator: ({ session }, args) => admin.add(signedIn(session).id, args),
    resetOperatorPassword: async ({ session }, args) => {
      const view = await admin.resetPassword(signedIn(session).id, args.id, args.password);
      dispatcher.signOutOperator(args.id, 'password-reset', session);
      return view;
    },
    unlockOperator: ({ session }, args) => admin.unlock(signedIn(session).id, args.id),
    disableOperator: ({ session }, args) => {
      const view = admin.disable(signedIn(session).id, args.id);
      dispatcher.signOutOperator(args.id, 'disabled');
      return view;
    },
    enableOperator: ({ session }, args) => admin.enable(signedIn(session).id, args.id),
    setUpFirstAdmin: async (_ctx, args) => {
      await admin.setUpFirstAdmin(args);
      return null;
    },
    changePassword: async ({ session }, args) => {
      const operator = signedIn(session);
      await admin.changeOwnPassword(operator.id, args.current, args.next);
      const changed = { ...operator, mustChangePassword: false };
      session.operator = changed;
      return changed;
    },
    lockSession: ({ session }) => {
      dispatcher.lock(session);
      audit.append({ operatorId: signedIn(session).id, action: 'session.locked', outcome: 'ok' }, parts.now());
      return null;
    },
    unlockSession: async ({ session }, args) => {
      // The same operator's password, counted against the lockout like a sign-in.
      const operator = await login.login(signedIn(session).id, args.password);
      dispatcher.unlock(session);
      return operator;
    },
    listAudit: (_ctx, args) => audit.list(args.limit),
    ...shiftHandlers(
      shifts,
      (ctx: CallContext) => signedIn(ctx.session),
      (ctx) => handlers.logout(ctx, {}),
    ),
    ...ledgerHandlers(ledger, reversal, (ctx: CallContext) => signedIn(ctx.session)),
    ...inpatientHandlers({ ...parts, inpatient, persons, receipts, audit }, (ctx: CallContext) => signedIn(ctx.session)),
    ...reconciliationHandlers(reconciliation, (ctx: CallContext) => signedIn(ctx.session), { ...recon, outbox }),
  };

  const dispatcher = new Dispatcher(
    handlers,
    audit,
    parts.bus,
    parts.now,
    async () => {
      clearInterval(sweeper);
      if (sweepRetry.timer) clearTimeout(sweepRetry.timer);
      await Promise.all([sweeping, signOuts.settled(), followUps.stop()]);
      await inpatient.stop();
      await outbox.stop();
      await outpatient.stop();
      await parts.onDispose?.();
    },
    (event, payload, session) => (event === 'connectivity' ? parts.insurance.connectivity(session.operator) : payload) as typeof payload,
    log.child({ capability: 'api' }),
    (op, error) => void storage.failed(op, error),
    { maxSessionMs: parts.maxSessionMs, needsSetup: () => admin.needsSetup() },
  );
  outbox.start();
  sweep(); // recovery first, then expiry, HIS's changes and owed follow-ups
  return { core: dispatcher, outbox, intents, selfService, inpatient };
}
