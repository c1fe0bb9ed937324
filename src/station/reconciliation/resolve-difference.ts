/**
 * The office carries out a 3202 difference's suggestion (issue 14 item 3), by key, with why, audited, admin only:
 *  - the centre holds a settlement the ledger has not (or has only as cancelled) → 2208 through the outbox's own
 *    settlement-cancel movement (the one the cashier's undo and the quick reversal use: repeated under its msgid,
 *    confirmed by 5204, never undone);
 *  - the ledger holds one the centre has not → 5204 asks whether the centre still has the visit settled; if it has
 *    not, the order's open intents are handed to the outbox's resolution; if it has, or cannot say, a person decides;
 *  - amounts that differ → a person, with the note of what to check;
 *  - HIS's or the platform's differences → the outbox, where the order still has a movement being resolved (its
 *    own compensation), otherwise a person with the suggestion as the note.
 * Afterwards the day is reconciled again, so the office sees at once whether the difference is gone.
 */
import type { OperatorView } from '../../shared/domain';
import type { ReconciliationRunView, ReconDifferenceView, ReconResolution, ReconResolutionView } from '../../shared/reconciliation';
import { StationError } from '../../shared/result';
import { MOVEMENT_KINDS, visitSettlement } from '../movements';
import type { CentrePort } from '../ports';
import type { AuditOutcome } from '../store';
import type { ReconciliationRuns } from './reconciliation-runs';

export interface ResolveDifferenceDeps {
  runs: Pick<ReconciliationRuns, 'get' | 'run'>;
  gateway: CentrePort;
  outbox: {
    run(kind: string, args: { orderId: string; externalId: string; payload: unknown }): Promise<{ state: string; detail?: string }>;
    resolveOrderNow(orderId: string): void;
    /** Whether the order has a movement not yet final. */
    isLocked(orderId: string): boolean;
  };
  newMsgid: () => string;
  audit: { append(entry: { operatorId: string; action: string; outcome: AuditOutcome; detail: string }, now: Date): void };
  now: () => Date;
}

type Done = { resolution: ReconResolution; note: string };

export async function resolveDifference(
  d: ResolveDifferenceDeps,
  operator: OperatorView,
  args: { runId: number; source?: 'centre' | 'his' | 'statement'; key: string; reason: string },
): Promise<ReconResolutionView> {
  const kept = d.runs.get(args.runId);
  const source = args.source ?? 'centre';
  const what = `${kept.day} #${kept.id} ${source} ${args.key}; reason ${args.reason}`;
  const audit = (outcome: AuditOutcome, detail: string) =>
    d.audit.append({ operatorId: operator.id, action: 'reconciliation.resolve', outcome, detail: `${what}; ${detail}` }, d.now());
  const action = actionFor(d, operator, kept, source, args.key);
  if (!action) {
    audit('denied', 'not in run');
    throw new StationError('NOT_FOUND', `该次对账没有编号为 ${args.key} 的差异`);
  }
  let done: Done;
  try {
    done = await action.run();
  } catch (e) {
    audit('failed', e instanceof Error ? e.message : String(e));
    throw e;
  }
  audit('ok', `${action.kind} → ${done.resolution}: ${done.note}`);
  return { ...done, run: await d.runs.run(operator, kept.day) };
}

/** The difference the office named, and what carrying out its suggestion does; undefined: the run has none such. */
function actionFor(
  d: ResolveDifferenceDeps,
  operator: OperatorView,
  kept: ReconciliationRunView,
  source: 'centre' | 'his' | 'statement',
  key: string,
): { kind: string; run: () => Promise<Done> } | undefined {
  if (source === 'centre') {
    // 3202 names a cancel by the settlement it cancels: with both rows in the run, the centre's own cancel decides
    // (nothing is cancelled again; a person looks at the pair).
    const rows = kept.differences.filter((x) => x.setlId === key);
    const diff = rows.find((x) => x.centreRefund) ?? rows[0];
    return diff && { kind: diff.kind, run: () => act(d, operator, diff) };
  }
  const other =
    source === 'his'
      ? kept.his?.differences.find((x) => x.settleId === key)
      : kept.statement?.differences.find((x) => x.outTradeNo === key);
  return other && { kind: other.kind, run: () => Promise.resolve(handOver(d, other)) };
}

/**
 * HIS's books and the platform's statement: the station's own compensations (a HIS booking cancelled, a payment
 * refunded or reversed) run inside its sagas, so an order of this station with a movement still being resolved is
 * handed to the outbox at once; anything else needs a person, with the suggestion as the note.
 */
function handOver(d: ResolveDifferenceDeps, diff: { orderId: string | null; suggestion: string }): Done {
  if (diff.orderId && d.outbox.isLocked(diff.orderId)) {
    d.outbox.resolveOrderNow(diff.orderId);
    return { resolution: 'handed-over', note: `单据 ${diff.orderId} 仍有待核实的交易，已交待处理队列立即核实` };
  }
  return { resolution: 'needs-person', note: diff.suggestion };
}

async function act(d: ResolveDifferenceDeps, operator: OperatorView, diff: ReconDifferenceView): Promise<Done> {
  if (diff.kind === 'differ') return { resolution: 'needs-person', note: '金额不一致：以中心结算信息（5203）核对后人工更正' };
  if (diff.kind === 'centre-only') return cancelAtCentre(d, operator, diff);
  return recheckStationOnly(d, operator, diff);
}

/** A settlement only the centre holds (the ledger has none, or only its cancel): 2208 through the outbox. */
async function cancelAtCentre(d: ResolveDifferenceDeps, operator: OperatorView, diff: ReconDifferenceView): Promise<Done> {
  if (diff.centreRefund) return { resolution: 'needs-person', note: '中心多出的是一笔撤销记录，不能再撤销：请人工核实原结算' };
  if (!diff.setlId || !diff.mdtrtId || !diff.psnNo)
    return { resolution: 'needs-person', note: '中心明细缺少结算号、就诊号或人员编号，无法撤销' };
  const live = diff.ledger.some((e) => !e.refund) && !diff.ledger.some((e) => e.refund);
  if (live) return { resolution: 'needs-person', note: '院内账本有该结算且未撤销：请先查工作站上传情况' };
  const r = await d.outbox.run(MOVEMENT_KINDS.settlementCancel, {
    // Kept under the settlement, not an order: no order of the station's is locked or changed, and the ledger
    // event it leaves carries no order's insurance, so it does not count twice against a cancel the ledger has.
    orderId: `recon-${diff.setlId}`,
    externalId: d.newMsgid(),
    payload: {
      operator: { id: operator.id, name: operator.name, role: operator.role },
      insuredRegion: diff.region,
      psnNo: diff.psnNo,
      setlId: diff.setlId,
      mdtrtId: diff.mdtrtId,
    },
  });
  if (r.state === 'succeeded') return { resolution: 'cancelled', note: `中心结算 ${diff.setlId} 已撤销（2208）` };
  if (r.state === 'failed') return { resolution: 'needs-person', note: `中心拒绝撤销：${r.detail ?? ''}` };
  return { resolution: 'handed-over', note: `撤销结果未知，已交待处理队列核实：${r.detail ?? ''}` };
}

/** A settlement only the ledger holds: does the centre still have the visit settled (5204)? */
async function recheckStationOnly(d: ResolveDifferenceDeps, operator: OperatorView, diff: ReconDifferenceView): Promise<Done> {
  const entry = diff.ledger[0];
  if (!entry || !diff.mdtrtId) return { resolution: 'needs-person', note: '院内账本没有该结算的来源，需人工核实' };
  const state = await visitSettlement(d.gateway, { operator, insuredRegion: diff.region, psnNo: entry.psnNo, mdtrtId: diff.mdtrtId });
  if (state.kind === 'unknown') return { resolution: 'needs-person', note: `中心结算状态查询（5204）未成功：${state.detail}` };
  if (state.kind === 'settled')
    return { resolution: 'needs-person', note: '中心（5204）显示该就诊仍已结算：对账日期或结算号不一致，需人工核对' };
  d.outbox.resolveOrderNow(entry.orderId);
  return { resolution: 'handed-over', note: `中心（5204）无此结算：工作站 ${entry.stationId} 单据 ${entry.orderId} 已交待处理队列核实` };
}
