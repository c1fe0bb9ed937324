/**
 * The nurse's 中途结算 and 撤销入院 (issue 15), beside the discharge's operations (inpatient-handlers.ts): the
 * mid-stay settlement of the bill to date, its slip, and the admission cancelled at the centre with the reason audited.
 */
import type { OperationArgs } from '../../shared/api';
import type { SignedInOperator } from '../../shared/domain';
import type { MidstaySettlementView, StayView } from '../../shared/inpatient';
import { StationError } from '../../shared/result';
import type { ReceiptPaper } from '../receipts';
import type { InpatientHandlerDeps } from './inpatient-handlers';
import { midstayVoucherHtml } from './midstay-voucher-html';
import type { MidstaySettlement } from './stay-settlements-repo';
import type { StayRecord } from './stays-repo';

export function midstayView(m: MidstaySettlement): MidstaySettlementView {
  const s = m.settlement;
  return {
    setlId: s.setlId,
    state: m.state,
    medfeeFen: s.medfeeFen,
    fundFen: s.fundFen,
    acctFen: s.acctFen,
    cashFen: s.cashFen,
    uptoLine: s.uptoLine,
    booking: m.booking && {
      hisSettleNo: m.booking.hisSettleNo,
      invoiceNo: m.booking.invoiceNo,
      depositsFen: m.booking.deposits.reduce((sum, x) => sum + x.amountFen, 0),
    },
    createdAt: m.createdAt,
  };
}

export function midstayHandlers<Ctx>(
  d: InpatientHandlerDeps,
  operatorOf: (ctx: Ctx) => SignedInOperator,
  stayView: (s: StayRecord) => StayView,
) {
  const { midstay, stays, ward } = d.inpatient;
  return {
    settleMidstay: async (ctx: Ctx, args: OperationArgs<'settleMidstay'>) => {
      try {
        return midstayView(await midstay.settle(operatorOf(ctx), args.stayId));
      } finally {
        d.inpatient.updated(args.stayId); // every screen showing the stay hears of it, as after a discharge's steps
      }
    },
    printMidstayVoucher: async (_ctx: Ctx, args: OperationArgs<'printMidstayVoucher'>) => {
      const stay = stays.get(args.stayId);
      const settlement = stay && stays.midway.of(stay.id).find((m) => m.settlement.setlId === args.setlId);
      if (!stay || !settlement) throw new StationError('NOT_FOUND', '没有这次中途结算');
      if (settlement.state !== 'booked') throw new StationError('CONFLICT', '中途结算尚未在 HIS 登记完成，不能打印结算单');
      const h = await ward.stay({ iptNo: stay.iptNo });
      const voucher = {
        stay,
        settlement,
        patientName: h.kind === 'ok' ? h.value.patientName : '',
        depositBalanceFen: h.kind === 'ok' ? h.value.depositBalanceFen : 0,
      };
      const context = (paper: ReceiptPaper) => ({ ...d.info, paper, now: d.now() });
      return d.receipts.printPage((paper) => midstayVoucherHtml(voucher, context(paper)), `住院中途结算单 ${stay.iptNo}`);
    },
    // 撤销入院: the reason audited with the outcome, as the window's undo of a settlement is.
    cancelAdmission: async (ctx: Ctx, args: OperationArgs<'cancelAdmission'>) => {
      const operator = operatorOf(ctx);
      const detail = `${stays.get(args.stayId)?.iptNo ?? args.stayId} 原因：${args.reason}`;
      const audit = (outcome: 'ok' | 'failed') =>
        d.audit.append({ operatorId: operator.id, action: 'stay.cancelAdmission', outcome, detail }, d.now());
      try {
        const stay = await d.inpatient.cancelAdmission(operator, args.stayId, args.reason);
        audit('ok');
        return stayView(stay);
      } catch (e) {
        audit('failed');
        throw e;
      } finally {
        d.inpatient.updated(args.stayId);
      }
    },
  };
}
