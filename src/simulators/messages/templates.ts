/**
 * The message templates the hospital's official account (WeChat) and life account (Alipay) have registered:
 * each names the keys it shows. Real template ids are long per-account strings; the simulator registers these
 * by default and accepts others through its options.
 */
export interface TemplateDefinition {
  id: string;
  title: string;
  keys: readonly string[];
}

export const DEFAULT_TEMPLATES: readonly TemplateDefinition[] = [
  { id: 'PAYMENT_RESULT', title: '缴费成功通知', keys: ['patient', 'amount', 'pay_channel', 'order_no', 'paid_time', 'hospital'] },
  { id: 'DRUG_PICKUP', title: '取药提醒', keys: ['patient', 'window', 'drugs', 'order_no'] },
  { id: 'SETTLEMENT_DETAILS', title: '医保结算明细', keys: ['patient', 'total', 'fund', 'account', 'cash', 'settle_time', 'order_no'] },
  { id: 'AWAITING_SETTLEMENT', title: '待结算提醒', keys: ['patient', 'amount_due', 'deadline', 'order_no'] },
  { id: 'SETTLED', title: '结算完成通知', keys: ['patient', 'total', 'fund', 'cash', 'settle_time'] },
];

/** A keyword value shown on the phone: short plain text (WeChat caps most keyword types near this). */
export const MAX_VALUE_LENGTH = 64;
