/**
 * 住院结算单, printed at the bedside once the discharge is booked: standalone HTML like the other slips (no script,
 * nothing fetched; A5 or an 80 / 58 mm roll) with the centre's split, the deposits applied, what was paid at the
 * bedside and what went back. Amounts as yuan by the exact digit conversion, the self-pay part also in capitals.
 * Every value from outside is HTML-escaped.
 */
import { fenToYuan } from '../../shared/money';
import { fenToCapitals } from '../../shared/money-capitals';
import { chinaDateTime, escapeHtml, PAPER_SPECS, RECEIPT_FONT_STACK, TRAINING_WATERMARK, type ReceiptPaper } from '../receipts';
import type { OrderEBillView } from '../../shared/domain';
import type { StayPaid } from './stay-payments-repo';
import type { StayRecord } from './stays-repo';

export interface VoucherContext {
  institutionName: string;
  trainingMode: boolean;
  paper: ReceiptPaper;
  /** when the voucher is printed */
  now: Date;
}

/** A completed stay with what HIS and the bedside add to it. */
export interface StayVoucher {
  stay: StayRecord;
  patientName: string;
  paid: readonly StayPaid[];
  /** The discharge's fiscal e-bill, where the station issues them (SX-02). */
  ebill?: OrderEBillView | null;
}

export const yuan = (fen: number) => escapeHtml(fenToYuan(fen));
const WALLET = { wechat: '微信', alipay: '支付宝', cash: '现金' } as const;

function surplusLine(stay: StayRecord): string {
  const s = stay.surplus;
  const left = stay.booking?.surplusFen ?? 0;
  if (left === 0) return '<tr><td>预交金余额退款</td><td class="n">0.00</td></tr>';
  if (!s) return `<tr><td>预交金余额（待退）</td><td class="n">${yuan(left)}</td></tr>`;
  const done = s.refunds.filter((r) => r.state === 'recorded');
  const how = done.length > 0 ? [...new Set(done.map((r) => WALLET[r.channel]))].join('、') + '退回' : '请到收费窗口办理';
  return `<tr><td>预交金余额退款（${escapeHtml(how)}）</td><td class="n">${yuan(s.amountFen)}</td></tr>`;
}

/** The slip's frame: paper, font, the training watermark, the hospital and the title. */
export function page(title: string, stay: StayRecord, ctx: VoucherContext, body: readonly string[]): string {
  const spec = PAPER_SPECS[ctx.paper];
  const pageRule = spec.heightMicrons === null ? '@page { margin: 0; }' : '@page { size: A5 portrait; margin: 8mm 9mm; }';
  const css =
    `${pageRule} * { box-sizing: border-box; } body { font-family: ${RECEIPT_FONT_STACK}; font-size: 9pt; line-height: 1.45; ` +
    `margin: 0 auto; width: ${spec.contentWidthMm}mm; color: #000; } header { text-align: center; } .hospital { font-size: 12pt; ` +
    `font-weight: 700; } h1 { font-size: 11pt; margin: 1mm 0 2mm; } table { width: 100%; border-collapse: collapse; } td { border-bottom: ` +
    `0.2mm solid #000; padding: 0.4mm 0.6mm; } .n { text-align: right; } .due { font-weight: 700; } .training { position: absolute; ` +
    `top: 30mm; left: 0; right: 0; text-align: center; font-size: 28pt; opacity: 0.15; transform: rotate(-20deg); }`;
  return [
    '<!DOCTYPE html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)} ${escapeHtml(stay.iptNo)}</title><style>${css}</style></head>`,
    `<body data-paper="${ctx.paper}" data-ipt-no="${escapeHtml(stay.iptNo)}">`,
    ctx.trainingMode ? `<div class="training">${TRAINING_WATERMARK}</div>` : '',
    `<header><div class="hospital">${escapeHtml(ctx.institutionName)}</div><h1>${escapeHtml(title)}</h1></header>`,
    ...body,
    `<p>打印时间：${escapeHtml(chinaDateTime(ctx.now.toISOString()))}</p>`,
    '</body></html>',
  ].join('\n');
}

export const who = (v: { stay: StayRecord; patientName: string }) =>
  `<p>姓名：${escapeHtml(v.patientName)}&emsp;住院号：${escapeHtml(v.stay.iptNo)}&emsp;床号：${escapeHtml(v.stay.ward.bedNo)}</p>`;

export function stayVoucherHtml(v: StayVoucher, ctx: VoucherContext): string {
  const { stay } = v;
  const s = stay.settlement!;
  const booking = stay.booking!;
  const applied = booking.deposits.reduce((sum, d) => sum + d.amountFen, 0);
  const paid = v.paid.reduce((sum, p) => sum + p.amountFen, 0);
  const rows = [
    ['医疗费用总额', s.medfeeFen],
    ['医保基金支付', s.fundFen],
    ['个人账户支付', s.acctFen],
    ['个人自付', s.cashFen],
    ['预交金抵扣', applied],
    ['床旁补缴' + (v.paid.length > 0 ? `（${[...new Set(v.paid.map((p) => WALLET[p.channel]))].join('、')}）` : ''), paid],
  ] as const;
  return page('住院结算单', stay, ctx, [
    who(v),
    `<p>科室：${escapeHtml(stay.dept.name)}&emsp;入院：${escapeHtml(stay.admittedAt)}</p>`,
    `<p>医保结算号：${escapeHtml(s.setlId)}&emsp;HIS 结算号：${escapeHtml(booking.hisSettleNo)}&emsp;发票号：${escapeHtml(booking.invoiceNo)}</p>`,
    `<table><tbody>${rows.map(([label, fen]) => `<tr><td>${escapeHtml(label)}</td><td class="n">${yuan(fen)}</td></tr>`).join('')}`,
    `${surplusLine(stay)}</tbody></table>`,
    `<p class="due">个人自付（大写）：${escapeHtml(fenToCapitals(s.cashFen))}</p>`,
    ebillLines(v.ebill ?? null),
    '<p>患者签字：__________&emsp;经办护士：__________</p>',
  ]);
}

/**
 * The discharge's fiscal e-bill as the patient needs it to find the bill: its code, number and check code, and the
 * page to look it up as text (the slip carries no images). One still being issued or refused is not on the slip.
 */
function ebillLines(bill: OrderEBillView | null): string {
  if (bill?.state !== 'issued') return '';
  return [
    `<p class="ebill">电子票据代码：${escapeHtml(bill.code)}&emsp;号码：${escapeHtml(bill.no)}&emsp;校验码：${escapeHtml(bill.checkCode)}</p>`,
    bill.url ? `<p class="ebill">电子票据查验：${escapeHtml(bill.url)}</p>` : '',
  ].join('');
}

/** 预交金退款凭证: a surplus the bedside sent to the window, paid out there in cash, deposit by deposit. */
export function depositRefundSlipHtml(v: { stay: StayRecord; patientName: string; cashierName: string }, ctx: VoucherContext): string {
  const refunds = v.stay.surplus?.refunds ?? [];
  const total = refunds.reduce((sum, r) => sum + r.amountFen, 0);
  const rows = refunds
    .map((r) => `<tr><td>预交金 ${escapeHtml(r.depositNo)}（${WALLET[r.channel]}）</td><td class="n">${yuan(r.amountFen)}</td></tr>`)
    .join('');
  return page('预交金退款凭证', v.stay, ctx, [
    who(v),
    `<table><tbody>${rows}<tr class="due"><td>退款合计</td><td class="n">${yuan(total)}</td></tr></tbody></table>`,
    `<p class="due">退款合计（大写）：${escapeHtml(fenToCapitals(total))}</p>`,
    `<p>收费员：${escapeHtml(v.cashierName)}&emsp;患者签收：__________</p>`,
  ]);
}
