/**
 * The day's reconciliation with the centre as the office sees it (issue 14 item 3, AQ-06): each run of a Beijing
 * day kept with its 3201 groups and its 3202 differences, each difference with what to do about it.
 */
import { z } from 'zod';

const Day = z.string().regex(/^\d{4}-\d\d-\d\d$/, '日期应为 yyyy-MM-dd');

export const RunReconciliationInput = z.object({ day: Day }).strict();
export const ListReconciliationsInput = z.object({ day: Day.optional(), limit: z.number().int().min(1).max(200).default(30) }).strict();

export interface ReconGroupView {
  region: string;
  insutype: string;
  clrType: string;
  count: number;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
  balanced: boolean;
  centreSays: string;
}

export type ReconDifferenceKind = 'centre-only' | 'hospital-only' | 'differ';
export const RECON_DIFFERENCE_LABELS: Record<ReconDifferenceKind, string> = {
  'centre-only': '中心有、院内无',
  'hospital-only': '院内有、中心无',
  differ: '金额不一致',
};

export interface ReconDifferenceView {
  kind: ReconDifferenceKind;
  region: string;
  clrType: string;
  setlId: string | null;
  mdtrtId: string | null;
  centre: { medfeeFen: number | null; fundFen: number | null; acctFen: number | null } | null;
  /** The ledger's entries for it: where each came from (station, order) and its amounts. */
  ledger: { stationId: string; orderId: string; psnNo: string; medfeeFen: number; fundFen: number; refund: boolean; at: string }[];
  memo: string;
  suggestion: string;
}

export type ReconRunOutcome = 'balanced' | 'unbalanced' | 'failed';
export const RECON_OUTCOME_LABELS: Record<ReconRunOutcome, string> = { balanced: '平账', unbalanced: '不平', failed: '未完成' };

export interface ReconciliationRunView {
  id: number;
  day: string;
  /** When the run ended (ISO). */
  at: string;
  operatorId: string;
  trigger: 'manual' | 'auto';
  outcome: ReconRunOutcome;
  /** Why a run did not finish (the centre unreachable, the ledger unreadable). */
  error: string | null;
  /** The ledger's events of the day the run read. */
  events: number;
  groups: ReconGroupView[];
  differences: ReconDifferenceView[];
}
