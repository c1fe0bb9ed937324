/**
 * The shift operations as the dispatcher serves them: the operator's open shift, its close (closing one's own
 * shift signs the window out, like 退出), the admin's day close, and their slips.
 */
import type { OperationArgs } from '../../shared/api';
import type { SignedInOperator } from '../../shared/domain';
import type { ShiftService } from './shift-service';

export function shiftHandlers<Ctx>(shifts: ShiftService, operatorOf: (ctx: Ctx) => SignedInOperator, logout: (ctx: Ctx) => unknown) {
  return {
    currentShift: (ctx: Ctx) => shifts.open(operatorOf(ctx)),
    closeShift: (ctx: Ctx, args: OperationArgs<'closeShift'>) => {
      const operator = operatorOf(ctx);
      const closed = shifts.close(operator, args.shiftId, { reason: args.reason, drawer: args.drawer });
      if (closed.operatorId === operator.id) logout(ctx);
      return closed;
    },
    dayClose: (_ctx: Ctx, args: OperationArgs<'dayClose'>) => shifts.dayClose(args.day),
    printShiftSlip: (ctx: Ctx, args: OperationArgs<'printShiftSlip'>) => shifts.printSlip(operatorOf(ctx), args.shiftId),
    printDaySlip: (ctx: Ctx, args: OperationArgs<'printDaySlip'>) => shifts.printDaySlip(operatorOf(ctx), args.day),
  };
}
