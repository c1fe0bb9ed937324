/** An outpatient order as its fiscal e-bill needs it (ebill/issue-request.ts), read from the station's own rows. */
import { fen } from '../../shared/money';
import type { BillableOrder } from '../ebill';
import type { OutpatientContext } from './context';
import { RefundsRepo } from './refund/refunds-repo';

export function billableOrder(c: OutpatientContext, orderId: string): (BillableOrder & { state: string }) | undefined {
  const { d } = c;
  const o = d.orders.get(orderId);
  if (!o) return undefined;
  // The payer's ID number comes from the sealed person record; the bill's request lives sealed in its intent.
  const person = d.persons.find(o.psnNo);
  const refunds = new RefundsRepo(d.db);
  const refund = refunds.latest(orderId);
  const split = o.split ?? { fundFen: fen(0), accountFen: fen(0), cashFen: o.totalFen };
  return {
    state: o.state,
    orderId: o.id,
    busNo: o.hisSettleId ?? '',
    busTime: o.hisSettlement?.settledAt ?? o.completedAt ?? d.now().toISOString(),
    operatorName: c.operatorOf(o).name,
    // The red-flush after a refund names who asked it, not the cashier who settled.
    ...(refund ? { refundOperatorName: c.operatorOf({ ...o, operatorId: refund.operatorId }).name } : {}),
    payer: { name: person?.name ?? '', idCardNo: person?.certNo ?? '' },
    insured: o.settleMode === 'insurance',
    totalFen: o.totalFen,
    split: { fundFen: split.fundFen, accountFen: split.accountFen, cashFen: split.cashFen },
    // What each trade still holds: a refund by line gave some back, and the rest's bill names what stayed paid.
    payments: d.orders.payments
      .paid(orderId)
      .map((p) => ({ channel: p.channel, amountFen: fen(p.amountFen - refunds.givenBack(p.outTradeNo)) })),
    lines: o.lines.map((l) => ({
      medListCodg: l.medListCodg,
      name: l.name,
      spec: l.spec,
      unit: l.unit,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      chargeLevel: l.chargeLevel,
    })),
    visit: { visitNo: o.hisOrderNo, deptName: o.deptName, psnNo: o.psnNo, insutype: o.insutype, setlId: o.setlId ?? '' },
  };
}
