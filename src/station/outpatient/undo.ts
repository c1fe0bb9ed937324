/**
 * Undoing the insurance part of an outpatient order (HX-28, HX-33..35): the cashier's cancel and the automatic
 * undo when the cash share failed ('reversing' → open again, settleable), or the top-up window passed ('expiring'
 * → expired): 2208 → 2205 → 2202 for what this round did, each a movement, skipped when already done, resumed
 * from the last step done after a crash or a lost answer. A 2208 alone would leave the visit and its fee lines
 * open at the centre, and HIS would hand back an order the station can never settle again.
 */
import { StationError } from '../../shared/result';
import { SingleFlight } from '../../shared/single-flight';
import type { OperatorView, OrderView } from '../../shared/domain';
import { reason } from '../../shared/order-reasons';
import { MOVEMENT_KINDS } from '../movements';
import type { OutpatientContext } from './context';
import type { FeesCancelPayload, RegistrationCancelPayload, SettlementCancelPayload } from './movements';

export class Undo {
  /** One undo at a time per order: the sweep and the saga's next step may both reach the same order. */
  private readonly unwinding = new SingleFlight<boolean>();

  constructor(private readonly c: OutpatientContext) {}

  /**
   * HX-28, by the cashier (confirmed on screen, with a reason): the patient cannot or will not pay the cash share.
   * The same full undo as the automatic one — 2208 → 2205 → 2202 — and the order is open and settleable again.
   * An answer lost on the way leaves it 'reversing'; the sweep finishes it.
   */
  async cancelSettlement(_operator: OperatorView, orderId: string, why = ''): Promise<OrderView> {
    const { d } = this.c;
    // 'previewed': registered, details uploaded, nothing settled — the admin's quick reversal of a registration (HX-37)
    const order = this.c.order(orderId, ['awaiting-payment', 'previewed']);
    if (order.settleMode === 'self-pay') {
      d.orders.resetToOpen(orderId, reason('self-pay-cancelled', why), d.now());
      return this.c.changed(orderId);
    }
    // payBefore stays: should the centre refuse the 2208 itself, the order waits for its cash share again.
    d.orders.update(orderId, { state: 'reversing', reason: reason('settlement-cancelled', why) }, d.now());
    this.c.changed(orderId);
    await this.resume(orderId);
    const after = d.orders.get(orderId)!;
    if (after.state === 'awaiting-payment') throw new StationError('CENTRE_REJECTED', `医保结算撤销失败：${after.reason?.text ?? ''}`);
    return this.c.changed(orderId);
  }

  /** After a payment ended without money: the order shows why, and its undo starts (when it has one to do). */
  async afterPaymentFailed(orderId: string): Promise<void> {
    this.c.changed(orderId);
    const order = this.c.d.orders.get(orderId);
    if (order?.state === 'reversing' || order?.state === 'expiring') await this.resume(orderId);
  }

  /**
   * HX-33..35: an order whose top-up window passed is expired and stops waiting; its insurance settlement is
   * cancelled and its registration reversed. Orders being undone ('reversing', 'expiring') resume here too. Runs
   * on a timer and at start. Returns how many orders expired.
   */
  async sweepExpired(): Promise<number> {
    const { d } = this.c;
    const now = d.now().getTime();
    let expired = 0;
    for (const { id, state, mode, payBefore } of d.orders.inStates(['awaiting-payment', 'expiring', 'reversing', 'reversed'])) {
      if (state === 'awaiting-payment' && (payBefore === null || new Date(payBefore).getTime() > now)) continue;
      if (d.outbox.isLocked(id)) continue; // a payment or a cancel of it is still being resolved
      if (state === 'reversed') {
        // Cancelled by 2208 alone (before the cancel did the whole undo): 2205 and 2202 still to do, then open.
        d.orders.update(id, { state: 'reversing' }, d.now());
        await this.resume(id);
        continue;
      }
      if (mode === 'self-pay' && state === 'awaiting-payment') {
        // Nothing booked anywhere: the order is simply open again.
        d.orders.resetToOpen(id, reason('self-pay-window-passed'), d.now());
        this.c.changed(id);
        continue;
      }
      if (state === 'awaiting-payment') {
        d.orders.update(id, { state: 'expiring', reason: reason('pay-window-passed') }, d.now());
        this.c.changed(id);
      }
      if (await this.resume(id)) expired += state === 'reversing' ? 0 : 1;
    }
    return expired;
  }

  /**
   * Takes the undo of an order in 'reversing' / 'expiring' as far as it goes now; true when it finished. One run per
   * order: a second caller (the cashier's cancel while the sweep took the order up between two steps) waits for it.
   */
  resume(orderId: string): Promise<boolean> {
    return this.unwinding.run(orderId, () => this.unwindOnce(orderId));
  }

  private async unwindOnce(orderId: string): Promise<boolean> {
    try {
      return await this.unwind(orderId);
    } catch (e) {
      // An answer lost on the way: the outbox resolves it, the next sweep resumes from there.
      if (!(e instanceof StationError)) throw e;
      const order = this.c.d.orders.get(orderId);
      // An unknown outcome already says so (note 'undo-unknown'); anything else is retried by the next sweep.
      const undoing = order?.state === 'reversing' || order?.state === 'expiring';
      if (undoing && order.reason && e.code !== 'OUTCOME_UNKNOWN') {
        this.c.d.orders.update(orderId, { reason: { ...order.reason, note: 'undo-retrying', noteText: e.message } }, this.c.d.now());
      }
      this.c.changed(orderId);
      return false;
    }
  }

  /** 2208 → 2205 → 2202 for what this round did, skipping what is already undone; then the order's end state. */
  private async unwind(orderId: string): Promise<boolean> {
    const { d } = this.c;
    const order = this.c.order(orderId, ['expiring', 'reversing']);
    const operator = this.c.operatorOf(order);
    const base = { operator, insuredRegion: order.insuredRegion, psnNo: order.psnNo };
    // Counted from this round's registration: an order settled, undone and settled again starts afresh.
    const done = d.succeededSince(orderId, MOVEMENT_KINDS.registration);
    if (order.setlId && !done.has(MOVEMENT_KINDS.settlementCancel)) {
      const p: SettlementCancelPayload = { ...base, setlId: order.setlId, mdtrtId: order.mdtrtId! };
      await this.c.run(MOVEMENT_KINDS.settlementCancel, order, p);
    }
    if (order.chrgBchno && !done.has(MOVEMENT_KINDS.feesCancel)) {
      const p: FeesCancelPayload = { ...base, mdtrtId: order.mdtrtId!, chrgBchno: order.chrgBchno };
      await this.c.run(MOVEMENT_KINDS.feesCancel, order, p);
    }
    if (order.mdtrtId && !done.has(MOVEMENT_KINDS.registrationCancel)) {
      const p: RegistrationCancelPayload = { ...base, mdtrtId: order.mdtrtId, iptOtpNo: order.hisOrderNo };
      await this.c.run(MOVEMENT_KINDS.registrationCancel, order, p);
    }
    // The reason stays (the label table says "…已自动撤销" / "…已撤销" for the end state); the note goes.
    const cause = order.reason ? { ...order.reason, note: null, noteText: '' } : null;
    if (order.state === 'reversing') d.orders.resetToOpen(orderId, cause, d.now());
    else d.orders.update(orderId, { state: 'expired', payBefore: null, reason: cause ?? reason('pay-window-passed') }, d.now());
    this.c.changed(orderId);
    return true;
  }
}
