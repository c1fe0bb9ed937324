/**
 * Tests only: a MobilePayPort that books in memory. Each pay order is paid once whatever is asked; `script` makes
 * the next pay refuse, or lose its answer (the order is paid, the caller hears "unknown" until it queries), or
 * throw after paying (a channel client's bug or a dropped connection surfacing as an exception).
 */
import type { MobilePayOrder, MobilePayPort, MobilePayState, MobileRefundState } from '../ports';

type Next = 'pay' | 'refuse' | 'lose-answer' | 'throw-after-paying';

export class MobilePayDouble implements MobilePayPort {
  readonly orders = new Map<string, { order: MobilePayOrder; paid: boolean; refunded: boolean; payments: number; refunds: number }>();
  readonly calls: string[] = [];
  private next: Next = 'pay';
  private refundNext: 'refund' | 'refuse' | 'lose-answer' = 'refund';

  script(next: Next): void {
    this.next = next;
  }

  scriptRefund(next: 'refund' | 'refuse' | 'lose-answer'): void {
    this.refundNext = next;
  }

  prepare(order: MobilePayOrder) {
    this.calls.push(`prepare ${order.settlementId}`);
    const payOrderId = `PO${order.settlementId.slice(0, 12)}`;
    this.orders.set(payOrderId, { order, paid: false, refunded: false, payments: 0, refunds: 0 });
    return Promise.resolve({ kind: 'ok' as const, payOrderId });
  }

  pay(_order: MobilePayOrder, payOrderId: string): Promise<MobilePayState> {
    this.calls.push(`pay ${payOrderId}`);
    const o = this.orders.get(payOrderId)!;
    const next = this.next;
    this.next = 'pay';
    if (next === 'refuse') return Promise.resolve({ kind: 'failed', payOrderId, reason: '医保移动支付：余额不足' });
    if (!o.paid) {
      o.paid = true;
      o.payments += 1;
    }
    if (next === 'lose-answer') return Promise.resolve({ kind: 'unknown', payOrderId, detail: '应答超时' });
    if (next === 'throw-after-paying') return Promise.reject(new Error('socket hang up'));
    return Promise.resolve(this.paid(payOrderId));
  }

  query(_settlementId: string, payOrderId: string): Promise<MobilePayState> {
    this.calls.push(`query ${payOrderId}`);
    const o = this.orders.get(payOrderId);
    if (!o?.paid) return Promise.resolve({ kind: 'failed', payOrderId, reason: '订单未支付' });
    return Promise.resolve(this.paid(payOrderId));
  }

  refund(r: { payOrderId: string; reason: string }): Promise<MobileRefundState> {
    this.calls.push(`refund ${r.payOrderId}`);
    const next = this.refundNext;
    this.refundNext = 'refund';
    if (next === 'refuse') return Promise.resolve({ kind: 'refused', reason: '已出院超过 30 天，请到窗口办理' });
    const o = this.orders.get(r.payOrderId)!;
    if (!o.refunded) o.refunds += 1;
    o.refunded = true;
    if (next === 'lose-answer') return Promise.resolve({ kind: 'unknown', detail: '应答超时' });
    return Promise.resolve({ kind: 'refunded', refundId: `RF${r.payOrderId}`, refundedAt: '2026-12-04T12:00:00.000Z' });
  }

  private paid(payOrderId: string): MobilePayState {
    return { kind: 'paid', payOrderId, setlId: `S${payOrderId}`, paidAt: '2026-12-04T11:00:00.000Z' };
  }
}
