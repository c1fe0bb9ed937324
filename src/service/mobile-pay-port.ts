/**
 * The settlement service's pay step over the station's NHSA mobile payment (MobileSettlement): prepare → 6201 with
 * HIS's unsettled lines of the stay, pay → 6202 and HIS's booking of the discharge, query → the order as the station
 * holds it (a 6202 in doubt is being settled by 6301 in the outbox), refund → HIS's booking cancelled, then 6203
 * (answered "unknown" while either step is under way or in doubt). The service's settlement id is
 * the mobile order's id, so the channel books each settlement once.
 */
import type { HisFeeLine, HisOutcome } from '../insurance/his';
import { MAX_FEE_PAGE } from '../insurance/his';
import { fenToYuan } from '../shared/money';
import type { MobileOrderView } from '../shared/mobile-pay';
import type { InpatientStation } from '../station/inpatient/inpatient-station';
import { MobileSettlementError, type MobileSettlement } from '../station/mobile-pay';
import type { MobilePayPort, MobilePayState, MobileRefundState } from './ports';

/** 普通住院 (the NHSA med_type of an inpatient stay). */
const MED_TYPE_INPATIENT = '21';
/** An order refunded while the phone's row still said paid: only the window's undo refunds so (HM-07). */
const REFUNDED_ELSEWHERE = '住院收费处已撤销出院结算，医保部分已冲回，个人自付已原路退回';

export interface MobilePayPortDeps {
  settlement: Pick<MobileSettlement, 'prepare' | 'pay' | 'query' | 'refund'>;
  inpatient: Pick<InpatientStation, 'stays' | 'ward'>;
  now: () => number;
}

export function mobilePayPort(d: MobilePayPortDeps): MobilePayPort {
  const stateOf = (v: MobileOrderView): MobilePayState => {
    if (v.inDoubt) return { kind: 'unknown', payOrderId: v.payOrdId, detail: '支付结果正在向医保移动支付中心核实' };
    if (v.state === 'refunded' && v.payOrdId) return { kind: 'refunded', payOrderId: v.payOrdId, detail: REFUNDED_ELSEWHERE };
    if ((v.state === 'paid' || v.state === 'completed' || v.state === 'refunding') && v.payOrdId)
      return { kind: 'paid', payOrderId: v.payOrdId, setlId: v.payOrdId, paidAt: new Date(d.now()).toISOString() };
    if (v.state === 'uploaded' || v.state === 'cancelled' || v.state === 'upload-failed')
      return { kind: 'failed', payOrderId: v.payOrdId, reason: v.detail ?? '医保移动支付未完成，未扣费' };
    return { kind: 'unknown', payOrderId: v.payOrdId, detail: `订单状态：${v.state}` };
  };

  return {
    async prepare(order) {
      const stay = d.inpatient.stays.byIptNo(order.iptNo);
      if (!stay) return { kind: 'failed', reason: '该住院号尚未办理医保入院登记' };
      const his = hisValue(await d.inpatient.ward.stay({ iptNo: order.iptNo }));
      if (typeof his === 'string') return { kind: 'failed', reason: his };
      const bill = await billLines(d.inpatient.ward, order.iptNo);
      if (typeof bill === 'string') return { kind: 'failed', reason: bill };
      const { lines, uptoLine } = bill;
      if (lines.length === 0) return { kind: 'failed', reason: '没有待结算的费用' };
      const view = await d.settlement.prepare({
        orderId: order.settlementId,
        kind: 'inpatient',
        visitNo: order.iptNo,
        payAuthNo: order.payAuthNo,
        patient: { idNo: stay.cert.no, idType: stay.cert.type, name: his.patientName, psnNo: stay.psnNo, insutype: stay.insutype },
        medType: MED_TYPE_INPATIENT,
        deptCode: stay.dept.code,
        deptName: stay.dept.name,
        begntime: stay.admittedAt,
        useAccount: order.acctFen > 0,
        ward: { iptNo: order.iptNo, uptoLine },
        lines: lines.map((l) => ({
          feedetlSn: String(l.lineNo),
          medListCodg: l.nationalCode,
          medinsListCodg: l.hospCode,
          cnt: l.quantity,
          pric: fenToYuan(l.unitPriceFen),
          amountFen: l.amountFen,
        })),
      });
      if (view.state === 'uploaded' && view.payOrdId) return { kind: 'ok', payOrderId: view.payOrdId };
      return {
        kind: 'failed',
        reason: view.detail ?? (view.inDoubt ? '费用上传结果未知，请稍后重新结算' : `费用上传未完成（${view.state}）`),
      };
    },

    async pay(order) {
      return stateOf(await d.settlement.pay({ orderId: order.settlementId }));
    },

    query(settlementId) {
      return Promise.resolve(stateOf(d.settlement.query({ orderId: settlementId })));
    },

    async refund(r): Promise<MobileRefundState> {
      try {
        const v = await d.settlement.refund({ orderId: r.settlementId });
        if (v.state === 'refunded')
          return { kind: 'refunded', refundId: `${r.settlementId}R`, refundedAt: new Date(d.now()).toISOString() };
        if (v.inDoubt || v.state === 'refunding') return { kind: 'unknown', detail: '退款结果正在向医保移动支付中心核实' };
        return { kind: 'refused', reason: v.detail ?? `退款未完成（${v.state}）` };
      } catch (e) {
        // Not refundable on the phone (money already out of the deposits, an order not paid): the station's words.
        if (e instanceof MobileSettlementError && e.code === 'wrong-state') return { kind: 'refused', reason: e.message };
        throw e;
      }
    },
  };
}

function hisValue<T>(o: HisOutcome<T>): T | string {
  if (o.kind === 'ok') return o.value;
  return o.kind === 'rejected' ? `HIS：${o.message}` : `HIS 无应答：${o.detail}`;
}

/** HIS's unsettled lines the bill covers: a line taken back and its taking-back both left out (they cancel). */
async function billLines(ward: InpatientStation['ward'], iptNo: string): Promise<{ lines: HisFeeLine[]; uptoLine: number } | string> {
  const all: HisFeeLine[] = [];
  for (let after = 0; ;) {
    const page = hisValue(await ward.feeLines(iptNo, after, MAX_FEE_PAGE));
    if (typeof page === 'string') return page;
    all.push(...page.lines);
    if (page.lines.length === 0 || page.lines.at(-1)!.lineNo >= page.lastLine) break;
    after = page.lines.at(-1)!.lineNo;
  }
  const open = all.filter((l) => l.settleId === null);
  const reversed = new Set(open.map((l) => l.reversesLine).filter((n) => n !== null));
  const lines = open.filter((l) => l.amountFen > 0 && !reversed.has(l.lineNo));
  return { lines, uptoLine: Math.max(0, ...open.map((l) => l.lineNo)) };
}
