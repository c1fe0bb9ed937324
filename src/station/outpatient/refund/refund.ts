/**
 * The refund of a completed bill (退费, issue 13 item 2), as a saga over the outbox:
 *
 *   completed → refunding: HIS's application ─ refused (drugs dispensed …) → completed, nothing moved
 *     → 2208 ─ the centre refuses (an earlier day past its rule …) → HIS's application withdrawn → completed
 *     → 2205 → 2202 (the visit closed at the centre, as an undo leaves it)
 *     → each payment back on its own channel (refund, refundquery until SUCCESS; cash from the drawer, 现金退款)
 *     → HIS confirms (its settle.cancel) → refunded
 *
 * By line (部分退费, partial-refund.ts): HIS's application names the lines; after 2208 and 2205 the remaining lines
 * are uploaded and settled again (2204 + 2207), the self-pay difference goes back on the trades, and HIS books the
 * rest (refund.confirm): the order stays completed with what remains.
 *
 * Each step is a movement (refund-movements.ts) that writes its effect in the transaction recording it final, so
 * the saga resumes from the refund row and the outbox's journal alone — after a lost answer (the resolver's
 * `finished` event runs the next-step table), or a kill (recovery at start runs the same table).
 */
import { StationError } from '../../../shared/result';
import type { OperatorView, OrderView } from '../../../shared/domain';
import { fen } from '../../../shared/money';
import { SingleFlight } from '../../../shared/single-flight';
import { reason } from '../../../shared/order-reasons';
import { MOVEMENT_KINDS } from '../../movements';
import { OrderLockedError, type RunResult } from '../../outbox';
import type { OutpatientContext } from '../context';
import type { OrderRecord } from '../orders-repo';
import type { FeesCancelPayload, RegistrationCancelPayload } from '../movements';
import type {
  PayRefundPayload,
  RefundApplyPayload,
  RefundConfirmPayload,
  RefundSettlementCancelPayload,
  RefundWithdrawPayload,
} from './refund-movements';
import { PartialRefundSteps } from './partial-refund';
import type { RefundLinesRepo } from './refund-lines';
import type { RefundRecord, RefundsRepo } from './refunds-repo';

/** Cash goes back from the drawer, a card by the terminal's 退货, a wallet's on its platform (the default). */
const REFUND_KIND_OF: Record<string, string> = { cash: MOVEMENT_KINDS.cashRefund, card: MOVEMENT_KINDS.cardRefund };

export class Refunds {
  /** One pass at a time per order: the cashier's call, the resolver's next step and recovery may all get here. */
  private readonly running = new SingleFlight<void>();
  private readonly partial: PartialRefundSteps;

  constructor(
    private readonly c: OutpatientContext,
    private readonly refunds: RefundsRepo,
    private readonly lines: RefundLinesRepo,
  ) {
    this.partial = new PartialRefundSteps(c, refunds, lines);
  }

  /**
   * The cashier refunds a completed bill, whole or the lines `seqs` (部分退费; every line ticked is the whole bill);
   * the answer shows where it got (the rest follows by itself).
   */
  async refundOrder(operator: OperatorView, orderId: string, why: string, seqs: readonly number[] = []): Promise<OrderView> {
    const { d } = this.c;
    if (this.c.bills) {
      this.c.order(orderId, ['completed']);
      await this.c.bills.checkRefundable(orderId); // a reimbursed e-bill forbids the refund: nothing is moved
    }
    const order = this.c.order(orderId, ['completed']); // (again after the bill's check: nothing else began meanwhile)
    if (!order.hisSettleId || !order.split) throw new StationError('CONFLICT', '该收费单没有 HIS 结算记录，不能退费');
    const taken = order.lines.filter((l) => seqs.includes(l.seq));
    if (taken.length !== new Set(seqs).size) throw new StationError('INVALID_ARGUMENT', '所选项目不在该收费单中或已退费');
    const partial = taken.length > 0 && taken.length < order.lines.length;
    const refundId = d.ids.rowId();
    const { applyId, confirmId, resettleId } = d.ids.hisRefundIds(refundId);
    // What each trade still holds (an earlier partial refund gave some back); a partial refund's shares follow its 2207.
    const paid = d.orders.payments.paid(orderId).map((p) => ({ ...p, amountFen: fen(p.amountFen - this.refunds.givenBack(p.outTradeNo)) }));
    const payments = partial
      ? []
      : paid
          .filter((p) => p.amountFen > 0)
          .map((p) => ({
            outTradeNo: p.outTradeNo,
            outRefundNo: d.ids.refundNo(p),
            channel: p.channel,
            amountFen: p.amountFen,
          }));
    const payload: RefundApplyPayload = {
      refundId,
      applyId,
      settleId: order.hisSettleId,
      reason: why,
      ...(partial
        ? {
            lines: this.lines.hisKeys(
              orderId,
              taken.map((l) => l.seq),
            ),
          }
        : {}),
    };
    const insured = order.settleMode !== 'self-pay' && !partial;
    await this.step(orderId, () =>
      d.outbox.run(MOVEMENT_KINDS.refundApply, {
        orderId,
        externalId: applyId,
        payload,
        // The refund, its ids and the order's state are written with the application's intent, in one transaction.
        prepare: () => {
          this.refunds.insert(
            {
              id: refundId,
              orderId,
              hisApplyId: applyId,
              hisConfirmId: confirmId,
              fundFen: insured ? order.split!.fundFen : fen(0),
              acctFen: insured ? order.split!.accountFen : fen(0),
              cashFen: partial ? fen(0) : fen(payments.reduce((sum, p) => sum + p.amountFen, 0)),
              operatorId: operator.id,
              partial,
              resettleId,
            },
            payments,
            d.now(),
          );
          if (partial)
            this.lines.insert(
              refundId,
              taken.map((l) => ({ seq: l.seq, amountFen: l.amountFen })),
            );
          d.orders.update(orderId, { state: 'refunding', reason: reason('refund-requested', why) }, d.now());
        },
      }),
    );
    this.c.changed(orderId);
    await this.resume(orderId);
    const after = d.orders.get(orderId)!;
    if (after.state === 'completed' && after.reason?.code === 'refund-refused') throw new StationError('CONFLICT', after.reason.text);
    return this.c.changed(orderId);
  }

  /**
   * Takes the order's refund as far as it goes now (after a lost answer or a restart too). One run per order: a
   * second caller (the cashier's refund while the sweep took the order up between two steps) waits for that run and
   * sees where it got to, rather than an order still "refunding".
   */
  resume(orderId: string): Promise<void> {
    return this.running.run(orderId, () =>
      this.steps(orderId)
        .then(() => this.afterRefund(orderId))
        .finally(() => {
          if (this.c.d.orders.get(orderId)) this.c.changed(orderId);
        }),
    );
  }

  /** The refund is done: the order's e-bill is red-flushed (by line: and the rest's bill issued). */
  private async afterRefund(orderId: string): Promise<void> {
    if (!this.c.bills || this.refunds.latest(orderId)?.state !== 'refunded') return;
    try {
      await this.c.bills.afterRefund(orderId);
    } catch (e) {
      (this.c.d.log ?? (() => {}))('[outpatient] e-bill after refund failed:', e); // the sweep tries again
    }
  }

  private async steps(orderId: string): Promise<void> {
    while (await this.next(orderId)) this.c.changed(orderId);
  }

  /** One step; true when another may follow now, false when it waits (a resolver, a person) or is done. */
  private async next(orderId: string): Promise<boolean> {
    const { d } = this.c;
    const order = d.orders.get(orderId);
    const refund = this.refunds.latest(orderId);
    if (order?.state !== 'refunding' || !refund || d.outbox.isLocked(orderId)) return false;
    switch (refund.state) {
      case 'applied':
        return this.cancelAtCentre(order, refund);
      case 'withdrawing': {
        const p: RefundWithdrawPayload = { refundId: refund.id, applyId: refund.hisApplyId };
        return this.step(orderId, () =>
          d.outbox.run(MOVEMENT_KINDS.refundWithdraw, { orderId, externalId: d.ids.compensationId('HC'), payload: p }),
        );
      }
      case 'centre-cancelled':
        return this.giveBack(order, refund);
      default:
        return false; // 'applying' is the outbox's to resolve; 'waiting' a person's; the rest are done
    }
  }

  /** 2208, then 2205 and 2202 (each once since the application): the centre's side of the bill undone. */
  private async cancelAtCentre(order: OrderRecord, refund: RefundRecord): Promise<boolean> {
    const { d } = this.c;
    if (order.settleMode === 'self-pay' || !order.setlId || !order.mdtrtId) {
      this.refunds.setState(refund.id, 'centre-cancelled', d.now());
      return true;
    }
    const base = { operator: this.c.operatorOf(order), insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    const p: RefundSettlementCancelPayload = { ...base, refundId: refund.id, setlId: order.setlId, mdtrtId: order.mdtrtId };
    return this.step(order.id, () =>
      d.outbox.run(MOVEMENT_KINDS.refundSettlementCancel, { orderId: order.id, externalId: d.newMsgid(), payload: p }),
    );
  }

  private async giveBack(order: OrderRecord, refund: RefundRecord): Promise<boolean> {
    const { d } = this.c;
    const done = d.succeededSince(order.id, MOVEMENT_KINDS.refundApply);
    const base = { operator: this.c.operatorOf(order), insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    if (order.chrgBchno && order.mdtrtId && !done.has(MOVEMENT_KINDS.feesCancel)) {
      const p: FeesCancelPayload = { ...base, mdtrtId: order.mdtrtId, chrgBchno: order.chrgBchno };
      // A refusal is tried again by the next sweep, not at once.
      return (
        (await this.run(() => d.outbox.run(MOVEMENT_KINDS.feesCancel, { orderId: order.id, externalId: d.newMsgid(), payload: p }))) ===
        'succeeded'
      );
    }
    if (refund.partial) {
      const rest = await this.partial.next(order, refund, (run) => this.step(order.id, run));
      if (rest !== 'ready') return rest;
    } else if (order.mdtrtId && !done.has(MOVEMENT_KINDS.registrationCancel)) {
      const p: RegistrationCancelPayload = { ...base, mdtrtId: order.mdtrtId, iptOtpNo: order.hisOrderNo };
      const r = await this.run(() =>
        d.outbox.run(MOVEMENT_KINDS.registrationCancel, { orderId: order.id, externalId: d.newMsgid(), payload: p }),
      );
      return r === 'succeeded';
    }
    const why = order.reason?.code === 'refund-requested' ? order.reason.text : '';
    const payments = this.refunds.payments(refund.id);
    const pending = payments.find((p) => p.state === 'pending');
    if (pending) {
      const trade = d.orders.payments.paid(order.id).find((p) => p.outTradeNo === pending.outTradeNo);
      const p: PayRefundPayload = {
        refundId: refund.id,
        outTradeNo: pending.outTradeNo,
        outRefundNo: pending.outRefundNo,
        totalFee: trade?.amountFen ?? pending.amountFen, // the platform checks the trade's own amount
        refundFee: pending.amountFen,
        reason: why,
      };
      const kind = REFUND_KIND_OF[pending.channel] ?? MOVEMENT_KINDS.payRefund;
      return this.step(order.id, () => d.outbox.run(kind, { orderId: order.id, externalId: pending.outRefundNo, payload: p }));
    }
    if (payments.some((p) => p.state === 'failed')) return false; // a person checks (the order says so)
    const p: RefundConfirmPayload = {
      refundId: refund.id,
      confirmId: refund.hisConfirmId,
      settleId: order.hisSettleId!,
      reason: why,
      ...(refund.partial ? { rebooking: this.partial.rebooking(order, refund, refund.hisApplyId) } : {}),
    };
    return this.step(order.id, () =>
      d.outbox.run(MOVEMENT_KINDS.refundConfirm, { orderId: order.id, externalId: refund.hisConfirmId, payload: p }),
    );
  }

  /**
   * Runs one movement; its effect is written by the movement itself. A definite answer lets the saga go on from
   * what it wrote (a refusal moved the refund to where it stops or turns back); a lost one stops here (the resolver
   * finishes it and the next-step table resumes the saga).
   */
  private async step(_orderId: string, run: () => Promise<RunResult<unknown>>): Promise<boolean> {
    return (await this.run(run)) !== 'unknown';
  }

  private async run(run: () => Promise<RunResult<unknown>>): Promise<RunResult<unknown>['state']> {
    try {
      return (await run()).state;
    } catch (e) {
      if (e instanceof OrderLockedError) throw new StationError('ORDER_BUSY', '该订单有结果未知的交易，正在核实，请稍候');
      throw e;
    }
  }
}
