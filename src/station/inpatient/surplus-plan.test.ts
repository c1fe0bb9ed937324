import { describe, expect, it } from 'vitest';
import { planSurplusRefund, suggestSurplusRefund, type RefundableDeposit } from './surplus-plan';

const deposits: RefundableDeposit[] = [
  { depositNo: 'YJ1', channel: 'wechat', balanceFen: 30_000, paidAt: '2026-12-01T02:00:00Z' },
  { depositNo: 'YJ2', channel: 'cash', balanceFen: 100_000, paidAt: '2026-12-01T03:00:00Z' },
  { depositNo: 'YJ3', channel: 'wechat', balanceFen: 50_000, paidAt: '2026-12-02T02:00:00Z' },
  { depositNo: 'YJ4', channel: 'alipay', balanceFen: 50_000, paidAt: '2026-12-03T02:00:00Z' },
];

describe('the surplus of deposits after a discharge', () => {
  it('goes back to the fewest wallet records that cover it: the largest first, the newest on a tie', () => {
    expect(suggestSurplusRefund(deposits, 40_000)).toEqual({
      kind: 'channels',
      refunds: [{ depositNo: 'YJ4', channel: 'alipay', amountFen: 40_000 }],
    });
    expect(suggestSurplusRefund(deposits, 120_000)).toEqual({
      kind: 'channels',
      refunds: [
        { depositNo: 'YJ4', channel: 'alipay', amountFen: 50_000 },
        { depositNo: 'YJ3', channel: 'wechat', amountFen: 50_000 },
        { depositNo: 'YJ1', channel: 'wechat', amountFen: 20_000 },
      ],
    });
  });

  it('goes to the window when the wallet records do not cover it (cash and card are refunded there)', () => {
    expect(suggestSurplusRefund(deposits, 130_001)).toMatchObject({ kind: 'window', amountFen: 130_001 });
    expect(suggestSurplusRefund(deposits, 0)).toEqual({ kind: 'nothing' });
  });

  it('follows the nurse’s ticks in their order, and refuses ticks that do not cover it or name a cash record', () => {
    expect(planSurplusRefund(deposits, 60_000, ['YJ1', 'YJ3'])).toEqual({
      kind: 'channels',
      refunds: [
        { depositNo: 'YJ1', channel: 'wechat', amountFen: 30_000 },
        { depositNo: 'YJ3', channel: 'wechat', amountFen: 30_000 },
      ],
    });
    expect(() => planSurplusRefund(deposits, 60_000, ['YJ1'])).toThrow(/cover 30000 of 60000/);
    expect(() => planSurplusRefund(deposits, 10_000, ['YJ2'])).toThrow(/window/);
    expect(() => planSurplusRefund(deposits, 10_000, ['YJ1', 'YJ1'])).toThrow(/twice/);
  });
});
