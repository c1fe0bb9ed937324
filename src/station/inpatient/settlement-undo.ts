/**
 * A discharge settlement undone from the window (AQ-17 / HM-07), by a cashier or an administrator with a reason:
 * HIS cancels its booking (the deposits it applied are back on their records), then the centre's 2305; the stay is
 * discharged and unsettled again, to be priced and settled afresh. Each step is a movement, skipped once its state is
 * reached; the undo is recorded before the first, so one a stop or a lost answer left half done goes on by itself
 * (settlement-undo-steps.ts).
 *
 * Money that already moved is not moved back (HM-07): a surplus refunded (to a wallet, or in cash at the window) stays
 * refunded — HIS's deposit balances no longer hold it, so the next settlement has less deposit and may show a
 * shortfall; a shortfall paid at the bedside becomes a deposit at HIS's cancel (转预交金), on its channel, for the next
 * settlement to apply or refund. Refused only while money is still in flight: a refund paid out but not yet recorded
 * at HIS, a payment open, or a payment HIS has not booked yet.
 *
 * A discharge the patient paid on the phone (医保移动支付: its settlement is the mobile-payment centre's order) is
 * undone by the phone's own refund instead (HM-07/HM-10): HIS's booking cancelled with the payment refunded, not
 * turned into a deposit, then 6203 — the insurance reversed and the self-pay back to the wallet, the order refunded.
 * The window's 2305 would cancel the settlement while the order still said paid. That refund carries itself on after a
 * stop (the mobile-pay refunds resumed at start), so no undo record is written for it; only a 2405 asked after it is.
 */
import type { OperatorView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import type { Outbox } from '../outbox';
import type { UndoSteps } from './settlement-undo-steps';
import type { StayPaymentsRepo } from './stay-payments-repo';
import type { StayRecord, StaysRepo } from './stays-repo';

/** The phone's refund of a discharge it paid, as the mobile-payment channel offers it (wired when configured). */
export interface PhoneRefund {
  /** The mobile order whose settlement the stay holds (paid, booked or being refunded), if it was settled on the phone. */
  orderOf(iptNo: string, setlId: string): string | null;
  /** The order's refund, HIS's booking cancelled first where HIS booked it; the order's state as it stands after. */
  refund(orderId: string, reason: string): Promise<{ state: string; inDoubt: boolean; detail?: string }>;
}

export interface SettlementUndoDeps {
  stays: StaysRepo;
  payments: Pick<StayPaymentsRepo, 'paid' | 'pending'>;
  outbox: Outbox;
  /** The undo's steps once chosen, carried on after a stop (settlement-undo-steps.ts). */
  steps: UndoSteps;
  phone?: PhoneRefund | undefined;
  /** The phone's refund asked at the window: its operator is written on the stay's bill, which the refund red-flushes. */
  asked?: (stayId: string, operator: OperatorView) => void;
}

export class SettlementUndo {
  constructor(private readonly d: SettlementUndoDeps) {}

  /** `backToWard`: the discharge too (2405), the patient in hospital again — for a bill that must change. */
  async undo(operator: OperatorView, stayId: string, reason: string, backToWard = false): Promise<StayRecord> {
    const stay = this.undoable(stayId, backToWard);
    const phoneOrder = this.phoneOrderOf(stay);
    if (phoneOrder) {
      this.d.asked?.(stay.id, operator);
      await this.refundOnPhone(phoneOrder, reason);
      if (!backToWard) return this.d.stays.get(stay.id)!;
    }
    return this.d.steps.begin(operator, stay.id, reason, backToWard);
  }

  /** The stay's discharge as settled on the patient's phone: its mobile order, else null (the window's own path). */
  phoneOrderOf(stay: StayRecord): string | null {
    if ((stay.state !== 'completed' && stay.state !== 'settled') || !stay.settlement) return null;
    return this.d.phone?.orderOf(stay.iptNo, stay.settlement.setlId) ?? null;
  }

  private async refundOnPhone(orderId: string, reason: string): Promise<void> {
    const what = '医保移动支付退款';
    const r = await this.d.phone!.refund(orderId, reason);
    if (r.state === 'refunded') return;
    if (r.inDoubt || r.state === 'refunding') throw new StationError('OUTCOME_UNKNOWN', `${what}结果未知 — 正在自动核实，请稍候`);
    throw new StationError('CENTRE_REJECTED', `${what}失败：${r.detail ?? `订单状态 ${r.state}`}`);
  }

  private undoable(stayId: string, backToWard: boolean): StayRecord {
    const { d } = this;
    const stay = d.stays.get(stayId);
    if (!stay) throw new StationError('NOT_FOUND', '没有这次住院登记');
    if (d.outbox.isLocked(stay.id)) throw new StationError('ORDER_BUSY', '该次住院有结果未知的交易，正在核实，请稍候');
    // A discharged stay: its settlement already undone, the discharge asked after (a 2405 refused before, or now).
    if (backToWard && stay.state === 'discharged' && stay.mdtrtId) return stay;
    if ((stay.state !== 'completed' && stay.state !== 'settled') || !stay.settlement || !stay.mdtrtId)
      throw new StationError('CONFLICT', '该次住院没有可撤销的出院结算');
    if (stay.surplus?.refunds.some((r) => r.state === 'paid-back'))
      throw new StationError('ORDER_BUSY', '预交金退款已付出、正在 HIS 登记，请稍候再撤销');
    if (d.payments.pending(stay.id)) throw new StationError('ORDER_BUSY', '床旁补缴正在等待付款或核实，请稍候再撤销');
    // Paid but not booked: HIS does not hold the payment yet, so its cancel could not turn it into a deposit.
    if (stay.state === 'settled' && stay.booking === null && d.payments.paid(stay.id).length > 0)
      throw new StationError('CONFLICT', '补缴已收到但 HIS 尚未登记出院结算，请先在床旁完成登记后再撤销');
    return stay;
  }
}
