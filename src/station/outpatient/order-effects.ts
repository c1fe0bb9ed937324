/**
 * What a finished step means for the order row. These run inside the transaction that records a movement final
 * (a movement's `settle`) or a step's own write, so a stop between "the remote did it" and "the order knows it"
 * cannot happen.
 */
import type { SettlementSplitView } from '../../shared/domain';
import { fen } from '../../shared/money';
import { reason, type OrderReason } from '../../shared/order-reasons';
import type { HisPaymentLine, HisSettlement } from '../../insurance/his';
import type { Settlement } from '../../insurance/nhsa';
import type { OrdersRepo } from './orders-repo';

export interface OrderEffectsDeps {
  orders: OrdersRepo;
  now: () => Date;
  /** How long the patient has to pay the cash share (HX-33). */
  payWindowMs: number;
  /** Whether a patient message follows completion (a message gateway is configured). */
  sendsMessages: boolean;
}

/** A paid payment as HIS books it: its channel (a trade from before channels were kept counts as WeChat), trade and amount. */
export function hisPaymentLine(p: {
  channel: string;
  outTradeNo: string;
  transactionId?: string | null;
  amountFen: number;
}): HisPaymentLine {
  return {
    channel: p.channel === 'alipay' || p.channel === 'cash' || p.channel === 'card' ? p.channel : 'wechat',
    outTradeNo: p.outTradeNo,
    ...(p.transactionId ? { transactionId: p.transactionId } : {}),
    amountFen: fen(p.amountFen),
  };
}

export function splitOf(s: Settlement): SettlementSplitView {
  const i = s.setlinfo;
  return {
    totalFen: i.medfee_sumamt,
    fundFen: i.fund_pay_sumamt,
    poolFen: i.hifp_pay ?? fen(0),
    accountFen: i.acct_pay,
    cashFen: i.psn_cash_pay,
    deductibleFen: i.act_pay_dedc ?? fen(0),
    balanceAfterFen: i.balc ?? fen(0),
  };
}

/** 2207 booked: the order knows its settlement; with a cash share it waits for it, without it HIS books next. */
export function applySettlement(d: OrderEffectsDeps, orderId: string, s: Settlement): void {
  const split = splitOf(s);
  d.orders.update(
    orderId,
    {
      setlId: s.setlinfo.setl_id,
      split,
      settlement: s,
      state: split.cashFen > 0 ? 'awaiting-payment' : 'insurance-settled',
      payBefore: split.cashFen > 0 ? new Date(d.now().getTime() + d.payWindowMs).toISOString() : null,
      reason: null,
    },
    d.now(),
  );
}

/** HIS booked the order: settled everywhere. HIS's details (HX-25) and the patient's message (HX-27) follow. */
export function completeOrder(d: OrderEffectsDeps, orderId: string, booking: HisSettlement | undefined): void {
  const order = d.orders.get(orderId);
  if (!order) return;
  const hasPayer = d.orders.payments.paid(orderId).length > 0;
  d.orders.update(
    orderId,
    {
      state: 'completed',
      payBefore: null,
      reason: null,
      completedAt: d.now().toISOString(),
      ...(booking ? { hisSettlement: booking } : {}),
      push: hasPayer && d.sendsMessages && order.push === 'none' ? 'pending' : order.push,
    },
    d.now(),
  );
}

/**
 * HX-28: the cash share was not paid. A self-pay order simply stays payable (nothing is booked anywhere). An
 * insured one must not keep its insurance settlement without it: it is undone ('reversing'), or, past the top-up
 * window, expired ('expiring', HX-33). The undo itself is the saga's next step.
 */
export function failPayment(d: OrderEffectsDeps, orderId: string, cause: OrderReason): void {
  const order = d.orders.get(orderId);
  if (!order || (order.state !== 'awaiting-payment' && order.state !== 'in-doubt')) return;
  if (order.settleMode === 'self-pay') {
    d.orders.update(orderId, { state: 'awaiting-payment', reason: cause }, d.now());
    return;
  }
  const expired = order.payBefore !== null && new Date(order.payBefore).getTime() <= d.now().getTime();
  d.orders.update(
    orderId,
    expired ? { state: 'expiring', reason: reason('pay-window-passed') } : { state: 'reversing', reason: cause },
    d.now(),
  );
}
