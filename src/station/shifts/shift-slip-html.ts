/**
 * The shift slip (交班单) and the day slip (日结单): standalone HTML like the settlement slip (no script, nothing
 * fetched; A5 or an 80 / 58 mm roll), amounts as yuan by the exact digit conversion and the totals also in Chinese
 * capitals. Every value from outside is HTML-escaped.
 */
import {
  drawerWords,
  SHIFT_CHANNEL_LABELS,
  type DayCloseView,
  type DrawerView,
  type ShiftSummary,
  type ShiftView,
} from '../../shared/shifts';
import { fenToYuan } from '../../shared/money';
import { fenToCapitals } from '../../shared/money-capitals';
import { chinaDateTime, escapeHtml, PAPER_SPECS, RECEIPT_FONT_STACK, TRAINING_WATERMARK, type ReceiptPaper } from '../receipts';

export interface SlipContext {
  institutionName: string;
  trainingMode: boolean;
  paper: ReceiptPaper;
  /** when the slip is printed */
  now: Date;
}

const ORDER_STATE_WORDS: Record<string, string> = {
  'insurance-settled': '医保已结算',
  'awaiting-payment': '待补缴自付',
  expiring: '超时撤销中',
  reversing: '正在撤销医保结算',
  'in-doubt': '结果未知 — 正在核实',
  refunding: '退费中',
};

const yuan = (fen: number) => escapeHtml(fenToYuan(fen));
const when = (iso: string | null) => (iso === null ? '—' : escapeHtml(chinaDateTime(iso)));

function channelTable(s: Pick<ShiftSummary, 'channels'>): string {
  const rows = s.channels
    .map(
      (l) =>
        `<tr data-channel="${l.channel}"><td>${escapeHtml(SHIFT_CHANNEL_LABELS[l.channel])}</td><td class="n">${l.count}</td>` +
        `<td class="n">${yuan(l.amountFen)}</td><td class="n">${l.refundCount}</td><td class="n">${yuan(l.refundFen)}</td></tr>`,
    )
    .join('');
  return `<table class="channels"><thead><tr><th>渠道</th><th>笔数</th><th>收款（元）</th><th>退费笔数</th><th>退费（元）</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function totals(
  s: Pick<ShiftSummary, 'orders' | 'totalFen' | 'refunds' | 'refundFen' | 'netFen' | 'depositRefunds' | 'depositRefundFen'>,
): string {
  return [
    `<p>结算 ${s.orders} 笔，合计 ¥${yuan(s.totalFen)}（<span class="cap">${escapeHtml(fenToCapitals(s.totalFen))}</span>）</p>`,
    `<p>退费 ${s.refunds} 笔，合计 ¥${yuan(s.refundFen)}（<span class="cap">${escapeHtml(fenToCapitals(s.refundFen))}</span>）</p>`,
    // Cash out of the drawer for a discharge surplus: not a bill's refund, so its own line (the drawer counts it).
    s.depositRefunds === 0
      ? ''
      : `<p class="deposit-refunds">预交金退款（现金）${s.depositRefunds} 笔，合计 ¥${yuan(s.depositRefundFen)}（<span class="cap">${escapeHtml(fenToCapitals(s.depositRefundFen))}</span>）</p>`,
    `<p class="net">净收 ¥${yuan(s.netFen)}（<span class="cap">${escapeHtml(fenToCapitals(s.netFen))}</span>）</p>`,
  ].join('');
}

function page(title: string, ctx: SlipContext, body: string): string {
  const spec = PAPER_SPECS[ctx.paper];
  const pageRule = spec.heightMicrons === null ? '@page { margin: 0; }' : '@page { size: A5 portrait; margin: 8mm 9mm; }';
  const css =
    `${pageRule} * { box-sizing: border-box; } body { font-family: ${RECEIPT_FONT_STACK}; font-size: 9pt; line-height: 1.45; margin: 0 auto; ` +
    `width: ${spec.contentWidthMm}mm; color: #000; } header { text-align: center; } .hospital { font-size: 12pt; font-weight: 700; } ` +
    `h1 { font-size: 11pt; margin: 1mm 0 2mm; } table { width: 100%; border-collapse: collapse; } th, td { border-bottom: 0.2mm solid #000; ` +
    `padding: 0.4mm 0.6mm; text-align: left; } .n { text-align: right; } .net { font-weight: 700; } .sign { margin-top: 6mm; } ` +
    `.training { position: absolute; top: 30mm; left: 0; right: 0; text-align: center; font-size: 28pt; opacity: 0.15; transform: rotate(-20deg); }`;
  return [
    '<!DOCTYPE html>',
    `<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${css}</style></head>`,
    `<body data-paper="${ctx.paper}">`,
    ctx.trainingMode ? `<div class="training">${TRAINING_WATERMARK}</div>` : '',
    `<header><div class="hospital">${escapeHtml(ctx.institutionName)}</div><h1>${escapeHtml(title)}</h1></header>`,
    body,
    `<p>打印时间：${when(ctx.now.toISOString())}</p>`,
    '</body></html>',
  ].join('\n');
}

/** 钱箱清点: the float, what should be in the drawer, what was counted, and the difference (长款 / 短款). */
function drawerBlock(d: DrawerView | null): string {
  if (!d) return '<p>钱箱清点：未清点</p>';
  const diff = Math.abs(d.differenceFen);
  return (
    `<table class="drawer" data-difference="${d.differenceFen}"><tbody>` +
    `<tr><td>备用金</td><td class="n">${yuan(d.floatFen)}</td></tr>` +
    `<tr><td>应有现金（备用金 + 现金收款 − 现金退款 − 预交金退款）</td><td class="n">${yuan(d.expectedFen)}</td></tr>` +
    `<tr><td>实点现金</td><td class="n">${yuan(d.countedFen)}</td></tr>` +
    `<tr class="net"><td>${drawerWords(d.differenceFen)}</td><td class="n">${yuan(diff)}</td></tr></tbody></table>`
  );
}

export function shiftSlipHtml(shift: ShiftView, ctx: SlipContext): string {
  const s = shift.summary;
  const pending =
    s.pending.length === 0
      ? '<p>未完成的单据：无</p>'
      : `<p>未完成的单据 ${s.pending.length} 笔（不影响交班，请跟进）：</p><ul class="pending">${s.pending
          .map((p) => `<li>${escapeHtml(p.hisOrderNo)} ${escapeHtml(ORDER_STATE_WORDS[p.state] ?? p.state)} ¥${yuan(p.totalFen)}</li>`)
          .join('')}</ul>`;
  return page(
    '收费员交班单',
    ctx,
    [
      `<p>收费员：${escapeHtml(shift.operatorName)}（${escapeHtml(shift.operatorId)}）&emsp;工作站：${escapeHtml(shift.stationId)}</p>`,
      `<p>班次：${when(shift.coversFrom)} 至 ${shift.closedAt === null ? '未交班（当前汇总）' : when(shift.closedAt)}</p>`,
      `<p>首笔：${when(s.firstAt)}&emsp;末笔：${when(s.lastAt)}</p>`,
      channelTable(s),
      totals(s),
      shift.closedAt === null ? '' : drawerBlock(shift.drawer),
      pending,
      '<p class="sign">交班人签字：__________&emsp;接班人 / 财务签字：__________</p>',
    ].join('\n'),
  );
}

export function daySlipHtml(day: DayCloseView, ctx: SlipContext): string {
  const shifts = day.shifts
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.operatorName)}</td><td>${when(s.closedAt)}</td><td class="n">${s.summary.orders}</td><td class="n">${yuan(s.summary.netFen)}</td></tr>`,
    )
    .join('');
  const open =
    day.openShifts.length === 0
      ? '<p>未交班：无</p>'
      : `<p>未交班 ${day.openShifts.length} 个（未计入）：${day.openShifts.map((o) => escapeHtml(o.operatorName)).join('、')}</p>`;
  return page(
    '收费日结单',
    ctx,
    [
      `<p>日期：${escapeHtml(day.day)}&emsp;工作站：${escapeHtml(day.stationId)}&emsp;已交班 ${day.shifts.length} 个</p>`,
      `<table class="shifts"><thead><tr><th>收费员</th><th>交班时间</th><th>笔数</th><th>净收（元）</th></tr></thead><tbody>${shifts}</tbody></table>`,
      channelTable(day.totals),
      totals(day.totals),
      open,
      '<p class="sign">财务签字：__________</p>',
    ].join('\n'),
  );
}
