/** The reconciliation operations as the dispatcher routes them (kept here so station.ts stays a table of capabilities). */
import type { OperationArgs } from '../../shared/api';
import type { SignedInOperator } from '../../shared/domain';
import { StationError } from '../../shared/result';
import type { ClearingRuns } from './clearing-runs';
import type { ReconciliationRuns } from './reconciliation-runs';
import { resolveDifference, type ResolveDifferenceDeps } from './resolve-difference';

/** What carrying out a difference's suggestion needs besides the runs: the station's gateway, outbox and msgids. */
export type ResolveParts = Omit<ResolveDifferenceDeps, 'runs' | 'newMsgid'> & { outpatient: { newMsgid: () => string } };

export function reconciliationHandlers<Ctx>(runs: ReconciliationRuns, operatorOf: (ctx: Ctx) => SignedInOperator, parts: ResolveParts) {
  const resolveDeps: ResolveDifferenceDeps = { ...parts, runs, newMsgid: parts.outpatient.newMsgid };
  return {
    runReconciliation: (ctx: Ctx, args: OperationArgs<'runReconciliation'>) => runs.run(operatorOf(ctx), args.day),
    listReconciliations: (_ctx: Ctx, args: OperationArgs<'listReconciliations'>) => runs.list(args),
    exportReconciliation: (ctx: Ctx, args: OperationArgs<'exportReconciliation'>) =>
      runs.exportDifferences(operatorOf(ctx), args.runId, args.format),
    resolveReconDifference: (ctx: Ctx, args: OperationArgs<'resolveReconDifference'>) =>
      resolveDifference(resolveDeps, operatorOf(ctx), args),
    getClearingMonth: (_ctx: Ctx, args: OperationArgs<'getClearingMonth'>) => clearingOf(runs).month(args.month),
    runClearing: (ctx: Ctx, args: OperationArgs<'runClearing'>) => clearingOf(runs).run(operatorOf(ctx), args.month, args.action),
    exportClearing: (ctx: Ctx, args: OperationArgs<'exportClearing'>) => clearingOf(runs).export(operatorOf(ctx), args.runId, args.format),
  };
}

function clearingOf(runs: ReconciliationRuns): ClearingRuns {
  if (!runs.clearing) throw new StationError('CONFLICT', '本工作站未配置就医地区划，不能异地清分');
  return runs.clearing;
}
