/**
 * The fiscal e-bill of an outpatient order (AQ-15 / SX-02 / SX-03): issued once HIS booked the settlement,
 * checked before a refund (a bill reimbursed by an insurer or employer forbids it), red-flushed once the money is
 * back — and, after a refund by line, a new one issued for the rest (全退重收: the old bill red-flushed first). Each call to the platform is an outbox movement on the order (ebill-movements.ts); none moves money, so
 * a refusal is recorded and shown, never a reason to undo the settlement.
 */
import type { EBillPort } from '../../insurance/ebill';
import type { OrderEBillView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { SingleFlight } from '../../shared/single-flight';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type Outbox } from '../outbox';
import type { Db } from '../store';
import { redFlushPayload, registerEBillMovements } from './ebill-movements';
import { EBillsRepo, viewOf } from './ebills-repo';
import { issueRequest, type BillableOrder } from './issue-request';

export interface OrderBillsDeps {
  db: Db;
  outbox: Outbox;
  port: EBillPort;
  /** This window's billing point (开票点). */
  placeCode: string;
  now: () => Date;
  /** The order as its bill needs it, with its state; undefined: no such order. */
  orderOf: (orderId: string) => (BillableOrder & { state: string }) | undefined;
  /** Every window sees the order's bill as it changes. */
  changed: (orderId: string) => void;
}

export const REIMBURSED_REFUSAL = '该笔费用的电子票据已报销入账，不能退费，请联系医保办';

export class OrderBills {
  readonly repo: EBillsRepo;
  /** One issue at a time per order: the completion's follow-up and the sweep may both get here. */
  private readonly issuing = new SingleFlight<void>();

  constructor(private readonly d: OrderBillsDeps) {
    this.repo = new EBillsRepo(d.db);
    registerEBillMovements(d.outbox, { port: d.port, repo: this.repo, now: d.now });
  }

  /**
   * Issues the bill of the order's current HIS booking if it has none (issued, in doubt and refused ones are left
   * as they are); a bill whose booking is gone (a refund by line booked the rest again) is red-flushed first.
   */
  issue(orderId: string): Promise<void> {
    return this.issuing.run(orderId, () => this.issueOnce(orderId));
  }

  private async issueOnce(orderId: string): Promise<void> {
    const booked = this.d.orderOf(orderId);
    if (booked?.state !== 'completed' || !booked.busNo) return;
    if (!(await this.redFlushSuperseded(orderId, '部分退费，全退重收'))) return;
    const order = this.d.orderOf(orderId); // again: the red-flush took a while
    if (order?.state !== 'completed' || order.busNo !== booked.busNo) return;
    const known = this.repo.byBusNo(order.busNo);
    if (known && !(known.state === 'refused' && known.reissueAsked)) return;
    const payload = issueRequest(order, this.d.placeCode);
    // The same busNo every time (one settlement, one bill); each request its own intent.
    const externalId = known ? `EB${order.busNo}-${known.attempts + 1}` : `EB${order.busNo}`;
    const now = this.d.now();
    await this.run(orderId, () =>
      this.d.outbox.run(MOVEMENT_KINDS.ebillIssue, {
        orderId,
        externalId,
        payload,
        prepare: () => (known ? this.repo.reissue(order.busNo, now) : this.repo.begin(orderId, order.busNo, order.totalFen, now)),
      }),
    );
  }

  /**
   * Before a refund starts: a reimbursed bill (已报销入账) forbids it, and so does a status the platform cannot
   * give now — the money must not go back on a bill someone else already claimed.
   */
  async checkRefundable(orderId: string): Promise<void> {
    const bill = this.repo.latest(orderId);
    if (bill?.state === 'issuing') throw new StationError('ORDER_BUSY', '电子票据开具结果未知，正在核实，请稍后再退费');
    if (bill?.state !== 'issued' || !bill.billCode || !bill.billNo) return;
    const status = await this.d.port.status(bill.billCode, bill.billNo);
    if (status.kind !== 'ok') throw new StationError('CENTRE_UNREACHABLE', '电子票据平台未能答复票据状态，未退费，请稍后重试');
    if (status.value.reimbursed) throw new StationError('CONFLICT', REIMBURSED_REFUSAL);
  }

  /**
   * After a refund finished: a whole one red-flushes the bill; one by line red-flushes it and issues the rest's
   * (busNo: the rebooking's settle id).
   */
  async afterRefund(orderId: string): Promise<void> {
    const order = this.d.orderOf(orderId);
    if (order?.state === 'refunded') await this.redFlushSuperseded(orderId, '全额退费');
    else if (order?.state === 'completed') await this.issue(orderId);
  }

  /**
   * Bills owed: orders booked since `since` without one (a stop after the booking), orders changed since `since`
   * whose bill's booking is gone but the bill still issued, refused bills IT asked to issue again.
   */
  async sweep(since: Date): Promise<void> {
    for (const id of this.repo.owingRedFlush(since)) await this.afterRefund(id);
    for (const id of [...this.repo.owingIssue(since), ...this.repo.owingReissue()]) await this.issue(id);
  }

  /** Red-flushes the order's issued bills whose booking is gone; true when none is left to red-flush. */
  private async redFlushSuperseded(orderId: string, reason: string): Promise<boolean> {
    const order = this.d.orderOf(orderId);
    for (const bill of this.repo.superseded(orderId)) {
      if (!bill.billCode || !bill.billNo || !order) return false;
      // The red bill names who asked the refund; the cashier who settled only where no refund says otherwise.
      const operator = order.refundOperatorName ?? order.operatorName;
      const payload = redFlushPayload(bill, reason, operator, this.d.now(), this.d.placeCode);
      const r = await this.run(orderId, () =>
        this.d.outbox.run(MOVEMENT_KINDS.ebillRedFlush, { orderId, externalId: `EBR${bill.busNo}`, payload }),
      );
      if (r !== 'succeeded') return false;
    }
    return true;
  }

  /** Runs one movement of the order; another in doubt leaves this one to the sweep. Every window sees the bill change. */
  private async run(orderId: string, run: () => Promise<{ state: string }>): Promise<string> {
    try {
      const r = await run();
      this.d.changed(orderId);
      return r.state;
    } catch (e) {
      if (e instanceof OrderLockedError) return 'locked';
      throw e;
    }
  }

  /** The order's latest bill, as the screens and the slip show it. */
  view(orderId: string): OrderEBillView | null {
    const bill = this.repo.latest(orderId);
    return bill ? viewOf(bill) : null;
  }
}
