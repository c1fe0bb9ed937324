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
  psnNo?: string | null;
  centreRefund?: boolean;
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
  /** The payment platform's statement of the day matched with the ledger (DQ-07); null: not asked. */
  statement: StatementMatchView | null;
  /** HIS's own account of the day (account.day) matched with the ledger's HIS bookings; null: not asked. */
  his: HisMatchView | null;
}

export type HisDifferenceKind = 'his-only' | 'ledger-only' | 'differ';
export const HIS_DIFFERENCE_LABELS: Record<HisDifferenceKind, string> = {
  'his-only': 'HIS有、院内无',
  'ledger-only': '院内有、HIS无',
  differ: '金额不一致',
};

export interface HisDifferenceView {
  kind: HisDifferenceKind;
  /** The station's settle id, HIS's booking key. */
  settleId: string;
  hisSettleNo: string | null;
  stationId: string | null;
  orderId: string | null;
  hisMedfeeFen: number | null;
  ledgerMedfeeFen: number | null;
  hisCashFen: number | null;
  ledgerCashFen: number | null;
  suggestion: string;
}

export interface HisMatchView {
  balanced: boolean;
  /** Why HIS's account could not be had (the day then stays unbalanced). */
  error: string | null;
  hisBookings: number;
  ledgerBookings: number;
  differences: HisDifferenceView[];
}

/** DQ-07: how a trade was paid (the window's QR, or the patient's payment code) and what it paid for. */
export type TradeWay = 'qr' | 'code';
export type TradePurpose = 'insured-cash' | 'self-pay' | 'unknown';
export const TRADE_WAY_LABELS: Record<TradeWay, string> = { qr: '窗口二维码', code: '付款码' };
export const TRADE_PURPOSE_LABELS: Record<TradePurpose, string> = {
  'insured-cash': '医保个人现金部分',
  'self-pay': '自费',
  unknown: '未知',
};

export type StatementDifferenceKind = 'statement-only' | 'ledger-only' | 'differ';
export const STATEMENT_DIFFERENCE_LABELS: Record<StatementDifferenceKind, string> = {
  'statement-only': '平台有、院内无',
  'ledger-only': '院内有、平台无',
  differ: '金额不一致',
};

/** One part of the split: the trades of one way and purpose, net of refunds, as each side has them. */
export interface StatementPartView {
  wallet: 'wechat' | 'alipay';
  way: TradeWay;
  purpose: TradePurpose;
  trades: number;
  statementNetFen: number;
  ledgerNetFen: number;
}

export interface StatementDifferenceView {
  kind: StatementDifferenceKind;
  wallet: 'wechat' | 'alipay';
  outTradeNo: string;
  way: TradeWay;
  purpose: TradePurpose;
  /** Net of the day's payment and refunds on each side (null: that side has none). */
  statementNetFen: number | null;
  ledgerNetFen: number | null;
  stationId: string | null;
  orderId: string | null;
  suggestion: string;
}

export interface StatementMatchView {
  balanced: boolean;
  /** Why the statement could not be had (the platform unreachable, a statement that does not add up). */
  error: string | null;
  parts: StatementPartView[];
  differences: StatementDifferenceView[];
}

export const ExportReconciliationInput = z.object({ runId: z.number().int().positive(), format: z.enum(['xlsx', 'csv']) }).strict();

/** What the office does about one difference of a kept run (issue 14 item 3): by key, with why, audited. */
export const ResolveReconDifferenceInput = z
  .object({
    runId: z.number().int().positive(),
    /** Whose difference: the centre's 3202 (by setl_id), HIS's day account (by settle id), the platform's statement (by out_trade_no). */
    source: z.enum(['centre', 'his', 'statement']).default('centre'),
    key: z.string().min(1).max(64),
    reason: z.string().trim().min(1, '请填写处理原因').max(60, '处理原因不能超过 60 个字'),
  })
  .strict();

/** cancelled: 2208 sent and done; handed-over: the outbox resolves it; needs-person: nothing sent, the note says why. */
export type ReconResolution = 'cancelled' | 'handed-over' | 'needs-person';
export const RECON_RESOLUTION_LABELS: Record<ReconResolution, string> = {
  cancelled: '已撤销（2208）',
  'handed-over': '已交待处理队列',
  'needs-person': '需人工处理',
};

export interface ReconResolutionView {
  resolution: ReconResolution;
  note: string;
  /** The day reconciled again afterwards. */
  run: ReconciliationRunView;
}
