/**
 * The month's cross-region clearing from the hospital ledger (ZS-07): the cross-region settlements still standing
 * (a settlement, less its cancel), the month's picture per day and insured region, and the centre's clearing detail
 * (3260) matched with them — matched by setl_id, a row kept (cnfm_flag 1) only when both sides have it with the same
 * total and fund amounts (NW's getData3260: "总金额对不上" / "统筹对不上" default to 0).
 */
import type { ClearingRow } from '../../insurance/nhsa';
import type { ClearingDayView, ClearingRegionView, ClearingRowView } from '../../shared/clearing';
import { localDay } from '../clock';
import { settlementEntries, type LedgerSettlementEntry } from './ledger-totals';
import type { LedgerEvent } from '../hospital-ledger';

/** Cross-region settlements of the events (insured region ≠ the treating region) that no cancel took out, in order. */
export function standingCrossRegion(events: readonly LedgerEvent[], ownRegion: string): LedgerSettlementEntry[] {
  const standing = new Map<string, LedgerSettlementEntry>();
  for (const e of settlementEntries(events)) {
    if (e.region === ownRegion) continue;
    if (!e.refund) {
      standing.set(e.setlId, e);
      continue;
    }
    // A cancel names the settlement it cancels, or at least its visit (one settlement standing per visit).
    const cancelled = standing.has(e.setlId) ? e.setlId : [...standing.values()].find((s) => s.mdtrtId === e.mdtrtId)?.setlId;
    if (cancelled) standing.delete(cancelled);
  }
  return [...standing.values()];
}

export function monthPicture(
  settlements: readonly LedgerSettlementEntry[],
  timeZone: string,
): { days: ClearingDayView[]; regions: ClearingRegionView[] } {
  const days = new Map<string, ClearingDayView>();
  const regions = new Map<string, ClearingRegionView>();
  for (const s of settlements) {
    const day = localDay(new Date(s.at), timeZone);
    const d = days.get(day) ?? { day, count: 0, medfeeFen: 0, fundFen: 0 };
    const r = regions.get(s.region) ?? { region: s.region, count: 0, medfeeFen: 0, fundFen: 0 };
    for (const t of [d, r]) {
      t.count += 1;
      t.medfeeFen += s.medfeeFen;
      t.fundFen += s.fundFen;
    }
    days.set(day, d);
    regions.set(s.region, r);
  }
  return {
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    regions: [...regions.values()].sort((a, b) => a.region.localeCompare(b.region)),
  };
}

export function matchClearing(centre: readonly ClearingRow[], ledger: readonly LedgerSettlementEntry[]): ClearingRowView[] {
  const mine = new Map(ledger.map((s) => [s.setlId, s]));
  const rows: ClearingRowView[] = centre.map((c) => {
    const s = mine.get(c.setl_sn);
    mine.delete(c.setl_sn);
    const centreSide = { medfeeFen: c.medfee_sumamt, optinsFen: c.optins_pay_sumamt };
    if (!s)
      return {
        status: 'centre-only',
        setlId: c.setl_sn,
        mdtrtId: c.mdtrt_id,
        centre: centreSide,
        station: null,
        confirmed: false,
        memo: '院内无此结算',
      };
    const memo = s.medfeeFen !== c.medfee_sumamt ? '总金额对不上' : s.fundFen !== c.optins_pay_sumamt ? '统筹对不上' : '';
    return {
      status: memo ? 'differ' : 'agree',
      setlId: c.setl_sn,
      mdtrtId: c.mdtrt_id,
      centre: centreSide,
      station: stationSide(s),
      confirmed: !memo,
      memo,
    };
  });
  for (const s of mine.values()) {
    rows.push({
      status: 'station-only',
      setlId: s.setlId,
      mdtrtId: s.mdtrtId,
      centre: null,
      station: stationSide(s),
      confirmed: false,
      memo: '中心清分明细无此结算',
    });
  }
  return rows;
}

function stationSide(s: LedgerSettlementEntry): NonNullable<ClearingRowView['station']> {
  return { medfeeFen: s.medfeeFen, fundFen: s.fundFen, region: s.region, stationId: s.stationId, orderId: s.orderId };
}
