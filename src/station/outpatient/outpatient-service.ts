/**
 * Outpatient settlement at the window or in the clinic room (HX-08..HX-35), as a saga over the outbox:
 *
 *   HIS orders → 2201 registration → 2204 fee upload → 2206 preview (shown) → 2207 settlement   insured-settlement.ts
 *     → cash share 0: HIS books it → completed                                                   completion.ts
 *     → cash share > 0: awaiting payment → payment code or QR on the screen → HIS books it       cash-share.ts
 *                          the payment fails → reversing: 2208 → 2205 → 2202 → open again        undo.ts
 *                          the top-up window passes → expiring: 2208 → 2205 → 2202 → expired
 *   self-pay only (HX-20): open → awaiting payment (the whole amount) → HIS self-pay booking → completed
 *   completed → HIS settlement details (HX-25) → the patient's message (HX-27)                   completion.ts
 *   HIS's own changes of an order (HX-32)                                                         his-changes.ts
 *   completed → refunding: HIS application → 2208 → 2205 → 2202 → money back → HIS confirms → refunded   refund/
 *
 * Every step that changes state elsewhere is an outbox movement (movements/), written before it is sent, whose
 * effect on the order is applied in the transaction that records it final. What must follow a finished movement is
 * one table (next-steps.ts), read by `continueAfter` (the resolver finished one) and by `recoverInDoubt` (at start
 * and on every sweep, for a stop between a movement and its next step).
 */
import { StationError } from '../../shared/result';
import type { OperatorView, OrderView } from '../../shared/domain';
import type { Fen } from '../../shared/money';
import type { PaymentWallet } from '../../insurance/pay-channel';
import { localDay } from '../clock';
import type { FinalState } from '../outbox';
import { actionableStates, nextStep } from '../saga';
import { CashShare } from './cash-share';
import { Completion } from './completion';
import { OutpatientContext, type OutpatientDeps } from './context';
import { HisChanges } from './his-changes';
import { InsuredSettlement } from './insured-settlement';
import { outpatientMovements } from './movements';
import { OUTPATIENT_NEXT_STEPS, type OutpatientStep } from './next-steps';
import type { OrderRecord } from './orders-repo';
import { partialRefundMovements } from './refund/partial-movements';
import { RefundLinesRepo } from './refund/refund-lines';
import { refundMovements } from './refund/refund-movements';
import { Refunds } from './refund/refund';
import { RefundsRepo, type RefundPayment, type RefundRecord } from './refund/refunds-repo';

/** A finished refund as its slip shows it. */
export interface FinishedRefund {
  refund: RefundRecord;
  payments: RefundPayment[];
  lines: OrderRecord['lines'];
}
import { Undo } from './undo';

export type { OutpatientDeps } from './context';

/**
 * Recovery reads the same table, less the follow-up of completed orders: the completion sweep owes that, over the
 * last day only — recovery must not walk every order ever completed.
 */
const RECOVERY_STEPS = OUTPATIENT_NEXT_STEPS.filter((r) => r.step !== 'follow-up');

/** A day is at most 26 h anywhere; the zone's own calendar day decides what "today" holds. */
const LONGEST_DAY_MS = 26 * 3600_000;

export class OutpatientService {
  private readonly c: OutpatientContext;
  private readonly insured: InsuredSettlement;
  private readonly cash: CashShare;
  private readonly undo: Undo;
  private readonly completion: Completion;
  private readonly hisChanges: HisChanges;
  private readonly refunds: Refunds;
  private readonly refundsRepo: RefundsRepo;

  constructor(d: OutpatientDeps) {
    this.c = new OutpatientContext(d);
    const refunds = new RefundsRepo(d.db);
    this.refundsRepo = refunds;
    const movementDeps = {
      ...d,
      messageClient: d.messages,
      sendsMessages: d.messages !== null,
      qrPollEveryMs: d.qr.pollEveryMs,
      cardTerminal: d.cardTerminal ?? null,
    };
    const refundLines = new RefundLinesRepo(d.db);
    const refundDeps = { ...movementDeps, refunds, refundLines };
    for (const m of [...outpatientMovements(movementDeps), ...refundMovements(refundDeps), ...partialRefundMovements(refundDeps)])
      d.outbox.register(m);
    this.refunds = new Refunds(this.c, refunds, refundLines);
    this.completion = new Completion(this.c);
    this.undo = new Undo(this.c);
    const book = (orderId: string) => this.completion.book(orderId);
    this.insured = new InsuredSettlement(this.c, book);
    this.cash = new CashShare(this.c, { book, undo: (id) => this.undo.afterPaymentFailed(id), recover: () => this.recoverInDoubt() });
    this.hisChanges = new HisChanges(this.c, (id) => this.undo.resume(id));
  }

  /** HX-08..10: the identified patient's unsettled HIS orders, kept as station orders. */
  async listOrders(operator: OperatorView, identificationId: string): Promise<OrderView[]> {
    const { d } = this.c;
    const ident = d.persons.identification(identificationId);
    if (!ident) throw new StationError('NOT_FOUND', '没有这次身份识别记录，请重新识别患者');
    const patient = await d.his.patient({ idNo: ident.person.certNo });
    if (patient.kind === 'rejected') throw new StationError('PATIENT_NOT_FOUND', `HIS 中没有该患者：${patient.message}`);
    if (patient.kind === 'unknown') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法连接，请稍后重试');
    const orders = await d.his.unsettledOrders(patient.value.patientId);
    if (orders.kind !== 'ok') throw new StationError('CENTRE_UNREACHABLE', 'HIS 无法返回待缴费处方，请稍后重试');
    // No insurance (uninsured, identified by the hospital card): the orders are kept all the same, payable as self-pay.
    const insurance = ident.person.insurances[0] ?? { insutype: '', insuredRegion: ident.insuredRegion };
    const who = {
      identificationId,
      psnNo: ident.person.psnNo,
      insutype: insurance.insutype,
      insuredRegion: insurance.insuredRegion,
      cert: { type: ident.certType, no: ident.certNo },
      operatorId: operator.id,
    };
    const ids = orders.value.map((o) => d.orders.upsertFromHis(o, who, d.ids.rowId(), d.now()));
    return ids.map((id) => this.c.view(id));
  }

  preSettle(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.insured.preSettle(operator, orderId);
  }

  settle(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.insured.settle(operator, orderId);
  }

  payByCode(operator: OperatorView, orderId: string, scanId: string): Promise<OrderView> {
    return this.cash.payByCode(operator, orderId, scanId);
  }

  payByCash(operator: OperatorView, orderId: string, tenderedFen: Fen): Promise<OrderView> {
    return this.cash.payByCash(operator, orderId, tenderedFen);
  }

  payByCard(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.cash.payByCard(operator, orderId);
  }

  payByQr(operator: OperatorView, orderId: string, wallet?: PaymentWallet): Promise<OrderView> {
    return this.cash.payByQr(operator, orderId, wallet);
  }

  cancelPayment(operator: OperatorView, orderId: string): Promise<OrderView> {
    return this.cash.cancelPayment(operator, orderId);
  }

  selfPay(operator: OperatorView, orderId: string): OrderView {
    return this.cash.selfPay(operator, orderId);
  }

  cancelSettlement(operator: OperatorView, orderId: string, why?: string): Promise<OrderView> {
    return this.undo.cancelSettlement(operator, orderId, why);
  }

  /** 退费: the whole bill, or the lines `seqs` (部分退费). */
  async refundOrder(operator: OperatorView, orderId: string, why: string, seqs: readonly number[] = []): Promise<OrderView> {
    // The bill's follow-up may be sending the payer's message now: a notice, not a movement in doubt, so wait for it.
    await this.completion.settled(orderId);
    return this.refunds.refundOrder(operator, orderId, why, seqs);
  }

  sweepExpired(): Promise<number> {
    return this.undo.sweepExpired();
  }

  pollHisChanges(): Promise<number> {
    return this.hisChanges.poll();
  }

  sweepCompleted(): Promise<void> {
    return this.completion.sweep();
  }

  afterCompletion(orderId: string): Promise<void> {
    return this.completion.afterCompletion(orderId);
  }

  /** The resolver finished a movement of an order: take the saga's next step. */
  async continueAfter(e: { kind: string; orderId: string; final: FinalState }): Promise<void> {
    await this.c.whileStepping(e.orderId, async () => {
      const order = this.c.d.orders.get(e.orderId);
      if (!order) return;
      const step = nextStep(OUTPATIENT_NEXT_STEPS, e, order.state);
      // The movement's own final transaction changed the order: every window sees it before the next step runs.
      this.c.changed(order.id);
      if (step) await this.take(step, order.id);
    });
  }

  /**
   * At start and on every sweep: an order whose movements have all finished but whose next step was not taken —
   * the station stopped between a movement's final state and that step.
   */
  async recoverInDoubt(): Promise<void> {
    const { d } = this.c;
    for (const { id, state } of d.orders.inStates(actionableStates(RECOVERY_STEPS))) {
      if (d.outbox.isLocked(id) || this.c.stepping.has(id)) continue; // still being resolved, or its step is running
      const last = d.lastFinished(id);
      const step = last ? nextStep(RECOVERY_STEPS, last, state) : null;
      if (step) await this.c.whileStepping(id, () => this.take(step, id));
    }
  }

  /** A step with calls of its own; the two that follow in the background announce their own changes. */
  private async take(step: OutpatientStep, orderId: string): Promise<void> {
    switch (step) {
      case 'book':
        await this.completion.book(orderId);
        this.c.changed(orderId);
        break;
      case 'follow-up':
        this.completion.followUp(orderId);
        break;
      case 'undo':
        this.c.inBackground(() => this.undo.resume(orderId), 'undo');
        break;
      case 'refund':
        this.c.inBackground(() => this.refunds.resume(orderId), 'refund');
        break;
    }
  }

  async stop(): Promise<void> {
    await this.c.stop();
  }

  /** Today's orders of this operator (a doctor: of their patients too), newest first (HX-19 doctor station). */
  listToday(operator: OperatorView): OrderView[] {
    const { d } = this.c;
    const now = d.now();
    const today = localDay(now, d.timeZone);
    return d.orders
      .today(new Date(now.getTime() - LONGEST_DAY_MS), {
        operatorId: operator.id,
        ...(operator.role === 'doctor' ? { doctorName: operator.name } : {}),
      })
      .filter((o) => localDay(new Date(o.updatedAt), d.timeZone) === today)
      .map((o) => this.c.view(o.id));
  }

  /** The order as stored, for the slip (receipts) — only once it is settled, or refunded (the refund slip). */
  settledOrder(orderId: string): OrderRecord {
    const o = this.c.d.orders.get(orderId);
    if (!o) throw new StationError('NOT_FOUND', '没有这张收费单');
    if (o.state !== 'completed' && o.state !== 'insurance-settled' && o.state !== 'refunded')
      throw new StationError('CONFLICT', '该收费单尚未结算完成，不能打印结算单');
    return o;
  }

  /** The order's latest finished refund, what went back on each trade and the lines it took back, for its slip. */
  finishedRefund(orderId: string): FinishedRefund | null {
    const refund = this.refundsRepo.latest(orderId);
    if (refund?.state !== 'refunded') return null;
    const lines = refund.partial ? this.c.d.orders.refundedLines(orderId, refund.id) : [];
    return { refund, payments: this.refundsRepo.payments(refund.id), lines };
  }

  /** The order's fiscal e-bill, for its slip; null where the station issues none. */
  ebillOf(orderId: string): OrderView['ebill'] {
    return this.c.bills?.view(orderId) ?? null;
  }

  operatorName(order: OrderRecord): string {
    return this.c.operatorOf(order).name;
  }
}
