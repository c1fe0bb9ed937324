/**
 * Which deposits (预交金) pay a discharge's cash part: the oldest first, each up to its balance. What is left of the
 * deposits is the surplus to refund; what they do not cover is the shortfall the patient pays at the bedside.
 */
export interface DepositBalance {
  depositNo: string;
  balanceFen: number;
}

export interface DepositPlan {
  applied: { depositNo: string; amountFen: number }[];
  surplusFen: number;
  shortfallFen: number;
}

export function planDeposits(deposits: readonly DepositBalance[], cashFen: number): DepositPlan {
  if (!Number.isInteger(cashFen) || cashFen < 0) throw new RangeError(`cash part ${cashFen} is not a fen amount`);
  const applied: DepositPlan['applied'] = [];
  let due = cashFen;
  let left = 0;
  for (const d of deposits) {
    const take = Math.min(d.balanceFen, due);
    if (take > 0) applied.push({ depositNo: d.depositNo, amountFen: take });
    due -= take;
    left += d.balanceFen - take;
  }
  return { applied, surplusFen: left, shortfallFen: due };
}
