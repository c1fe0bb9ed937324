/**
 * Monthly cross-region clearing (异地清分, ZS-07, issue 14) as the office sees it: the month's cross-region
 * settlements from the hospital ledger, the centre's clearing detail (3260) matched with them, the confirmation
 * (3261) and its roll-back (3262), each run kept; accepted only in the window of the following month.
 */
import { z } from 'zod';

export const ClearingMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 yyyy-MM');

/** check: fetch and match only; confirm: fetch, match and confirm (3261); rollback: 3262. */
export type ClearingAction = 'check' | 'confirm' | 'rollback';
export const CLEARING_ACTION_LABELS: Record<ClearingAction, string> = { check: '核对', confirm: '确认', rollback: '回退' };

export const RunClearingInput = z.object({ month: ClearingMonth, action: z.enum(['check', 'confirm', 'rollback']) }).strict();
export const ClearingMonthInput = z.object({ month: ClearingMonth }).strict();
export const ExportClearingInput = z.object({ runId: z.number().int().positive(), format: z.enum(['xlsx', 'csv']) }).strict();

export type ClearingRowStatus = 'agree' | 'differ' | 'centre-only' | 'station-only';
export const CLEARING_ROW_LABELS: Record<ClearingRowStatus, string> = {
  agree: '一致',
  differ: '金额不一致',
  'centre-only': '中心有、院内无',
  'station-only': '院内有、中心无',
};

export interface ClearingRowView {
  status: ClearingRowStatus;
  setlId: string;
  mdtrtId: string;
  /** The centre's amounts (3260: medfee_sumamt, optins_pay_sumamt); null when it has none. */
  centre: { medfeeFen: number; optinsFen: number } | null;
  /** The ledger's settlement: its insured region and where it came from; null when the ledger has none. */
  station: { medfeeFen: number; fundFen: number; region: string; stationId: string; orderId: string } | null;
  /** Sent with cnfm_flag 1 (纳入): only rows both sides agree on. */
  confirmed: boolean;
  memo: string;
}

export type ClearingOutcome = 'done' | 'failed';

export interface ClearingRunView {
  id: number;
  month: string;
  at: string;
  operatorId: string;
  action: ClearingAction;
  outcome: ClearingOutcome;
  error: string | null;
  /** A confirmation's inf_refmsgid (what 3262 names), or the roll-back's own. */
  infRefmsgid: string | null;
  totals: { rows: number; confirmed: number; medfeeFen: number; optinsFen: number; differences: number };
  rows: ClearingRowView[];
}

export interface ClearingWindowView {
  /** yyyy-MM-dd, Beijing. */
  opens: string;
  closes: string;
  open: boolean;
}

export interface ClearingDayView {
  day: string;
  count: number;
  medfeeFen: number;
  fundFen: number;
}

export interface ClearingRegionView {
  region: string;
  count: number;
  medfeeFen: number;
  fundFen: number;
}

export interface ClearingMonthView {
  month: string;
  window: ClearingWindowView;
  /** Whether a confirmation stands (the last confirm or roll-back that went through). */
  state: 'unconfirmed' | 'confirmed';
  /** The month's cross-region settlements in the ledger, per day and per insured region. */
  days: ClearingDayView[];
  regions: ClearingRegionView[];
  runs: ClearingRunView[];
}

/** The window of `month` (yyyy-MM): the 5th to the 8th of the following month; open when `today` (yyyy-MM-dd) is in it. */
export function clearingWindow(month: string, today: string, days = { firstDay: 5, lastDay: 8 }): ClearingWindowView {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  const opens = `${next}-${String(days.firstDay).padStart(2, '0')}`;
  const closes = `${next}-${String(days.lastDay).padStart(2, '0')}`;
  return { opens, closes, open: today >= opens && today <= closes };
}
