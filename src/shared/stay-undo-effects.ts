/**
 * What undoing a discharge settlement does with money that already moved (HM-07), said before the cashier confirms
 * and written in the audit: a surplus refunded to the patient stays refunded and no longer counts as deposit; a
 * shortfall paid at the bedside becomes a deposit (转预交金) on its channel. Nothing moves back at the undo.
 */
import { formatYuan } from './money';
import type { StayView } from './inpatient';

export interface StayUndoEffects {
  /** Deposits refunded to the patient (to wallets or in cash at the window): no longer there to apply. */
  refundedFen: number;
  /** The shortfall paid at the bedside: a deposit once HIS's booking is cancelled. */
  toDepositFen: number;
}

export function stayUndoEffects(stay: Pick<StayView, 'surplus' | 'payments'>): StayUndoEffects {
  const refundedFen = (stay.surplus?.refunds ?? []).filter((r) => r.state === 'recorded').reduce((sum, r) => sum + r.amountFen, 0);
  const toDepositFen = stay.payments.filter((p) => p.state === 'paid').reduce((sum, p) => sum + p.amountFen, 0);
  return { refundedFen, toDepositFen };
}

/** The effects in the cashier's words, one phrase each; empty when no money had moved. */
export function stayUndoEffectLines(e: StayUndoEffects): string[] {
  const lines: string[] = [];
  if (e.refundedFen > 0) lines.push(`已退还患者 ${formatYuan(e.refundedFen)} 不再抵扣`);
  if (e.toDepositFen > 0) lines.push(`补缴 ${formatYuan(e.toDepositFen)} 转为预交金`);
  return lines;
}
