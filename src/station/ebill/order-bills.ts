/**
 * The fiscal e-bill of an outpatient order (AQ-15 / SX-02 / SX-03): issued once HIS booked the settlement,
 * checked before a refund (a bill reimbursed by an insurer or employer forbids it), red-flushed once the money is
 * back. Each call to the platform is an outbox movement on the order (ebill-movements.ts); none moves money, so
 * a refusal is recorded and shown, never a reason to undo the settlement.
 */
import type { EBillPort } from '../../insurance/ebill';
import type { OrderEBillView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import { MOVEMENT_KINDS } from '../movements';
import { OrderLockedError, type Outbox } from '../outbox';
import type { Db } from '../store';
import { issueMovement, redFlushMovement } from './ebill-movements';
import { EBillsRepo } from './ebills-repo';
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
  private readonly issuing = new Set<string>();

  constructor(private readonly d: OrderBillsDeps) {
    this.repo = new EBillsRepo(d.db);
    const movementDeps = { port: d.port, repo: this.repo, now: d.now };
    d.outbox.register(issueMovement(movementDeps));
    d.outbox.register(redFlushMovement(movementDeps));
  }

  /** Issues the bill of a booked order that has none yet (issued, in doubt and refused ones are left as they are). */
  async issue(orderId: string): Promise<void> {
    if (this.issuing.has(orderId) || this.repo.get(orderId)) return;
    const order = this.d.orderOf(orderId);
    if (order?.state !== 'completed' || !order.busNo) return;
    const payload = issueRequest(order, this.d.placeCode);
    this.issuing.add(orderId);
    try {
      await this.d.outbox.run(MOVEMENT_KINDS.ebillIssue, {
        orderId,
        externalId: `EB${order.busNo}`,
        payload,
        prepare: () => this.repo.begin(orderId, order.busNo, order.totalFen, this.d.now()),
      });
    } catch (e) {
      if (e instanceof OrderLockedError) return; // another step of the order is in doubt: the sweep issues it later
      throw e;
    } finally {
      this.issuing.delete(orderId);
    }
    this.d.changed(orderId);
  }

  /**
   * Before a refund starts: a reimbursed bill (已报销入账) forbids it, and so does a status the platform cannot
   * give now — the money must not go back on a bill someone else already claimed.
   */
  async checkRefundable(orderId: string): Promise<void> {
    const bill = this.repo.get(orderId);
    if (bill?.state === 'issuing') throw new StationError('ORDER_BUSY', '电子票据开具结果未知，正在核实，请稍后再退费');
    if (bill?.state !== 'issued' || !bill.billCode || !bill.billNo) return;
    const status = await this.d.port.status(bill.billCode, bill.billNo);
    if (status.kind !== 'ok') throw new StationError('CENTRE_UNREACHABLE', '电子票据平台未能答复票据状态，未退费，请稍后重试');
    if (status.value.reimbursed) throw new StationError('CONFLICT', REIMBURSED_REFUSAL);
  }

  /** After a whole refund: the bill is red-flushed (once; a refused red-flush waits for a person). */
  async redFlush(orderId: string, reason = '全额退费'): Promise<void> {
    const bill = this.repo.get(orderId);
    const order = this.d.orderOf(orderId);
    if (bill?.state !== 'issued' || !bill.billCode || !bill.billNo || order?.state !== 'refunded') return;
    const payload = {
      billCode: bill.billCode,
      billNo: bill.billNo,
      reason,
      operator: order.operatorName,
      busTime: this.d.now().toISOString(),
      placeCode: this.d.placeCode,
    };
    try {
      await this.d.outbox.run(MOVEMENT_KINDS.ebillRedFlush, { orderId, externalId: `EBR${bill.busNo}`, payload });
    } catch (e) {
      if (e instanceof OrderLockedError) return;
      throw e;
    }
    this.d.changed(orderId);
  }

  /** Bills owed after a stop: booked orders since `since` without one, refunded orders whose bill is still issued. */
  async sweep(since: Date): Promise<void> {
    for (const id of this.repo.owingIssue(since)) await this.issue(id);
    for (const id of this.repo.owingRedFlush()) await this.redFlush(id);
  }

  view(orderId: string): OrderEBillView | null {
    const bill = this.repo.get(orderId);
    if (!bill) return null;
    const red = bill.red;
    return {
      state: bill.state,
      code: bill.billCode ?? '',
      no: bill.billNo ?? '',
      checkCode: bill.checkCode ?? '',
      url: bill.url ?? '',
      red: red ? { code: red.billCode ?? '', no: red.billNo ?? '', checkCode: red.checkCode ?? '', url: red.url ?? '' } : null,
    };
  }
}
