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
    expect(stayUndoEffects(stay)).toEqual({ refundedFen: 3_000, toDepositFen: 1_234, phone: null });
    expect(stayUndoEffectLines(stayUndoEffects(stay))).toEqual(['已退还患者 ¥30.00 不再抵扣', '补缴 ¥12.34 转为预交金']);
  });

  it('says nothing when no money had moved', () => {
    const stay: Pick<StayView, 'surplus' | 'payments'> = {
      surplus: { to: 'window', amountFen: 900, refunds: [refund('pending', 900)] },
      payments: [payment('closed', 900)],
    };
    expect(stayUndoEffectLines(stayUndoEffects(stay))).toEqual([]);
  });

  it('a discharge paid on the phone: the insurance reversed and the self-pay back to the wallet, not a deposit', () => {
    const settlement = { setlId: 'MP1', medfeeFen: 100_000, fundFen: 60_000, acctFen: 10_000, cashFen: 30_000, uptoLine: 4 };
    const stay: Parameters<typeof stayUndoEffects>[0] = { surplus: null, payments: [], settlement, settledOnPhone: true };
    expect(stayUndoEffects(stay).phone).toEqual({ insuranceFen: 70_000, walletFen: 30_000 });
    expect(stayUndoEffectLines(stayUndoEffects(stay))).toEqual([
      '医保移动支付原路退款：医保基金和个人账户 ¥700.00 冲回，自付 ¥300.00 退回患者医保移动支付钱包，不转预交金',
    ]);
    const selfPayOnly = { ...settlement, fundFen: 0, acctFen: 0, cashFen: 100_000 };
    expect(stayUndoEffectLines(stayUndoEffects({ ...stay, settlement: selfPayOnly }))).toEqual([
      '医保移动支付原路退款：自付 ¥1,000.00 退回患者医保移动支付钱包，不转预交金',
    ]);
    expect(stayUndoEffects({ ...stay, settledOnPhone: false }).phone).toBeNull();
  });
});
