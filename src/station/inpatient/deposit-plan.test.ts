import { describe, expect, it } from 'vitest';
import { planDeposits } from './deposit-plan';

const deposits = [
  { depositNo: 'YJ1', balanceFen: 100_000 },
  { depositNo: 'YJ2', balanceFen: 50_000 },
  { depositNo: 'YJ3', balanceFen: 0 },
];

describe('deposits applied to a discharge’s cash part', () => {
  it('takes the oldest first, each up to its balance; the rest is surplus', () => {
    expect(planDeposits(deposits, 120_000)).toEqual({
      applied: [
        { depositNo: 'YJ1', amountFen: 100_000 },
        { depositNo: 'YJ2', amountFen: 20_000 },
      ],
      surplusFen: 30_000,
      shortfallFen: 0,
    });
  });

  it('names the shortfall when the deposits do not cover it, and applies nothing to a zero cash part', () => {
    expect(planDeposits(deposits, 160_001)).toMatchObject({ surplusFen: 0, shortfallFen: 10_001 });
    expect(planDeposits(deposits, 0)).toEqual({ applied: [], surplusFen: 150_000, shortfallFen: 0 });
    expect(() => planDeposits(deposits, 1.5)).toThrow(RangeError);
  });
});
