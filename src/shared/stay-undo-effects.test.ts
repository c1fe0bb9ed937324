import { describe, expect, it } from 'vitest';
import { fen } from './money';
import type { PaymentView } from './domain';
import type { StayView } from './inpatient';
import { stayUndoEffectLines, stayUndoEffects } from './stay-undo-effects';

const payment = (state: PaymentView['state'], amountFen: number): PaymentView => ({
  outTradeNo: `Q${amountFen}`,
  mode: 'precreate',
  wallet: 'wechat',
  amountFen: fen(amountFen),
  state,
  qrCode: null,
  expiresAt: null,
  updatedAt: '2026-12-05T00:00:00.000Z',
});
const refund = (state: 'pending' | 'paid-back' | 'recorded' | 'failed', amountFen: number) => ({
  depositNo: `YJ${amountFen}`,
  channel: 'wechat' as const,
  amountFen,
  state,
  detail: '',
});

describe('what undoing a discharge settlement does with money that moved', () => {
  it('counts only refunds HIS recorded and payments received, and says each in the cashier’s words', () => {
    const stay: Pick<StayView, 'surplus' | 'payments'> = {
      surplus: { to: 'channels', amountFen: 3_500, refunds: [refund('recorded', 2_000), refund('recorded', 1_000), refund('failed', 500)] },
      payments: [payment('failed', 700), payment('paid', 1_234)],
    };
    expect(stayUndoEffects(stay)).toEqual({ refundedFen: 3_000, toDepositFen: 1_234 });
    expect(stayUndoEffectLines(stayUndoEffects(stay))).toEqual(['已退还患者 ¥30.00 不再抵扣', '补缴 ¥12.34 转为预交金']);
  });

  it('says nothing when no money had moved', () => {
    const stay: Pick<StayView, 'surplus' | 'payments'> = {
      surplus: { to: 'window', amountFen: 900, refunds: [refund('pending', 900)] },
      payments: [payment('closed', 900)],
    };
    expect(stayUndoEffectLines(stayUndoEffects(stay))).toEqual([]);
  });
});
