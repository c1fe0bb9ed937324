/**
 * 打印测试页: what IT prints from the admin screen after choosing a printer — the printer's name, the paper and a
 * ruler as wide as the paper's printable width, so a wrong paper setting shows on the page itself. Standalone
 * HTML like the slip (no script, nothing fetched).
 */
import type { PrintSettingsView } from '../../shared/printing';
import { escapeHtml, RECEIPT_FONT_STACK } from './receipt-html';
import { PAPER_SPECS } from './receipt-paper';
import { chinaDateTime } from './receipt-time';

export function receiptTestPageHtml(
  settings: Pick<PrintSettingsView, 'printer' | 'paper' | 'copies'>,
  stationId: string,
  now: Date,
): string {
  const spec = PAPER_SPECS[settings.paper];
  const roll = spec.heightMicrons === null;
  const page = roll ? '@page { margin: 0; }' : '@page { size: A5 portrait; margin: 8mm 9mm; }';
  const rows: [string, string][] = [
    ['打印机', settings.printer ?? '系统默认打印机'],
    ['纸张', spec.label],
    ['份数', String(settings.copies)],
    ['工作站', stationId],
    ['时间', chinaDateTime(now.toISOString())],
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><title>打印测试页</title>',
    `<style>${page} body { font-family: ${RECEIPT_FONT_STACK}; font-size: 9pt; margin: 0 auto; width: ${spec.contentWidthMm}mm; }`,
    'h1 { font-size: 12pt; text-align: center; } td { padding: 0.5mm 1mm; } .ruler { border: 0.3mm solid #000; height: 4mm; margin-top: 3mm; }</style>',
    `</head><body data-paper="${settings.paper}">`,
    '<h1>打印测试页</h1>',
    `<table>${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    `<div class="ruler"></div><p>上框应与纸张可打印宽度（${spec.contentWidthMm} mm）一致；中文字样：壹贰叁肆伍陆柒捌玖拾。</p>`,
    '</body></html>',
  ].join('\n');
}
