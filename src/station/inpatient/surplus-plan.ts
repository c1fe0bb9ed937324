/**
 * Where a discharge's surplus deposits go back (AQ-17): to WeChat / Alipay deposit records when those cover it —
 * the system ticks the fewest records (largest balance first, the newest on a tie), the nurse may change the ticks —
 * otherwise the patient is sent to the window, whose screen shows the pending refund. Cash and bank-card deposits go
 * back at the window (cash from the drawer; a card's refund needs the card at the POS).
 */
export interface RefundableDeposit {
  depositNo: string;
  channel: 'cash' | 'card' | 'wechat' | 'alipay';
  balanceFen: number;
  paidAt: string;
}

export type SurplusPlan =
  | { kind: 'nothing' }
  | { kind: 'channels'; refunds: { depositNo: string; channel: 'wechat' | 'alipay'; amountFen: number }[] }
  | { kind: 'window'; amountFen: number; reason: string };

const isWallet = (d: RefundableDeposit): d is RefundableDeposit & { channel: 'wechat' | 'alipay' } =>
  d.channel === 'wechat' || d.channel === 'alipay';

/** The system's ticks: the fewest wallet records that cover the surplus. */
export function suggestSurplusRefund(deposits: readonly RefundableDeposit[], surplusFen: number): SurplusPlan {
  if (surplusFen === 0) return { kind: 'nothing' };
  const wallets = deposits
    .filter((d) => isWallet(d) && d.balanceFen > 0)
    .sort((a, b) => b.balanceFen - a.balanceFen || b.paidAt.localeCompare(a.paidAt));
  const covered = wallets.reduce((sum, d) => sum + d.balanceFen, 0);
  if (covered < surplusFen) {
    return { kind: 'window', amountFen: surplusFen, reason: '微信/支付宝预交金余额不足以原路退回，请到收费窗口办理退款' };
  }
  const ticked: string[] = [];
  let left = surplusFen;
  for (const d of wallets) {
    if (left === 0) break;
    ticked.push(d.depositNo);
    left -= Math.min(d.balanceFen, left);
  }
  return planSurplusRefund(deposits, surplusFen, ticked);
}

/** The refunds for the ticked records, each up to its balance in the order ticked; refused when they do not cover it. */
export function planSurplusRefund(deposits: readonly RefundableDeposit[], surplusFen: number, ticked: readonly string[]): SurplusPlan {
  if (!Number.isInteger(surplusFen) || surplusFen < 0) throw new RangeError(`surplus ${surplusFen} is not a fen amount`);
  if (surplusFen === 0) return { kind: 'nothing' };
  if (new Set(ticked).size !== ticked.length) throw new RangeError('a deposit record is ticked twice');
  const refunds: Extract<SurplusPlan, { kind: 'channels' }>['refunds'] = [];
  let left = surplusFen;
  for (const no of ticked) {
    const d = deposits.find((x) => x.depositNo === no);
    if (!d) throw new RangeError(`no deposit record ${no}`);
    if (!isWallet(d)) throw new RangeError(`deposit ${no} was paid by ${d.channel}: it goes back at the window`);
    const amount = Math.min(d.balanceFen, left);
    if (amount > 0) refunds.push({ depositNo: no, channel: d.channel, amountFen: amount });
    left -= amount;
  }
  if (left > 0) throw new RangeError(`the ticked records cover ${surplusFen - left} of ${surplusFen} fen`);
  return { kind: 'channels', refunds };
}
