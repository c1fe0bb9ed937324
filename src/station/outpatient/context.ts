/**
 * What the outpatient saga's parts share: their dependencies, reading an order for a step (with the lock and
 * state checks every step makes), running a movement the saga must see finish, the order's view and its event,
 * and the work that follows without holding the caller.
 */
import { StationError } from '../../shared/result';
import { ORDER_STATE_LABELS, type OperatorView, type OrderState, type OrderView } from '../../shared/domain';
import { reason, type OrderReason } from '../../shared/order-reasons';
import type { CardTerminalPort, CentrePort, HisPort, MessagePort, PaymentPort } from '../ports';
import type { Db, PersonsRepo } from '../store';
import type { Outbox, RunResult, FinalState } from '../outbox';
import type { ScanRegistry } from '../scans';
import type { EventBus } from '../events';
import { errorFields, silentLogger } from '../log';
import type { StationIds } from '../ids';
import type { OrdersRepo, OrderRecord } from './orders-repo';
import type { LostRegistration } from './movements/deps';
import type { EBillPort } from '../../insurance/ebill';
import { OrderBills } from '../ebill';
import { billableOrder } from './billable-order';

export interface OutpatientDeps {
  db: Db;
  orders: OrdersRepo;
  persons: PersonsRepo;
  outbox: Outbox;
  gateway: CentrePort;
  his: HisPort;
  pay: PaymentPort;
  scans: ScanRegistry;
  bus: EventBus;
  newMsgid: () => string;
  ids: StationIds;
  now: () => Date;
  /** The zone the centre's times and "today" are in (configuration, not the OS's: see station/clock.ts). */
  timeZone: string;
  /** How long the patient has to pay the cash share (HX-33). */
  payWindowMs: number;
  /** How long a QR on the screen stays payable (never past the top-up window), and how often it is asked after. */
  qr: { ttlMs: number; pollEveryMs: number };
  /** The patient-message gateway (HX-27); absent: no messages are sent. */
  messages: MessagePort | null;
  /** The window's bank-card POS terminal (issue 13 item 3); absent: no card payments. */
  cardTerminal?: CardTerminalPort | null;
  /** The hospital's name as messages show it, and the details page a message opens (`{orderNo}` replaced). */
  hospitalName: string;
  detailsUrl?: string;
  /** The movement kinds of an order that succeeded since its latest successful `anchorKind` (from the outbox). */
  succeededSince: (orderId: string, anchorKind: string) => Set<string>;
  /** The order's most recently finished movement (not counting notices such as the patient message). */
  lastFinished: (orderId: string) => { kind: string; final: FinalState } | undefined;
  /** How a lost 2201 is undone (see OutpatientMovementDeps). */
  lostRegistration?: LostRegistration;
  /** Where a failure of background work is reported. */
  log?: (message: string, error: unknown) => void;
  /** The fiscal e-bill platform and this window's billing point (AQ-15); absent or null: no bills are issued. */
  ebill?: { port: EBillPort; placeCode: string } | null;
}

export class OutpatientContext {
  /** Orders whose saga step is running now (recovery leaves them alone). */
  readonly stepping = new Set<string>();
  private readonly background = new Set<Promise<unknown>>();
  private stopped = false;
  /** The orders' e-bills; null where the station issues none. */
  readonly bills: OrderBills | null;

  constructor(readonly d: OutpatientDeps) {
    this.bills = d.ebill
      ? new OrderBills({
          ...d,
          ...d.ebill,
          orderOf: (id) => billableOrder(this, id),
          changed: (id) => void this.changed(id),
        })
      : null;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The order for a step: it exists, nothing of it is in doubt, and it is in one of the states the step needs. */
  order(id: string, allowed?: readonly OrderState[]): OrderRecord {
    const o = this.d.orders.get(id);
    if (!o) throw new StationError('NOT_FOUND', '没有这张收费单');
    if (this.d.outbox.isLocked(id)) {
      if (this.d.orders.payments.pendingQr(id)) throw new StationError('ORDER_BUSY', '二维码收款进行中，请等待患者付款或先取消二维码');
      throw new StationError('ORDER_BUSY', '该订单有结果未知的交易，正在核实，请稍候');
    }
    if (allowed && !allowed.includes(o.state))
      throw new StationError('CONFLICT', `收费单当前状态（${ORDER_STATE_LABELS[o.state]}）不允许此操作`);
    return o;
  }

  /** Runs a movement the saga must see finish before going on; a lost answer locks the order and stops here. */
  async run<P, O>(kind: string, order: OrderRecord, payload: P, externalId = this.d.newMsgid()): Promise<O> {
    let r: RunResult<O>;
    try {
      r = await this.d.outbox.run<P, O>(kind, { orderId: order.id, externalId, payload });
    } catch (e) {
      if (e instanceof Error && e.name === 'OrderLockedError')
        throw new StationError('ORDER_BUSY', '该订单有结果未知的交易，正在核实，请稍候');
      throw e;
    }
    if (r.state === 'succeeded') return r.output;
    if (r.state === 'failed') throw new StationError('CENTRE_REJECTED', r.detail);
    const now = this.d.orders.get(order.id) ?? order;
    if ((now.state === 'expiring' || now.state === 'reversing') && now.reason) {
      // An undo keeps its state (it resumes from it); the lock shows on the order as a note beside its reason.
      this.d.orders.update(order.id, { reason: { ...now.reason, note: 'undo-unknown', noteText: '' } }, this.d.now());
      this.changed(order.id);
    } else {
      this.inDoubt(order.id, reason('insurance-unknown'));
    }
    throw new StationError('OUTCOME_UNKNOWN', '医保交易结果未知 — 正在自动核实，请稍候');
  }

  inDoubt(orderId: string, why: OrderReason): OrderView {
    this.d.orders.update(orderId, { state: 'in-doubt', reason: why }, this.d.now());
    return this.changed(orderId);
  }

  operatorOf(order: OrderRecord): OperatorView {
    const row = this.d.db.prepare('SELECT id, name, role FROM operators WHERE id = ?').get(order.operatorId) as OperatorView | undefined;
    return row ?? { id: order.operatorId, name: order.operatorId, role: 'cashier' };
  }

  view(id: string): OrderView {
    const o = this.d.orders.get(id)!;
    const person = this.d.persons.find(o.psnNo);
    const view = this.d.orders.view(id, person?.name ?? '')!;
    return this.bills ? { ...view, ebill: this.bills.view(id) } : view;
  }

  /** The order as it is now, announced to every window. */
  changed(id: string): OrderView {
    const v = this.view(id);
    this.d.bus.emit('orderUpdated', v);
    return v;
  }

  /** Steps that follow without holding the caller; `stop` waits for them so none runs against a closed database. */
  inBackground(work: () => Promise<unknown>, what: string): void {
    if (this.stopped) return;
    const p = work()
      .catch((e: unknown) => (this.d.log ?? defaultLog)(`[outpatient] ${what} failed:`, e))
      .finally(() => this.background.delete(p));
    this.background.add(p);
  }

  /** Runs a step of one order while recovery keeps off it. */
  async whileStepping<T>(orderId: string, work: () => Promise<T>): Promise<T> {
    this.stepping.add(orderId);
    try {
      return await work();
    } finally {
      this.stepping.delete(orderId);
    }
  }

  /** Waits until no background work runs (what a step started has finished). */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }
}

const defaultLog = (message: string, error: unknown) => silentLogger.error(message, errorFields(error));
