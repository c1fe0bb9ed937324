import type { IntentView } from '../../shared/domain';
import type { IntentRecord } from './intents-repo';

/** Names of movement kinds for the admin queue; unknown kinds show their code. */
const KIND_LABELS: Record<string, string> = {
  'nhsa.2201': '医保门诊挂号 (2201)',
  'nhsa.2202': '医保挂号撤销 (2202)',
  'nhsa.2204': '医保费用明细上传 (2204)',
  'nhsa.2205': '医保费用明细撤销 (2205)',
  'nhsa.2208': '医保结算撤销 (2208)',
  'nhsa.2207': '医保门诊结算 (2207)',
  'nhsa.2304': '医保住院结算 (2304)',
  'nhsa.2401': '医保入院办理 (2401)',
  'pay.micropay': '付款码收款',
  'pay.precreate': '扫码支付订单',
  'pay.refund': '退款',
  'his.confirm': 'HIS 结算确认',
  'mobile.6301-paid': '医保移动支付到账确认 (6301)',
  'mobile.6203': '医保移动支付退款 (6203)',
  'mobile.6401': '医保移动支付上传撤销 (6401)',
  'his.mobile-ward-cancel': 'HIS 出院结算撤销（手机退费）',
  'restore.centre-only': '恢复备份后核对：医保中心有、本机无的结算',
};

export function toIntentView(i: IntentRecord): IntentView {
  return {
    id: i.id,
    kind: i.kind,
    kindLabel: KIND_LABELS[i.kind] ?? i.kind,
    orderId: i.orderId,
    externalId: i.externalId,
    state: i.state,
    attempts: i.attempts,
    detail: i.detail,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}
