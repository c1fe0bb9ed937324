/**
 * What undoing a discharge settlement does with money that already moved (HM-07), said before the cashier confirms
 * and written in the audit: a surplus refunded to the patient stays refunded and no longer counts as deposit; a
 * shortfall paid at the bedside becomes a deposit (转预交金) on its channel. Nothing moves back at the undo — except
 * a discharge paid on the phone (医保移动支付), refunded there: insurance reversed, the self-pay back to the wallet.
 */
import { formatYuan } from './money';
import type { StayView } from './inpatient';

export interface StayUndoEffects {
  /** Deposits refunded to the patient (to wallets or in cash at the window): no longer there to apply. */
  refundedFen: number;
  /** The shortfall paid at the bedside: a deposit once HIS's booking is cancelled. */
  toDepositFen: number;
  /** Paid on the phone: what goes back through the mobile-payment centre (6203), not into the deposits. */
  phone: { insuranceFen: number; walletFen: number } | null;
}

type UndoneStay = Pick<StayView, 'surplus' | 'payments'> & Partial<Pick<StayView, 'settlement' | 'settledOnPhone'>>;

export function stayUndoEffects(stay: UndoneStay): StayUndoEffects {
  const refundedFen = (stay.surplus?.refunds ?? []).filter((r) => r.state === 'recorded').reduce((sum, r) => sum + r.amountFen, 0);
  const toDepositFen = stay.payments.filter((p) => p.state === 'paid').reduce((sum, p) => sum + p.amountFen, 0);
  const s = stay.settlement;
  const phone = stay.settledOnPhone && s ? { insuranceFen: s.fundFen + s.acctFen, walletFen: s.cashFen } : null;
  return { refundedFen, toDepositFen, phone };
}

/** The effects in the cashier's words, one phrase each; empty when no money had moved. */
export function stayUndoEffectLines(e: StayUndoEffects): string[] {
  const lines: string[] = [];
  if (e.phone) {
    const insurance = e.phone.insuranceFen > 0 ? `医保基金和个人账户 ${formatYuan(e.phone.insuranceFen)} 冲回，` : '';
    lines.push(`医保移动支付原路退款：${insurance}自付 ${formatYuan(e.phone.walletFen)} 退回患者医保移动支付钱包，不转预交金`);
  }
  if (e.refundedFen > 0) lines.push(`已退还患者 ${formatYuan(e.refundedFen)} 不再抵扣`);
  if (e.toDepositFen > 0) lines.push(`补缴 ${formatYuan(e.toDepositFen)} 转为预交金`);
  return lines;
}
