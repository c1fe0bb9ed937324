/** The lists' operations as the dispatcher routes them (kept here so station.ts stays a table of capabilities). */
import type { OperationArgs } from '../../shared/api';
import type { SignedInOperator } from '../../shared/domain';
import type { LedgerService } from './ledger-service';
import type { QuickReversal } from './quick-reversal';

export function ledgerHandlers<Ctx>(ledger: LedgerService, reversal: QuickReversal, operatorOf: (ctx: Ctx) => SignedInOperator) {
  return {
    searchOrders: (ctx: Ctx, args: OperationArgs<'searchOrders'>) => ledger.searchOrders(operatorOf(ctx), args),
    orderFeeLines: (_ctx: Ctx, args: OperationArgs<'orderFeeLines'>) => ledger.orderFeeLines(args.orderId),
    exportOrders: (ctx: Ctx, args: OperationArgs<'exportOrders'>) => ledger.exportOrders(operatorOf(ctx), args),
    cancelExport: (ctx: Ctx, args: OperationArgs<'cancelExport'>) => ledger.cancelExport(operatorOf(ctx), args.exportId),
    searchFinance: (ctx: Ctx, args: OperationArgs<'searchFinance'>) => ledger.searchFinance(operatorOf(ctx), args),
    exportFinance: (ctx: Ctx, args: OperationArgs<'exportFinance'>) => ledger.exportFinance(operatorOf(ctx), args),
    quickReverse: (ctx: Ctx, args: OperationArgs<'quickReverse'>) => reversal.reverse(operatorOf(ctx), args),
    getReversalSettings: () => reversal.settings(),
    setReversalSettings: (ctx: Ctx, args: OperationArgs<'setReversalSettings'>) => reversal.setSettings(operatorOf(ctx), args),
    eVoucherReport: (_ctx: Ctx, args: OperationArgs<'eVoucherReport'>) => ledger.eVoucherReport(args),
    exportEVoucherReport: (ctx: Ctx, args: OperationArgs<'exportEVoucherReport'>) => ledger.exportEVoucherReport(operatorOf(ctx), args),
  };
}
