/** The reconciliation operations as the dispatcher routes them (kept here so station.ts stays a table of capabilities). */
import type { OperationArgs } from '../../shared/api';
import type { SignedInOperator } from '../../shared/domain';
import type { ReconciliationRuns } from './reconciliation-runs';

export function reconciliationHandlers<Ctx>(runs: ReconciliationRuns, operatorOf: (ctx: Ctx) => SignedInOperator) {
  return {
    runReconciliation: (ctx: Ctx, args: OperationArgs<'runReconciliation'>) => runs.run(operatorOf(ctx), args.day),
    listReconciliations: (_ctx: Ctx, args: OperationArgs<'listReconciliations'>) => runs.list(args),
    exportReconciliation: (ctx: Ctx, args: OperationArgs<'exportReconciliation'>) =>
      runs.exportDifferences(operatorOf(ctx), args.runId, args.format),
  };
}
