/** What the patient reads on the face terminal during self-service (Simplified Chinese), and how an order fits its fields. */
import { fen, type Fen } from '../../shared/money';
import type { OrderView } from '../../shared/domain';

/** The patient's screens (Simplified Chinese). */
export const SELF_SERVICE_TEXT = {
  verifyFailed: '身份核验未完成',
  noOrders: { title: '没有待缴费用', message: '您目前没有需要缴纳的门诊费用' },
  ordersTitle: '待缴费用',
  ordersMessage: (name: string, count: number) => `${name}，您有 ${count} 张待缴费用单，请核对后按“确认”`,
  preSettling: { title: '正在计算医保报销', message: '请稍候…' },
  splitTitle: (index: number, count: number) => (count > 1 ? `医保结算明细（第 ${index}/${count} 张）` : '医保结算明细'),
  splitWithCash: '确认后请出示微信或支付宝付款码，支付个人现金部分',
  splitWithoutCash: '本次费用无需现金支付，确认后完成结算',
  splitLines: { pool: '统筹基金支付', otherFunds: '其他医保基金支付', fund: '医保基金支付', account: '个人账户支付', cash: '个人现金支付' },
  settling: { title: '正在结算', message: '请稍候，请不要离开…' },
  payCode: '请将微信或支付宝付款码对准终端扫码口',
  payRetry: (detail: string) => `付款未成功（${detail}），请换一个付款码再试一次`,
  paying: { title: '正在支付', message: '请稍候，如手机提示请输入支付密码…' },
  cancelling: { title: '正在撤销', message: '正在撤销本次医保结算，请稍候…' },
  doneTitle: '缴费完成',
  doneMessage: (pickup: string | null) => (pickup ? `请到${pickup}取药或按指引就诊` : '请按指引取药、检查或就诊'),
  doneLines: { fund: '医保基金支付', account: '个人账户支付', cash: '现金已支付' },
  cancelledTitle: '已取消',
  cancelledBeforeSettle: '本次未产生任何费用',
  cancelledAfterSettle: '本次医保结算已撤销，未扣费',
  timedOutTitle: '操作超时',
  paidBefore: (count: number) => `（已完成的 ${count} 张缴费不受影响）`,
  paymentFailedTitle: '付款未成功',
  paymentFailed: (detail: string) => `${detail}。本次医保结算已撤销，未扣费，请到人工窗口办理`,
  paymentFailedUndoing: (detail: string) => `${detail}。本次医保结算正在自动撤销，未扣费，请到人工窗口办理`,
  unknown: { title: '结果确认中', message: '结果确认中，请到人工窗口' },
  failedTitle: '暂时无法自助缴费',
  failed: (reason: string) => `${reason}。请到人工窗口办理`,
  internal: '系统异常',
  busy: { title: '终端忙', message: '终端正在为其他患者办理业务，请稍候再试' },
} as const;

export function splitLines(split: NonNullable<OrderView['split']>): { label: string; amountFen: Fen }[] {
  const L = SELF_SERVICE_TEXT.splitLines;
  const funds =
    split.poolFen > 0 && split.poolFen <= split.fundFen
      ? [
          { label: L.pool, amountFen: split.poolFen },
          ...(split.fundFen > split.poolFen ? [{ label: L.otherFunds, amountFen: fen(split.fundFen - split.poolFen) }] : []),
        ]
      : [{ label: L.fund, amountFen: split.fundFen }];
  return [...funds, { label: L.account, amountFen: split.accountFen }, { label: L.cash, amountFen: split.cashFen }];
}

export function orderLabel(order: OrderView): string {
  const label = [order.deptName || '门诊', order.doctorName].filter(Boolean).join(' ');
  return clip(`${label}（${order.lines.length} 项）`, 40);
}

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Fits a text into a protocol field: no control characters, at most `max` characters. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\p{Cc}/gu, ' ').trim() || '—';
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}
