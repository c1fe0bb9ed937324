/**
 * The settlement slip (门诊结算单, DQ-06) as one standalone HTML document: what the print preview shows and what
 * the PDF printers (src/app/receipt-pdf-chromium.ts, src/main/receipt-pdf-electron.ts) and the Electron shell's
 * silent printer (src/main/receipt-print-electron.ts) print. A5 portrait, or narrow for an 80 / 58 mm roll; inline CSS only — no scripts, no external resources, nothing fetched — so it renders the same in the app's
 * sandboxed preview, in a headless Chromium and in a hidden Electron window.
 *
 * Every value from outside (names, numbers from HIS and the centre) is HTML-escaped; amounts are integer fen
 * printed as yuan with two decimals by the exact digit conversion (fenToYuan), never through floating point.
 */
import {
  PAYMENT_STATE_LABELS,
  WALLET_LABELS,
  type OrderLineView,
  type PaymentView,
  type ReceiptFundLine,
  type ReceiptView,
  type SettleMode,
} from '../../shared/domain';
import { chargeLevelName } from '../../shared/charge-level';
import { fenToYuan, type Fen } from '../../shared/money';
import { fenToCapitals } from '../../shared/money-capitals';
import { PAPER_SPECS, type ReceiptPaper } from './receipt-paper';
import { chinaDateTime } from './receipt-time';

export const RECEIPT_TITLES: Record<SettleMode, string> = { insurance: '门诊医保结算单', 'self-pay': '门诊自费结算单' };
/** A refunded order's slip: the settlement as it was, and what went back where. */
export const REFUND_SLIP_TITLE = '门诊退费凭证';
export const TRAINING_WATERMARK = '培训模式';
/** On every print of a slip after the first (ReceiptView.reprint). */
export const REPRINT_MARK = '补打';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** A text value, or a dash when there is none. */
function text(value: string | null | undefined): string {
  const v = value?.trim() ?? '';
  return v === '' ? '—' : escapeHtml(v);
}

const yuan = (amountFen: Fen): string => escapeHtml(fenToYuan(amountFen));

const time = (value: string): string => text(chinaDateTime(value));

/**
 * Windows cashier PCs have Microsoft YaHei (and SimSun / SimHei since XP); Debian, UOS and Kylin have Noto Sans CJK SC
 * (fonts-noto-cjk) or its Source Han Sans twin. The first one present wins; every one of them has every GB 2312 glyph.
 */
export const RECEIPT_FONT_STACK = `'Microsoft YaHei', '微软雅黑', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', SimHei, SimSun, sans-serif`;

const CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${RECEIPT_FONT_STACK}; font-size: 9pt; line-height: 1.45; color: #000; background: #fff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.slip { position: relative; }
header { text-align: center; margin-bottom: 3mm; }
.hospital { font-size: 13pt; font-weight: 700; letter-spacing: 0.08em; }
.code { font-size: 7.5pt; color: #444; }
h1 { font-size: 12pt; font-weight: 700; margin: 1mm 0 0; letter-spacing: 0.3em; }
.reprint-note { margin-top: 1mm; font-size: 11pt; font-weight: 700; border: 0.5mm solid #000; display: inline-block; padding: 0 3mm; letter-spacing: 0.3em; }
.training-note { margin-top: 1mm; font-size: 8pt; font-weight: 700; border: 0.3mm solid #000; display: inline-block; padding: 0 2mm; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 48pt; font-weight: 700;
  color: rgba(0, 0, 0, 0.12); transform: rotate(-30deg); pointer-events: none; z-index: 10; white-space: nowrap; }
section { margin-top: 2.5mm; }
h2 { font-size: 9.5pt; margin: 0 0 1mm; padding-bottom: 0.5mm; border-bottom: 0.3mm solid #000; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { padding: 0.6mm 1mm; vertical-align: top; text-align: left; }
.info td.k { width: 17%; color: #333; white-space: nowrap; }
.info td.v { width: 33%; word-break: break-all; }
.lines th { border-bottom: 0.2mm solid #000; font-weight: 700; white-space: nowrap; }
.lines td { border-bottom: 0.1mm dotted #999; }
.lines .name { word-break: break-all; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.center { text-align: center; }
.split td.k { width: 60%; }
.split tr.sub td.k { padding-left: 5mm; color: #333; }
.split tr.total td { font-weight: 700; border-bottom: 0.2mm solid #000; }
.split tr.strong td { font-weight: 700; }
.payments th { border-bottom: 0.2mm solid #000; }
.payments .trade { word-break: break-all; font-size: 8pt; }
footer { margin-top: 3mm; padding-top: 1mm; border-top: 0.3mm solid #000; }
footer .note { margin-top: 1.5mm; font-size: 7.5pt; color: #444; text-align: center; }
.split tr.capitals td { font-weight: 700; }
.split tr.capitals td.v { text-align: right; word-break: break-all; }
`;

const SHEET_CSS = `
@page { size: A5 portrait; margin: 8mm 9mm; }
@media screen { body { max-width: 148mm; margin: 0 auto; padding: 8mm 9mm; } }
`;

/** A roll: no page size (the printer's page is as long as the slip), the width the print head reaches. */
function rollCss(paper: ReceiptPaper): string {
  const width = PAPER_SPECS[paper].contentWidthMm;
  return `
@page { margin: 0; }
body { width: ${width}mm; margin: 0 auto; padding: 2mm 0 4mm; font-size: ${width < 60 ? 7.5 : 8.5}pt; }
.hospital { font-size: 11pt; letter-spacing: 0; }
h1 { font-size: 10.5pt; letter-spacing: 0.1em; }
.watermark { font-size: 28pt; }
th, td { padding: 0.4mm 0.5mm; }
.info td.k { width: auto; }
.info td.v { width: auto; text-align: right; }
.lines .meta { font-size: 0.9em; color: #333; }
.split td.k { width: auto; }
`;
}

function infoTable(rows: [string, string][], roll: boolean): string {
  const cells = rows.map(([k, v]) => `<td class="k">${escapeHtml(k)}</td><td class="v">${v}</td>`);
  const trs: string[] = [];
  const perRow = roll ? 1 : 2;
  for (let i = 0; i < cells.length; i += perRow) {
    trs.push(`<tr>${cells.slice(i, i + perRow).join('')}${roll || cells[i + 1] ? '' : '<td class="k"></td><td class="v"></td>'}</tr>`);
  }
  return `<table class="info"><tbody>${trs.join('')}</tbody></table>`;
}

function visitBlock(r: ReceiptView, roll: boolean): string {
  const rows: [string, string][] = [
    ['姓名', text(r.patientName)],
    ['证件号码', text(r.certNoMasked)],
    ['险种', text(r.insutypeName)],
    ['科室', text(r.deptName)],
    ['医生', text(r.doctorName)],
    ['HIS 单号', text(r.hisOrderNo)],
  ];
  if (r.settleMode === 'insurance') rows.push(['就诊ID', text(r.mdtrtId)], ['结算ID', text(r.setlId)]);
  rows.push(['HIS 结算号', text(r.hisSettleNo)], ['发票号', text(r.invoiceNo)]);
  return `<section class="visit">${infoTable(rows, roll)}</section>`;
}

/** The fiscal e-bill's numbers (and the red bill's, after a whole refund); its page as text: the slip carries no images. */
function ebillBlock(r: ReceiptView, roll: boolean): string {
  const bill = r.ebill;
  if (!bill || (bill.state !== 'issued' && bill.state !== 'red-flushed')) return '';
  const rows: [string, string][] = [
    ['电子票据代码', text(bill.code)],
    ['电子票据号码', text(bill.no)],
    ['校验码', text(bill.checkCode)],
  ];
  if (bill.red) rows.push(['红票代码', text(bill.red.code)], ['红票号码', text(bill.red.no)]);
  const page = bill.url ? infoTable([['电子票据查验', text(bill.url)]], true) : '';
  return `<section class="ebill">${infoTable(rows, roll)}${page}</section>`;
}

function lineRow(l: OrderLineView): string {
  const qty = `${escapeHtml(l.quantity)}${l.unit.trim() === '' ? '' : escapeHtml(l.unit.trim())}`;
  return (
    `<tr><td class="num">${escapeHtml(String(l.seq))}</td><td class="name">${text(l.name)}</td><td>${text(l.spec)}</td>` +
    `<td class="num">${qty}</td><td class="num">${yuan(l.unitPriceFen)}</td><td class="num">${yuan(l.amountFen)}</td>` +
    `<td class="center">${text(chargeLevelName(l.chargeLevel))}</td></tr>`
  );
}

/** A roll has room for three columns: the item (its spec and grade under it), the quantity and the amount. */
function rollLineRow(l: OrderLineView): string {
  const qty = `${escapeHtml(l.quantity)}${escapeHtml(l.unit.trim())}`;
  const meta = [l.spec.trim(), chargeLevelName(l.chargeLevel), `单价 ${fenToYuan(l.unitPriceFen)}`].filter((m) => m !== '');
  return (
    `<tr><td class="name">${text(l.name)}<div class="meta">${escapeHtml(meta.join(' · '))}</div></td>` +
    `<td class="num">${qty}</td><td class="num">${yuan(l.amountFen)}</td></tr>`
  );
}

function linesBlock(r: ReceiptView, roll: boolean): string {
  if (roll) {
    const body = r.lines.length === 0 ? '<tr><td colspan="3" class="center">无费用明细</td></tr>' : r.lines.map(rollLineRow).join('');
    return (
      '<section><h2>费用明细</h2><table class="lines"><thead><tr><th>项目</th><th class="num">数量</th><th class="num">金额(元)</th></tr></thead>' +
      `<tbody>${body}</tbody></table></section>`
    );
  }
  const body = r.lines.length === 0 ? '<tr><td colspan="7" class="center">无费用明细</td></tr>' : r.lines.map(lineRow).join('');
  return (
    '<section><h2>费用明细</h2><table class="lines"><thead><tr><th class="num">序号</th><th>项目名称</th><th>规格</th>' +
    '<th class="num">数量</th><th class="num">单价(元)</th><th class="num">金额(元)</th><th class="center">等级</th></tr></thead>' +
    `<tbody>${body}</tbody></table></section>`
  );
}

function splitRow(label: string, amountFen: Fen, cls = ''): string {
  return `<tr${cls ? ` class="${cls}"` : ''}><td class="k">${escapeHtml(label)}</td><td class="num">${yuan(amountFen)}</td></tr>`;
}

function fundRow(f: ReceiptFundLine): string {
  const label = f.fundName.trim() === '' ? f.fundType : f.fundName;
  return splitRow(label, f.amountFen, 'sub');
}

/** The total in capitals; on a roll in one cell of its own, too long to share a line with its label. */
function capitalsRow(totalFen: Fen, roll: boolean): string {
  const capitals = `人民币${escapeHtml(fenToCapitals(totalFen))}`;
  return roll
    ? `<tr class="capitals"><td class="v" colspan="2">大写：${capitals}</td></tr>`
    : `<tr class="capitals"><td class="k">医疗费总额（大写）</td><td class="v">${capitals}</td></tr>`;
}

function splitBlock(r: ReceiptView, roll: boolean): string {
  const rows: string[] = [splitRow('医疗费总额', r.totalFen, 'total'), capitalsRow(r.totalFen, roll)];
  if (r.settleMode === 'insurance') {
    rows.push(splitRow('基金支付', r.fundFen, 'strong'), splitRow('其中：统筹基金支付', r.poolFen, 'sub'));
    rows.push(...r.funds.map(fundRow));
    rows.push(splitRow('个人账户支付', r.accountFen), splitRow('个人现金支付', r.cashFen, 'strong'));
    rows.push(splitRow('本次起付线', r.deductibleFen));
    if (r.supplementaryCumulativeDeductibleFen !== null) rows.push(splitRow('补充累计起付', r.supplementaryCumulativeDeductibleFen));
    rows.push(splitRow('个人账户余额', r.balanceAfterFen));
  } else {
    rows.push(splitRow('个人现金支付（自费）', r.cashFen, 'strong'));
  }
  return `<section><h2>结算信息（元）</h2><table class="split"><tbody>${rows.join('')}</tbody></table></section>`;
}

/** Cash: the notes handed over and the change, as the patient counts them (收款 / 找零). */
const tendered = (p: PaymentView) => (p.cash ? `收款 ${yuan(p.cash.tenderedFen)} 找零 ${yuan(p.cash.changeFen)}` : '');

function paymentRow(p: PaymentView, roll: boolean): string {
  if (roll) {
    return (
      `<tr><td>${escapeHtml(WALLET_LABELS[p.wallet] ?? p.wallet)}（${escapeHtml(PAYMENT_STATE_LABELS[p.state] ?? p.state)}）</td>` +
      `<td class="num">${yuan(p.amountFen)}</td></tr>` +
      (p.cash ? `<tr><td colspan="2">${tendered(p)}</td></tr>` : `<tr><td colspan="2" class="trade">${text(p.outTradeNo)}</td></tr>`)
    );
  }
  return (
    `<tr><td>${escapeHtml(WALLET_LABELS[p.wallet] ?? p.wallet)}</td><td class="num">${yuan(p.amountFen)}</td>` +
    `<td>${escapeHtml(PAYMENT_STATE_LABELS[p.state] ?? p.state)}</td><td class="trade">${p.cash ? tendered(p) : text(p.outTradeNo)}</td></tr>`
  );
}

/** A wallet's refund by its refund number; cash is handed back at the window (现金退款). */
function refundLabel(p: { wallet: PaymentView['wallet']; outRefundNo: string }): string {
  return p.wallet === 'cash' ? '现金退款' : `${escapeHtml(WALLET_LABELS[p.wallet] ?? p.wallet)} 退款单号 ${text(p.outRefundNo)}`;
}

function paymentsBlock(r: ReceiptView, roll: boolean): string {
  if (roll) {
    const body =
      r.payments.length === 0 ? '<tr><td colspan="2" class="center">无</td></tr>' : r.payments.map((p) => paymentRow(p, true)).join('');
    return `<section><h2>支付记录</h2><table class="payments"><tbody>${body}</tbody></table></section>`;
  }
  const body =
    r.payments.length === 0 ? '<tr><td colspan="4" class="center">无</td></tr>' : r.payments.map((p) => paymentRow(p, false)).join('');
  return (
    '<section><h2>支付记录</h2><table class="payments"><thead><tr><th>支付方式</th><th class="num">金额(元)</th><th>状态</th>' +
    `<th>商户订单号</th></tr></thead><tbody>${body}</tbody></table></section>`
  );
}

/** 退费: the fund and account parts back through the centre, the self-pay part on each trade it was paid by. */
function refundBlock(r: ReceiptView, roll: boolean): string {
  const refund = r.refund;
  if (!refund) return '';
  const rows = [
    // 部分退费: the lines taken back (the slip's own lines are what remains).
    ...refund.lines.map((l) => splitRow(`退费项目 ${l.name} ×${l.quantity}`, l.amountFen, 'sub')),
    splitRow('统筹基金退回', refund.fundFen),
    splitRow('个人账户退回', refund.accountFen),
    splitRow('自付原路退回', refund.cashFen, 'strong'),
    ...refund.payments.map((p) =>
      roll && p.wallet !== 'cash'
        ? `${splitRow(WALLET_LABELS[p.wallet] ?? p.wallet, p.amountFen, 'sub')}<tr><td colspan="2" class="trade">${text(p.outRefundNo)}</td></tr>`
        : `<tr class="sub"><td class="k">${refundLabel(p)}</td><td class="num">${yuan(p.amountFen)}</td></tr>`,
    ),
    `<tr><td class="k">退费时间</td><td class="num">${time(refund.refundedAt)}</td></tr>`,
  ];
  return `<section data-refund="true"><h2>退费（元）</h2><table class="split"><tbody>${rows.join('')}</tbody></table></section>`;
}

function footerBlock(r: ReceiptView, roll: boolean): string {
  const reprint = r.reprint ?? null;
  const rows: [string, string][] = [
    ['取药窗口', text(r.pickupWindow)],
    ['收费员', text(r.operatorName)],
    ['结算时间', time(r.settledAt)],
    [reprint ? '补打时间' : '打印时间', time(r.printedAt)],
  ];
  if (reprint) rows.push(['打印次数', `第 ${reprint.printNo} 次（补打）`]);
  return `<footer>${infoTable(rows, roll)}<div class="note">请妥善保管本结算单；如有疑问请持本单到收费窗口咨询。</div></footer>`;
}

export interface ReceiptHtmlOptions {
  /** A5 (preview, PDF, sheet printers; the default) or a thermal roll */
  paper?: ReceiptPaper;
}

/** The slip as a complete standalone HTML document (zh-CN, UTF-8, A5 portrait or a roll's width). */
export function receiptHtml(r: ReceiptView, opts: ReceiptHtmlOptions = {}): string {
  const paper = opts.paper ?? 'A5';
  const roll = PAPER_SPECS[paper].heightMicrons === null;
  const title = r.title; // chosen once, where the slip's data is built (receipt-view.ts)
  const training = r.trainingMode;
  const docTitle = `${r.institutionName.trim()} ${title}${training ? `（${TRAINING_WATERMARK}）` : ''}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(docTitle)}</title>`,
    `<style>${CSS}${roll ? rollCss(paper) : SHEET_CSS}</style>`,
    '</head>',
    `<body data-paper="${paper}">`,
    training ? `<div class="watermark" aria-hidden="true">${TRAINING_WATERMARK}</div>` : '',
    '<main class="slip">',
    '<header>',
    `<div class="hospital">${text(r.institutionName)}</div>`,
    r.institutionCode.trim() === '' ? '' : `<div class="code">机构编码 ${escapeHtml(r.institutionCode.trim())}</div>`,
    `<h1>${escapeHtml(title)}</h1>`,
    training ? `<div class="training-note">${TRAINING_WATERMARK} · 非正式结算凭证</div>` : '',
    r.reprint ? `<div class="reprint-note" data-reprint="${r.reprint.printNo}">${REPRINT_MARK}</div>` : '',
    '</header>',
    visitBlock(r, roll),
    ebillBlock(r, roll),
    linesBlock(r, roll),
    splitBlock(r, roll),
    paymentsBlock(r, roll),
    refundBlock(r, roll),
    footerBlock(r, roll),
    '</main>',
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
