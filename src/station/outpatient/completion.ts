/**
 * The end of an outpatient order: HIS books it (HX-18 insured with its cash payments, HX-20 self-pay) — the
 * booking's movement completes the order in the transaction that records it — then, off the caller's path, HIS's
 * settlement details (HX-25), the fiscal e-bill (AQ-15, where configured) and one message to the payer's phone
 * (HX-27), each retried by the sweep until done.
 */
import { reason } from '../../shared/order-reasons';
import { SingleFlight } from '../../shared/single-flight';
import type { HisPaymentLine, HisSettlement } from '../../insurance/his';
import { paymentResultMessage, type PatientMessage } from '../../insurance/messages';
import { MOVEMENT_KINDS } from '../movements';
import type { OutpatientContext } from './context';
import { hisPaymentLine } from './order-effects';
import type { HisConfirmPayload, HisSelfPayPayload } from './movements';

/** Follow-up owed for orders completed within this long (older ones are left to the office). */
const FOLLOW_UP_WINDOW_MS = 24 * 3600_000;

export class Completion {
  /** One follow-up at a time per order: the completion itself and the sweep may both get here. */
  private readonly following = new SingleFlight<void>();

  constructor(private readonly c: OutpatientContext) {}

  /** HX-18/20: HIS books the settlement (insured, with its cash payments; or self-pay); then it is completed. */
  async book(orderId: string): Promise<void> {
    const { d } = this.c;
    const order = this.c.order(orderId);
    const split = order.split!;
    const payments: HisPaymentLine[] = d.orders.payments.paid(orderId).map(hisPaymentLine);
    const selfPay = order.settleMode === 'self-pay';
    const settleId = d.ids.hisSettleId(order.id, selfPay);
    // The settle id is written with the booking's intent, in one transaction.
    const prepare = () => d.orders.update(orderId, { hisSettleId: settleId }, d.now());
    const r = selfPay
      ? await d.outbox.run<HisSelfPayPayload, HisSettlement>(MOVEMENT_KINDS.hisSelfPay, {
          orderId,
          externalId: settleId,
          payload: { settleId, orderNo: order.hisOrderNo, payments },
          prepare,
        })
      : await d.outbox.run<HisConfirmPayload, HisSettlement>(MOVEMENT_KINDS.hisConfirm, {
          orderId,
          externalId: settleId,
          payload: {
            settleId,
            orderNo: order.hisOrderNo,
            mdtrtId: order.mdtrtId!,
            setlId: order.setlId!,
            medfeeFen: split.totalFen,
            fundFen: split.fundFen,
            acctFen: split.accountFen,
            cashFen: split.cashFen,
            payments,
          },
          prepare,
        });
    // Succeeded: the movement completed the order; refused: it says so on the order. Both in their own transaction.
    if (r.state === 'succeeded') this.followUp(orderId);
    else if (r.state === 'unknown') this.c.inDoubt(orderId, reason('his-unknown'));
  }

  /** Starts HIS's details and the message without holding the caller. */
  followUp(orderId: string): void {
    this.c.inBackground(() => this.afterCompletion(orderId), 'after completion');
  }

  /**
   * HX-25: ask HIS for the booked settlement with its details (settle no, invoice, pickup window); HX-27: then tell
   * the patient on the phone they paid with. Neither moves money; both are retried by the sweep until done.
   */
  async afterCompletion(orderId: string): Promise<void> {
    if (this.c.isStopped) return;
    await this.following.run(orderId, async () => {
      await this.bill(orderId);
      await this.detailsAndMessage(orderId);
    });
  }

  /** Settles once the order's follow-up going now (its bill or message being sent, say) has, if any. */
  settled(orderId: string): Promise<void> {
    return this.following.settled(orderId);
  }

  /** Completed orders whose HIS details or message are still owed (after a lost answer or a restart). */
  async sweep(): Promise<void> {
    const { d } = this.c;
    const since = new Date(d.now().getTime() - FOLLOW_UP_WINDOW_MS);
    for (const id of d.orders.owingFollowUp(since)) await this.afterCompletion(id);
    await this.c.bills?.sweep(since);
  }

  /** The bill is its own matter: a bill that cannot be issued now never holds up HIS's details or the message. */
  private async bill(orderId: string): Promise<void> {
    try {
      await this.c.bills?.issue(orderId);
    } catch (e) {
      (this.c.d.log ?? (() => {}))('[outpatient] e-bill issue failed:', e);
    }
  }

  private async detailsAndMessage(orderId: string): Promise<void> {
    const { d } = this.c;
    let order = d.orders.get(orderId);
    if (!order || order.state !== 'completed' || !order.hisSettleId) return;
    const details = await d.his.settlement({ settleId: order.hisSettleId });
    if (details.kind === 'ok') {
      d.orders.update(orderId, { hisSettlement: details.value.settlement }, d.now());
      this.c.changed(orderId);
      order = d.orders.get(orderId)!;
    }
    if (order.push !== 'pending' || !d.messages || d.outbox.isLocked(orderId) || !order.hisSettlement) return;
    const paid = d.orders.payments.paid(orderId)[0];
    if (!paid) return;
    const status = await d.pay.query(paid.outTradeNo);
    if (status.kind !== 'ok' || !status.value.payment) return; // asked again on the next sweep
    const person = d.persons.find(order.psnNo);
    const message: PatientMessage = paymentResultMessage({
      msgId: d.ids.messageId(order.id),
      payment: status.value.payment,
      patientName: person?.name ?? '',
      orderNo: order.hisOrderNo,
      hospital: d.hospitalName,
      ...(d.detailsUrl ? { url: d.detailsUrl.replace('{orderNo}', encodeURIComponent(order.hisOrderNo)) } : {}),
    });
    const r = await d.outbox.run<PatientMessage, unknown>(MOVEMENT_KINDS.push, { orderId, externalId: message.msgId, payload: message });
    if (r.state !== 'unknown') this.c.changed(orderId); // the movement's own final state set push_state
  }
}
