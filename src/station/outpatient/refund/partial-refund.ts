/**
 * The steps of a partial refund (部分退费) that a whole one does not have, after HIS approved the lines and the
 * centre cancelled the settlement (2208) and its fee batch (2205):
 *
 *   insured:  2204 of the remaining lines (a new batch) → 2207 of them (the new split; what goes back is written
 *             with it) — then, as a whole refund, the self-pay difference on its trades — then HIS books the rest
 *   self-pay: the lines leave the order and their amount goes back on the trades, in one write
 *
 * HIS's confirmation (refund.confirm) carries the new settlement and what each trade keeps.
 */
import { fen } from '../../../shared/money';
import type { HisPaymentLine, PartialRefundConfirm } from '../../../insurance/his';
import { MOVEMENT_KINDS } from '../../movements';
import type { RunResult } from '../../outbox';
import type { OutpatientContext } from '../context';
import { feesPayloadOf, settlementInput } from '../insured-settlement';
import { hisPaymentLine } from '../order-effects';
import type { OrderRecord } from '../orders-repo';
import { shares, type RefundFeesPayload, type RefundSettlementPayload } from './partial-movements';
import type { RefundLinesRepo } from './refund-lines';
import type { RefundRecord, RefundsRepo } from './refunds-repo';

type Step = (run: () => Promise<RunResult<unknown>>) => Promise<boolean>;

export class PartialRefundSteps {
  constructor(
    private readonly c: OutpatientContext,
    private readonly refunds: RefundsRepo,
    private readonly lines: RefundLinesRepo,
  ) {}

  /**
   * The centre's (or the self-pay order's) side of the rest, one step: 'ready' once it is done and the money may go
   * back, else whether another step may follow now.
   */
  async next(order: OrderRecord, refund: RefundRecord, step: Step): Promise<boolean | 'ready'> {
    const { d } = this.c;
    if (order.settleMode === 'self-pay' || !order.mdtrtId) {
      if (!this.lines.isTakenBack(order.id, refund.id)) this.takeBackSelfPay(order, refund);
      return 'ready';
    }
    const done = d.succeededSince(order.id, MOVEMENT_KINDS.refundApply);
    if (done.has(MOVEMENT_KINDS.refundSettlement)) return 'ready';
    const base = { operator: this.c.operatorOf(order), insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    const taken = new Set(this.lines.lines(refund.id).map((l) => l.seq));
    const rest = order.lines.filter((l) => !taken.has(l.seq));
    const chrgBchno = `${order.hisOrderNo}R${refund.id.replaceAll('-', '').slice(0, 8)}`.slice(-30);
    if (!done.has(MOVEMENT_KINDS.refundFees)) {
      const p: RefundFeesPayload = { ...feesPayloadOf(order, base, d.timeZone, { chrgBchno, lines: rest }), refundId: refund.id };
      return step(() => d.outbox.run(MOVEMENT_KINDS.refundFees, { orderId: order.id, externalId: d.newMsgid(), payload: p }));
    }
    const medfee = fen(rest.reduce((sum, l) => sum + l.amountFen, 0));
    const p: RefundSettlementPayload = {
      operator: base.operator,
      insuredRegion: order.insuredRegion,
      input: { ...settlementInput(order), medfee_sumamt: medfee },
      refundId: refund.id,
    };
    return step(() => d.outbox.run(MOVEMENT_KINDS.refundSettlement, { orderId: order.id, externalId: d.newMsgid(), payload: p }));
  }

  /** HIS's booking of what remains: the order's new split and what each trade keeps after the refund. */
  rebooking(order: OrderRecord, refund: RefundRecord, hisApplyId: string): PartialRefundConfirm {
    const { d } = this.c;
    const split = order.split!;
    const payments: HisPaymentLine[] = d.orders.payments
      .paid(order.id)
      .map((p) => hisPaymentLine({ ...p, amountFen: p.amountFen - this.refunds.givenBack(p.outTradeNo) }))
      .filter((p) => p.amountFen > 0);
    return {
      refundId: hisApplyId,
      settleId: refund.resettleId!,
      mdtrtId: order.mdtrtId ?? '',
      setlId: order.setlId ?? '',
      medfeeFen: order.totalFen,
      fundFen: order.settleMode === 'self-pay' ? fen(0) : split.fundFen,
      acctFen: order.settleMode === 'self-pay' ? fen(0) : split.accountFen,
      cashFen: order.settleMode === 'self-pay' ? order.totalFen : split.cashFen,
      payments,
    };
  }

  /** Self-pay: nothing at the centre; the lines leave the order and their amount goes back, written at once. */
  private takeBackSelfPay(order: OrderRecord, refund: RefundRecord): void {
    const { d } = this.c;
    const back = fen(this.lines.lines(refund.id).reduce((sum, l) => sum + l.amountFen, 0));
    d.db.transaction(() => {
      this.lines.takeBack(order.id, refund.id, d.now());
      const rest = fen(order.totalFen - back);
      if (order.split) d.orders.update(order.id, { split: { ...order.split, totalFen: rest, cashFen: rest } }, d.now());
      this.refunds.setAmounts(refund.id, { fundFen: fen(0), acctFen: fen(0), cashFen: back }, d.now());
      this.refunds.addPayments(refund.id, shares({ ...d, refunds: this.refunds }, order.id, back), d.now());
    })();
  }
}
