/**
 * The inpatient core wired into the station (issue 15): its movements on the station's outbox (so the resolver and
 * the ledger's onFinal hook see them), the fee uploader's background sweep at the configured pace, 自费转医保's
 * HIS half mended at start (late-registration.ts), a discharge settlement's undo carried on at start and by the
 * resolver (settlement-undo-steps.ts), the facts the hospital ledger reads of a stay, and the service and surplus
 * refunds the nurse's operations call.
 */
import { HisWardClient, type HisClient } from '../../insurance/his';
import type { OperatorView } from '../../shared/domain';
import { AuditRepo, type Db } from '../store';
import type { FieldCipher } from '../security';
import type { Outbox, Movement } from '../outbox';
import type { CentrePort, PaymentPort } from '../ports';
import type { OrderFacts, OrderSource } from '../hospital-ledger';
import { stationIds } from '../ids';
import type { ScanRegistry } from '../scans';
import { errorFields, type Logger } from '../log';
import type { EventBus } from '../events';
import { SELF_SERVICE_OPERATOR } from '../self-service';
import { inpatientMovements } from './movements';
import { FeeUploader } from './fee-uploader';
import { AdmissionChanges } from './admission-change';
import { InpatientService } from './inpatient-service';
import { LateRegistration } from './late-registration';
import { SurplusRefunds } from './surplus-refunds';
import { SettlementUndo, type PhoneRefund } from './settlement-undo';
import { UndoSteps } from './settlement-undo-steps';
import { MidstaySettlements } from './midstay-settlement';
import { cancelAdmission } from './admission-cancel';
import type { StayRecord } from './stays-repo';
import { ShortfallCollection } from './shortfall-collection';
import { StayPaymentsRepo } from './stay-payments-repo';
import { StaysRepo } from './stays-repo';
import { StayBills, stayOfBillKey } from '../ebill';
import type { EBillPort } from '../../insurance/ebill';
import { MOVEMENT_KINDS } from '../movements';
import { billableStay, stayBooked } from './billable-stay';

/** config `inpatient`: lines per 2301 and how often the background uploader looks at every admitted stay. */
export interface InpatientSettings {
  batchSize: number;
  uploadEveryMs: number;
  /**
   * The stay's live settlement on the patient's phone (NHSA mobile payment), if any: the bedside must not settle a
   * stay the phone is paying or has paid (set by the composition root when mobile payment is configured).
   */
  phoneSettlementOf?: (iptNo: string) => string | null;
  /** The phone's refund, for the window's undo of a discharge settled on the phone (set with phoneSettlementOf). */
  phoneRefund?: PhoneRefund;
}

export const INPATIENT_DEFAULTS: InpatientSettings = { batchSize: 100, uploadEveryMs: 10 * 60_000 };

/** The window's QR defaults (station.ts): five minutes payable, asked every two seconds. */
const QR_DEFAULTS = { ttlMs: 5 * 60_000, pollEveryMs: 2_000 };

/** 3201's clearing type of an inpatient stay (住院). */
export const CLEARING_INPATIENT = '21';

export interface InpatientStationDeps {
  db: Db;
  cipher: FieldCipher;
  gateway: CentrePort;
  his: HisClient;
  pay: PaymentPort;
  /** The scan box's held codes: a patient's payment code for a shortfall. */
  scans: Pick<ScanRegistry, 'take'>;
  /** The QR on the nurse's screen: how long it stays payable and how often the platform is asked (as the window's). */
  qr?: { ttlMs: number; pollEveryMs: number };
  newMsgid: () => string;
  now: () => Date;
  timeZone: string;
  /** Who the background uploads are made as. */
  uploaderOperator: OperatorView;
  settings: InpatientSettings;
  log: (message: string, error: unknown) => void;
  /** Who this station is in the audit (an undo it carried on by itself is audited as the station). */
  info: { stationId: string };
  /** The fiscal e-bill platform and this window's billing point (AQ-15); absent or null: no discharge bills. */
  ebill?: { port: EBillPort; placeCode: string } | null;
  /** The screens' events: `stayUpdated` once a stay's step or its bill has moved (committed). */
  bus: Pick<EventBus, 'emit'>;
}

/** The bills' sweep looks back this far (a stop between HIS's booking and the bill; an undo's red-flush). */
const BILL_SWEEP_WINDOW_MS = 24 * 3600_000;
/** The movements whose success the resolver announces leaves a discharge bill to issue or red-flush. */
const BILL_FOLLOWS: ReadonlySet<string> = new Set([
  MOVEMENT_KINDS.hisWardSettle,
  MOVEMENT_KINDS.hisWardSettleCancel,
  MOVEMENT_KINDS.inpatientSettlementCancel,
  MOVEMENT_KINDS.dischargeCancel,
  MOVEMENT_KINDS.ebillIssue,
  MOVEMENT_KINDS.ebillRedFlush,
]);

/** The stay a finished movement leaves a bill's work on (its own key, or its bill's), if any. */
export function billFollows(e: { kind: string; orderId: string; final: string }): string | null {
  return BILL_FOLLOWS.has(e.kind) && e.final === 'succeeded' ? (stayOfBillKey(e.orderId) ?? e.orderId) : null;
}

export interface InpatientStation {
  stays: StaysRepo;
  payments: StayPaymentsRepo;
  ward: HisWardClient;
  service: InpatientService;
  /** 自费转医保 */
  lateRegistration: LateRegistration;
  surplus: SurplusRefunds;
  undo: SettlementUndo;
  /** The undo's steps: carried on at start, after the resolver finished one, and on its idle pass. */
  undoSteps: UndoSteps;
  midstay: MidstaySettlements;
  /** 撤销入院 (2404) with the nurse's reason. */
  cancelAdmission(operator: OperatorView, stayId: string, reason: string): Promise<StayRecord>;
  shortfall: ShortfallCollection;
  uploader: FeeUploader;
  /** The discharges' fiscal e-bills; null where the station issues none. */
  bills: StayBills | null;
  /** The resolver's idle pass: the undos going on, the stays' bills IT asked to issue again. */
  onIdle(): Promise<void>;
  /** HIS booked a discharge paid on the phone, or its refund reopened the stay: the stay's bill follows. */
  phoneStayChanged(iptNo: string): void;
  /** For the outbox's `finished` event: the step a movement the resolver finished leaves owed (shortfall, undo). */
  continueAfter(e: { kind: string; orderId: string; final: string }): Promise<void>;
  /** Tells the screens the stay changed (`stayUpdated`); call once the change is committed. Unknown ids say nothing. */
  updated(stayId: string): void;
  stop(): Promise<void>;
}

/** The station-wide parts of the inpatient deps: the uploader's operator, the settings and where failures are logged. */
export function inpatientOf(parts: { inpatient?: InpatientSettings }, log: Logger) {
  const inpatientLog = log.child({ capability: 'inpatient' });
  return {
    uploaderOperator: SELF_SERVICE_OPERATOR, // the station's own operator at the centre, as for self-service
    settings: parts.inpatient ?? INPATIENT_DEFAULTS,
    log: (message: string, error: unknown) => inpatientLog.error(message, errorFields(error)),
  };
}

/** The first half, before the outbox exists: the repo, HIS's ward side and the movements the outbox registers. */
export function inpatientPreparation(d: InpatientStationDeps) {
  const stays = new StaysRepo(d.db, d.cipher);
  const payments = new StayPaymentsRepo(d.db);
  const ward = new HisWardClient(d.his);
  const movements: Movement<never, never>[] = inpatientMovements({
    gateway: d.gateway,
    his: ward,
    pay: d.pay,
    stays,
    payments,
    qrPollEveryMs: (d.qr ?? QR_DEFAULTS).pollEveryMs,
    newMsgid: d.newMsgid,
    now: d.now,
  });
  return {
    stays,
    ward,
    movements,
    /** The second half, once the outbox is built: the service, the surplus refunds and the uploader's sweep. */
    start: (outbox: Outbox): InpatientStation => startInpatient(d, { stays, payments, ward }, outbox),
  };
}

function startInpatient(
  d: InpatientStationDeps,
  { stays, payments, ward }: { stays: StaysRepo; payments: StayPaymentsRepo; ward: HisWardClient },
  outbox: Outbox,
): InpatientStation {
  // Telling the screens never changes a step's answer: a stay that cannot be read now is read on the next word or F5.
  const updated = (stayId: string) => {
    try {
      const stay = stays.get(stayId);
      if (stay) d.bus.emit('stayUpdated', { stayId, iptNo: stay.iptNo });
    } catch (e) {
      d.log(`stay ${stayId} not announced`, e);
    }
  };
  const uploader = new FeeUploader({
    his: ward,
    stays,
    outbox,
    newMsgid: d.newMsgid,
    now: d.now,
    timeZone: d.timeZone,
    operator: d.uploaderOperator,
    batchSize: d.settings.batchSize,
    changes: new AdmissionChanges({ his: ward, outbox, newMsgid: d.newMsgid, operator: d.uploaderOperator }),
  });
  const bills = d.ebill
    ? new StayBills({
        db: d.db,
        outbox,
        ...d.ebill,
        now: d.now,
        bookedOf: (id) => stayBooked({ db: d.db, stays }, id),
        billableOf: (id) => billableStay({ db: d.db, stays, his: ward, phoneOrderOf: d.settings.phoneRefund?.orderOf }, id),
        changed: updated,
        log: d.log,
      })
    : null;
  const service = new InpatientService({
    gateway: d.gateway,
    his: ward,
    stays,
    payments,
    outbox,
    uploader,
    newMsgid: d.newMsgid,
    now: d.now,
    timeZone: d.timeZone,
    booked: (stayId) => bills?.follow(stayId),
    ...(d.settings.phoneSettlementOf ? { phoneSettlementOf: d.settings.phoneSettlementOf } : {}),
  });
  const surplus = new SurplusRefunds({ his: ward, stays, outbox, now: d.now });
  const midstay = new MidstaySettlements({ service, his: ward, stays, outbox });
  const lateRegistration = new LateRegistration({ his: ward, service, stays, outbox, newMsgid: d.newMsgid });
  const audit = new AuditRepo(d.db, d.info.stationId, d.cipher);
  const undoSteps = new UndoSteps({
    ...{ stays, outbox, newMsgid: d.newMsgid, now: d.now, log: d.log },
    audit: (e) => audit.append(e, d.now()),
    asked: (stayId, operator) => bills?.asked(stayId, operator.name),
    undone: (stayId) => bills?.follow(stayId),
    changed: updated,
  });
  const billSweep = () => bills?.sweep(new Date(d.now().getTime() - BILL_SWEEP_WINDOW_MS));
  const undo = new SettlementUndo({
    ...{ stays, payments, outbox, steps: undoSteps, phone: d.settings.phoneRefund },
    asked: (stayId, operator) => bills?.asked(stayId, operator.name),
  });
  const shortfall = new ShortfallCollection({
    stays,
    payments,
    outbox,
    pay: d.pay,
    scans: d.scans,
    ids: stationIds(d.now),
    now: d.now,
    qrTtlMs: (d.qr ?? QR_DEFAULTS).ttlMs,
    book: (stayId) => service.settleDischarge(d.uploaderOperator, stayId),
  });
  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    sweeping ??= uploader
      .sweep()
      .then(billSweep)
      .catch((e: unknown) => d.log('fee upload sweep failed', e))
      .finally(() => (sweeping = null));
  };
  const mending = Promise.all([
    lateRegistration.mend().catch((e: unknown) => d.log('self-pay stays not turned insured at HIS', e)),
    undoSteps.resume(),
    Promise.resolve(billSweep()).catch((e: unknown) => d.log('e-bills of discharges not swept', e)),
  ]);
  const timer = setInterval(sweep, d.settings.uploadEveryMs);
  timer.unref();
  return {
    stays,
    payments,
    ward,
    service,
    lateRegistration,
    surplus,
    undo,
    undoSteps,
    midstay,
    cancelAdmission: (operator, stayId, reason) => cancelAdmission({ service, stays, outbox }, operator, stayId, reason),
    shortfall,
    uploader,
    bills,
    onIdle: async () => {
      bills?.reissueAsked();
      await undoSteps.resume();
    },
    phoneStayChanged: (iptNo) => {
      const stay = stays.byIptNo(iptNo);
      if (!stay) return;
      bills?.follow(stay.id);
      updated(stay.id); // the bedside and the window see the phone's settlement or refund as they see their own
    },
    continueAfter: async (e) => {
      const stayId = billFollows(e);
      if (bills && stayId && stays.get(stayId)) bills.follow(stayId);
      try {
        await Promise.all([shortfall.continueAfter(e), undoSteps.continueAfter(e)]);
      } finally {
        // The movement's stay (or its bill's), once the steps it left are taken: a QR paid and booked, a refund in doubt
        // settled, a bill's issue found. An outpatient order's movement names no stay and says nothing.
        updated(stayOfBillKey(e.orderId) ?? e.orderId);
      }
    },
    updated,
    async stop() {
      clearInterval(timer);
      await Promise.all([sweeping, mending, undoSteps.quiet()]);
      await bills?.quiet();
    },
  };
}

/** What the hospital ledger reads of a stay, as it reads an outpatient order (hospital-ledger/event-of-movement.ts). */
export function stayFacts(stays: StaysRepo, stayId: string): Omit<OrderFacts, 'paid'> | undefined {
  const stay = stays.get(stayId);
  if (!stay) return undefined;
  const s = stay.settlement;
  return {
    hisOrderNo: stay.iptNo,
    operatorId: stay.operatorId,
    mdtrtId: stay.mdtrtId,
    setlId: s?.setlId ?? null,
    // The centre's 2304 answers the fund's total; the pool share of it is the fund's here (no separate pool figure).
    split: s ? { totalFen: s.medfeeFen, fundFen: s.fundFen, poolFen: s.fundFen, accountFen: s.acctFen, cashFen: s.cashFen } : null,
    insutype: stay.insutype,
    insuredRegion: stay.insuredRegion,
    psnNo: stay.psnNo,
    clrType: CLEARING_INPATIENT,
  };
}

/** The wallet trades a stay's surplus refunds name, so a refund event says WeChat or Alipay. */
export function stayPaid(stays: StaysRepo, stayId: string): NonNullable<OrderFacts['paid']> {
  return (stays.get(stayId)?.surplus?.refunds ?? []).map((r) => ({ outTradeNo: r.outTradeNo, channel: r.channel }));
}

/** What the ledger's events read of a movement's business row: the outpatient order, else the stay. */
export function ordersAndStays(orders: OrderSource, stays: StaysRepo): OrderSource {
  return {
    get: (id) => orders.get(id) ?? stayFacts(stays, id),
    payments: { paid: (id) => [...orders.payments.paid(id), ...stayPaid(stays, id)] },
  };
}
