/**
 * Why an order is where it is, as codes: stored with the order, shown through this one label table, never parsed
 * back out of display text. A reason has a code, the remote's own words where there are any (a refused payment's
 * message), and a note on an undo still under way.
 */
import type { OrderState } from './domain';

export const ORDER_REASON_CODES = [
  // The cash share failed (the insurance part is undone after it, HX-28), or the order left the station's hands.
  'payment-refused', // the platform refused the patient's code (text: its message)
  'payment-reversed', // a payment whose outcome was unknown was reversed
  'qr-closed', // the QR on the screen closed unpaid
  'pay-window-passed', // the top-up window ended unpaid (HX-33)
  'his-paid-elsewhere', // HIS: paid at another window (HX-32)
  'his-expired', // HIS: the order expired
  'his-refunded', // HIS: refunded
  // Steps and their outcomes.
  'settlement-cancelled', // the cashier cancelled the insurance settlement (2208 → 2205 → 2202)
  'settlement-cancel-refused', // the centre refused the cashier's 2208 (text: its message): the order still awaits payment
  'step-reversed', // a lost 2201/2204 was reversed: pre-settle again
  'settlement-reversed', // a lost 2207 was reversed: settle again
  'insurance-unknown', // a centre call's outcome is unknown: the order is locked
  'cancel-unknown', // the cashier's 2208 outcome is unknown
  'payment-unknown', // the payment's outcome is unknown (the patient may be entering the password)
  'his-unknown', // HIS's booking outcome is unknown
  'his-refused', // HIS refused the booking (text: its message)
  'his-unconfirmed', // HIS's booking did not go through although the money was taken: a person checks
  'self-pay-cancelled', // the cashier took back a self-pay order
  'self-pay-window-passed', // a self-pay order's window ended unpaid
  'refund-requested', // the cashier refunds a completed bill (text: the reason given)
  'refund-refused', // HIS or the centre refused the refund (text: its words): the bill stands as it was
  'refund-waiting', // a refund step was refused after the centre cancelled (text: its words): a person checks
  'legacy', // a row written before reasons were codes (text: what it said)
] as const;
export type OrderReasonCode = (typeof ORDER_REASON_CODES)[number];

/** How an undo of the insurance part is going, beside the reason it runs for. */
export const ORDER_NOTE_CODES = ['undo-unknown', 'undo-retrying'] as const;
export type OrderNoteCode = (typeof ORDER_NOTE_CODES)[number];

export interface OrderReason {
  code: OrderReasonCode;
  /** The remote's own words (a refusal's message) or, for 'legacy', the stored text. */
  text: string;
  note: OrderNoteCode | null;
  /** For 'undo-retrying': what stopped the last attempt. */
  noteText: string;
}

export function reason(code: OrderReasonCode, text = ''): OrderReason {
  return { code, text, note: null, noteText: '' };
}

const HIS_WORDS = { 'his-paid-elsewhere': '已在他处缴费', 'his-expired': '已过期', 'his-refunded': '已退费' } as const;

/** The reason on its own, as the cashier reads it. */
export const ORDER_REASON_LABELS: Record<OrderReasonCode, (text: string) => string> = {
  'payment-refused': (t) => `付款失败：${t}`,
  'payment-reversed': () => '付款未成功，该笔付款已撤销',
  'qr-closed': () => '二维码未付款已关闭',
  'pay-window-passed': () => '补缴超时',
  'his-paid-elsewhere': () => `HIS：处方${HIS_WORDS['his-paid-elsewhere']}，本站不再收费`,
  'his-expired': () => `HIS：处方${HIS_WORDS['his-expired']}，本站不再收费`,
  'his-refunded': () => `HIS：处方${HIS_WORDS['his-refunded']}，本站不再收费`,
  'settlement-cancelled': (t) => (t ? `收费员撤销医保结算（${t}）` : '收费员撤销医保结算'),
  'settlement-cancel-refused': (t) => `医保中心拒绝撤销结算：${t}；可请患者继续付款`,
  'step-reversed': () => '上一步已冲正，请重新预结算',
  'settlement-reversed': () => '结算结果未知，已自动冲正；可重新结算',
  'insurance-unknown': () => '医保交易结果未知 — 正在核实，核实完成前该订单锁定',
  'cancel-unknown': () => '结算撤销结果未知 — 正在核实',
  'payment-unknown': () => '正在确认付款结果（患者可能正在输入密码）',
  'his-unknown': () => 'HIS 结算确认结果未知 — 正在核实',
  'his-refused': (t) => `HIS 拒绝结算确认：${t}`,
  'his-unconfirmed': () => 'HIS 未确认结算（款项已收），请人工核实',
  'self-pay-cancelled': (t) => (t ? `自费收费已取消（${t}）` : '自费收费已取消'),
  'self-pay-window-passed': () => '自费缴费超时，收费已取消；可重新收费',
  'refund-requested': (t) => (t ? `退费（${t}）` : '退费'),
  'refund-refused': (t) => `退费未办理：${t}；原结算保持不变`,
  'refund-waiting': (t) => `退费未完成：${t}，请人工核实`,
  legacy: (t) => t,
};

/** Reasons that stop the order being charged here (HIS took it elsewhere): no retry is offered. */
export function isHisChange(code: OrderReasonCode): boolean {
  return code === 'his-paid-elsewhere' || code === 'his-expired' || code === 'his-refunded';
}

/**
 * Reasons for which the insurance part is undone: the cash share failed, the window passed, HIS took the order,
 * or the cashier cancelled it.
 */
export function isUndoCause(code: OrderReasonCode): boolean {
  return (
    ['payment-refused', 'payment-reversed', 'qr-closed', 'pay-window-passed', 'settlement-cancelled'].includes(code) || isHisChange(code)
  );
}

/**
 * The one line the order card shows for an order in `state` with `r`: the reason, and what is being done about
 * it in that state.
 */
export function describeOrderReason(state: OrderState, r: OrderReason | null): string {
  if (!r) return '';
  const base = ORDER_REASON_LABELS[r.code](r.text);
  if (r.note === 'undo-retrying') return `撤销未完成：${r.noteText}（将自动重试）`;
  const phase = undoPhase(state, r.code, base);
  return r.note === 'undo-unknown' ? `${phase}（撤销结果未知，正在核实）` : phase;
}

function undoPhase(state: OrderState, code: OrderReasonCode, base: string): string {
  if (!isUndoCause(code)) return base;
  const his = isHisChange(code);
  if (code === 'settlement-cancelled') {
    if (state === 'reversing') return `${base}；正在撤销医保结算、费用明细与挂号`;
    if (state === 'open') return `${base}；医保结算、费用明细与挂号已撤销，可重新结算`;
    return base;
  }
  switch (state) {
    case 'reversing':
      return `${base}；正在自动撤销医保结算`;
    case 'expiring':
      return his ? base : '补缴超时，正在撤销医保结算和挂号';
    case 'expired':
      return his ? base : '补缴超时，医保结算与挂号已撤销';
    case 'open':
      return `${base}；医保结算、费用明细与挂号已自动撤销，可重新结算`;
    case 'awaiting-payment':
      return `${base}；可请患者重新付款`;
    default:
      return base;
  }
}
