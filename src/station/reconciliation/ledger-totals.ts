/**
 * What the hospital ledger says the centre should hold, in 3201's and 3202's terms. A settlement counts +1 with its
 * amounts; its cancel (2208, or the 2208 of a refund) −1 with its amounts negated, so a cancelled settlement nets to
 * zero — as the centre counts with refd_setl_flag 1. A settlement reversed by 2601 never stood at the station and
 * nets to zero at the centre (its entry and the reversal's twin), so it is not counted at all.
 */
import type { LedgerEvent } from '../hospital-ledger';

/** 3201 asks per clearing institution (the insured region), insurance type and clearing type. */
export interface ReconGroup {
  region: string;
  insutype: string;
  clrType: string;
}

export interface GroupTotals extends ReconGroup {
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  count: number;
}

/** One settlement entry as 3202's detail file lists it (a cancel with negative amounts and refd_setl_flag 1). */
export interface LedgerSettlementEntry extends ReconGroup {
  setlId: string;
  mdtrtId: string;
  psnNo: string;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  refund: boolean;
  /** Where the entry came from, for the drill-down. */
  stationId: string;
  orderId: string;
  hisOrderNo: string | null;
  at: string;
}

const FORWARD = new Set(['settlement']);
const CANCELS = new Set(['settlement-cancel', 'refund-settlement-cancel']);

export const groupKey = (g: ReconGroup) => `${g.region}|${g.insutype}|${g.clrType}`;

/** The settlement entries among the events (others, and events without the insurance facts, are not 3201's). */
export function settlementEntries(events: readonly LedgerEvent[]): LedgerSettlementEntry[] {
  const entries: LedgerSettlementEntry[] = [];
  for (const e of events) {
    const forward = FORWARD.has(e.kind);
    if (!forward && !CANCELS.has(e.kind)) continue;
    if (!e.insurance || !e.ids.setlId || !e.ids.mdtrtId) continue;
    entries.push({
      region: e.insurance.region,
      insutype: e.insurance.insutype,
      clrType: e.insurance.clrType,
      setlId: e.ids.setlId,
      mdtrtId: e.ids.mdtrtId,
      psnNo: e.insurance.psnNo,
      medfeeFen: e.amounts.total ?? 0,
      fundFen: e.amounts.fund ?? 0,
      acctFen: e.amounts.account ?? 0,
      cashFen: e.amounts.cash ?? 0,
      refund: !forward,
      stationId: e.stationId,
      orderId: e.orderId,
      hisOrderNo: e.hisOrderNo,
      at: e.at,
    });
  }
  return entries;
}

/** The totals per group, in a stable order (region, insurance type, clearing type). */
export function totalsByGroup(entries: readonly LedgerSettlementEntry[]): GroupTotals[] {
  const groups = new Map<string, GroupTotals>();
  for (const e of entries) {
    const key = groupKey(e);
    const g = groups.get(key) ?? {
      region: e.region,
      insutype: e.insutype,
      clrType: e.clrType,
      medfeeFen: 0,
      fundFen: 0,
      acctFen: 0,
      cashFen: 0,
      count: 0,
    };
    g.medfeeFen += e.medfeeFen;
    g.fundFen += e.fundFen;
    g.acctFen += e.acctFen;
    g.cashFen += e.cashFen;
    g.count += e.refund ? -1 : 1;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => groupKey(a).localeCompare(groupKey(b)));
}
