/**
 * 中途结算单: one mid-stay settlement as the nurse prints it at the bedside, in the discharge voucher's frame
 * (stay-voucher-html.ts): the centre's split of the bill to date, the deposits applied, what stays on deposit, and
 * that the patient stays in hospital. Every value from outside is HTML-escaped.
 */
import { fenToCapitals } from '../../shared/money-capitals';
import { escapeHtml } from '../receipts';
import type { MidstaySettlement } from './stay-settlements-repo';
import type { StayRecord } from './stays-repo';
import { page, who, yuan, type VoucherContext } from './stay-voucher-html';

export interface MidstayVoucher {
  stay: StayRecord;
  patientName: string;
  settlement: MidstaySettlement;
  /** HIS's deposit balance now, after this settlement took its part */
  depositBalanceFen: number;
}

export function midstayVoucherHtml(v: MidstayVoucher, ctx: VoucherContext): string {
  const s = v.settlement.settlement;
  const booking = v.settlement.booking!;
  const applied = booking.deposits.reduce((sum, d) => sum + d.amountFen, 0);
  const rows = [
    ['本次结算医疗费用', s.medfeeFen],
    ['医保基金支付', s.fundFen],
    ['个人账户支付', s.acctFen],
    ['个人自付', s.cashFen],
    ['预交金抵扣', applied],
    ['预交金余额（继续住院使用）', v.depositBalanceFen],
  ] as const;
  return page('住院中途结算单', v.stay, ctx, [
    who(v),
    `<p>科室：${escapeHtml(v.stay.dept.name)}&emsp;入院：${escapeHtml(v.stay.admittedAt)}&emsp;结算至费用明细第 ${s.uptoLine} 条</p>`,
    `<p>医保结算号：${escapeHtml(s.setlId)}&emsp;HIS 结算号：${escapeHtml(booking.hisSettleNo)}&emsp;发票号：${escapeHtml(booking.invoiceNo)}</p>`,
    `<table><tbody>${rows.map(([label, fen]) => `<tr><td>${escapeHtml(label)}</td><td class="n">${yuan(fen)}</td></tr>`).join('')}</tbody></table>`,
    `<p class="due">个人自付（大写）：${escapeHtml(fenToCapitals(s.cashFen))}</p>`,
    '<p>中途结算后患者继续住院，此后发生的费用在出院时结算。</p>',
    '<p>患者签字：__________&emsp;经办护士：__________</p>',
  ]);
}
