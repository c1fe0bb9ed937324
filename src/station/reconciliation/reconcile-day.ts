/**
 * A day's reconciliation of the hospital ledger with the centre (对账, AQ-06): 3201 per insured region, insurance type
 * and clearing type with the ledger's totals; for every region and clearing type with an unbalanced group, 3202
 * settlement by settlement, and each settlement the two sides disagree on comes back with what to do about it.
 *
 * The ledger's day is the Beijing day of each event's final state; the centre's is its settlement time. A settlement
 * finished seconds after midnight can fall on the two sides' different days: 3202 names it, and the next day's run
 * balances it.
 */
import { reconcileTotals, type DetailLine, type DetailResult } from '../../insurance/nhsa';
import type { OperatorView } from '../../shared/domain';
import { fen } from '../../shared/money';
import { StationError } from '../../shared/result';
import type { LedgerEvent } from '../hospital-ledger';
import type { CentrePort } from '../ports';
import { DETAIL_RESULTS, detailRound } from './detail-round';
import { settlementEntries, totalsByGroup, type GroupTotals, type LedgerSettlementEntry } from './ledger-totals';

export interface GroupResult {
  totals: GroupTotals;
  balanced: boolean;
  /** The centre's words (stmt_rslt_dscr). */
  centreSays: string;
}

export type DifferenceKind = 'centre-only' | 'hospital-only' | 'differ';

export interface Difference {
  kind: DifferenceKind;
  region: string;
  clrType: string;
  setlId: string | null;
  mdtrtId: string | null;
  /** The insured person the centre books it under (what a 2208 or a 5204 names); null in runs kept before it. */
  psnNo?: string | null;
  /** The centre's entry is itself a cancel (refd_setl_flag 1). */
  centreRefund?: boolean;
  /** The centre's amounts for it (null: it has none). */
  centre: { medfeeFen: number | null; fundFen: number | null; acctFen: number | null } | null;
  /** The ledger's entries for it (a settlement and its cancel, when both), with the station and order they came from. */
  ledger: LedgerSettlementEntry[];
  memo: string;
  /** What a person does about it; carried out as an audited movement by the office. */
  suggestion: string;
}

export interface DayReconciliation {
  day: string;
  groups: GroupResult[];
  differences: Difference[];
}

const SUGGESTIONS: Record<DifferenceKind, string> = {
  'centre-only': '中心有此结算、院内账本无：查该就诊的工作站是否离线未上传；确属多记的，由收费处撤销（2208）或冲正',
  'hospital-only': '院内账本有、中心无：查该笔是否已在中心冲正（2601）或撤销；账本漏记撤销的，补记',
  differ: '双方金额不一致：以中心结算信息（5203）核对后人工处理',
};

const KIND_OF: Record<string, DifferenceKind> = {
  [DETAIL_RESULTS.centreOnly]: 'centre-only',
  [DETAIL_RESULTS.hospitalOnly]: 'hospital-only',
  [DETAIL_RESULTS.differ]: 'differ',
};

/** yyyy-MM-dd */
const DAY = /^\d{4}-\d\d-\d\d$/;

export async function reconcileDay(
  d: { gateway: CentrePort; operator: OperatorView },
  events: readonly LedgerEvent[],
  day: string,
): Promise<DayReconciliation> {
  if (!DAY.test(day)) throw new StationError('INVALID_ARGUMENT', `对账日期应为 yyyy-MM-dd：${day}`);
  const entries = settlementEntries(events);
  const groups: GroupResult[] = [];
  for (const totals of totalsByGroup(entries)) {
    const answer = await d.gateway.perform(
      '3201',
      d.operator,
      (client, ctx) =>
        reconcileTotals(client, ctx, {
          setl_optins: totals.region,
          stmt_begndate: day,
          stmt_enddate: day,
          clr_type: totals.clrType as '11' | '21' | '41' | '99',
          refd_setl_flag: '1',
          insutype: totals.insutype,
          medfee_sumamt: fen(totals.medfeeFen),
          fund_pay_sumamt: fen(totals.fundFen),
          acct_pay: fen(totals.acctFen),
          fixmedins_setl_cnt: totals.count,
        }),
      { insuredRegion: totals.region },
    );
    if (answer.kind !== 'ok') {
      const why = answer.kind === 'rejected' ? answer.errMsg : answer.detail;
      throw new StationError(answer.kind === 'rejected' ? 'CENTRE_REJECTED' : 'CENTRE_UNREACHABLE', `对总账 (3201) 未成功：${why}`);
    }
    groups.push({ totals, balanced: answer.output.balanced, centreSays: answer.output.stmt_rslt_dscr ?? '' });
  }

  const differences: Difference[] = [];
  const unbalanced = new Map<string, { region: string; clrType: string }>();
  for (const g of groups) if (!g.balanced) unbalanced.set(`${g.totals.region}|${g.totals.clrType}`, g.totals);
  for (const { region, clrType } of unbalanced.values()) {
    const mine = entries.filter((e) => e.region === region && e.clrType === clrType);
    // a region's differences each name their settlement's entries: looked up, not searched (100,000 a day)
    const bySetlId = new Map<string, LedgerSettlementEntry[]>();
    for (const e of mine) bySetlId.set(e.setlId, [...(bySetlId.get(e.setlId) ?? []), e]);
    const rows = await detailRound(
      d.gateway,
      d.operator,
      {
        setl_optins: region,
        stmt_begndate: day,
        stmt_enddate: day,
        clr_type: clrType as '11' | '21' | '41' | '99',
        refd_setl_flag: '1',
        medfee_sumamt: fen(sum(mine, 'medfeeFen')),
        fund_pay_sumamt: fen(sum(mine, 'fundFen')),
        cash_payamt: fen(sum(mine, 'cashFen')),
        fixmedins_setl_cnt: mine.reduce((n, e) => n + (e.refund ? -1 : 1), 0),
      },
      mine.map(detailLine),
      `ledger-${day}-${region}-${clrType}`,
    );
    for (const row of rows) {
      const kind = row.stmt_rslt ? KIND_OF[row.stmt_rslt] : undefined;
      if (!kind) continue; // agreed
      differences.push(differenceOf(kind, region, clrType, row, (row.setl_id && bySetlId.get(row.setl_id)) || []));
    }
  }
  return { day, groups, differences };
}

function sum(entries: readonly LedgerSettlementEntry[], key: 'medfeeFen' | 'fundFen' | 'cashFen'): number {
  return entries.reduce((n, e) => n + e[key], 0);
}

function detailLine(e: LedgerSettlementEntry): DetailLine {
  return {
    setl_id: e.setlId,
    mdtrt_id: e.mdtrtId,
    psn_no: e.psnNo,
    medfee_sumamt: fen(e.medfeeFen),
    fund_pay_sumamt: fen(e.fundFen),
    acct_pay: fen(e.acctFen),
    refd_setl_flag: e.refund ? '1' : '0',
  };
}

function differenceOf(
  kind: DifferenceKind,
  region: string,
  clrType: string,
  row: DetailResult,
  ledger: LedgerSettlementEntry[],
): Difference {
  const centreHas = row.medfee_sumamt !== null || row.fund_pay_sumamt !== null;
  return {
    kind,
    region,
    clrType,
    setlId: row.setl_id,
    mdtrtId: row.mdtrt_id,
    psnNo: row.psn_no,
    centreRefund: row.refd_setl_flag === '1',
    centre:
      kind === 'hospital-only' || !centreHas ? null : { medfeeFen: row.medfee_sumamt, fundFen: row.fund_pay_sumamt, acctFen: row.acct_pay },
    ledger,
    memo: row.memo ?? '',
    suggestion: SUGGESTIONS[kind],
  };
}
