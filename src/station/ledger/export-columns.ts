/**
 * The columns of an orders export, as a finance clerk reads them: Chinese headers, states and channels as words,
 * times in the station's zone, amounts in yuan (exact: from fen by digits, never by float arithmetic for CSV).
 */
import { ORDER_STATE_LABELS } from '../../shared/domain';
import { PAY_CHANNEL_LABELS as CHANNEL_LABELS, type OrderListRow } from '../../shared/ledger';
import { fenToYuan } from '../../shared/money';
import { localDateTime } from '../clock';

export type Cell = { text: string } | { fen: number };

export const EXPORT_HEADERS = [
  'HIS单号',
  '患者',
  '身份证号',
  '医生',
  '科室',
  '收费员',
  '状态',
  '支付渠道',
  '总金额(元)',
  '统筹(元)',
  '个人账户(元)',
  '自付(元)',
  '创建时间',
  '完成时间',
] as const;

export function exportCells(row: OrderListRow, timeZone: string): Cell[] {
  const t = (text: string): Cell => ({ text });
  const y = (fen: number): Cell => ({ fen });
  return [
    t(row.hisOrderNo),
    t(row.patientName),
    t(row.certNo),
    t(row.doctorName),
    t(row.deptName),
    t(row.operatorId),
    t(ORDER_STATE_LABELS[row.state]),
    t(row.channel ? CHANNEL_LABELS[row.channel] : ''),
    y(row.totalFen),
    y(row.fundFen),
    y(row.accountFen),
    y(row.selfPayFen),
    t(wallClock(row.createdAt, timeZone)),
    t(row.completedAt ? wallClock(row.completedAt, timeZone) : ''),
  ];
}

/**
 * "yyyy-MM-dd HH:mm:ss" in the zone, as `localDateTime` writes it, for 100,000 rows: Intl is asked the zone's
 * offset once per hour of the export (offsets change on the hour at most), the rest is arithmetic.
 */
const offsets = new Map<string, number>();
export function wallClock(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const hour = ms - (ms % 3_600_000);
  const key = `${timeZone} ${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size > 10_000) offsets.clear();
    offset = Date.parse(`${localDateTime(new Date(hour), timeZone).replace(' ', 'T')}Z`) - hour;
    offsets.set(key, offset);
  }
  return new Date(ms + offset).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab / CR before one) as a formula: a doctor's name
 * from HIS must never become one. Such text gets a leading apostrophe, which the sheet shows as plain text.
 */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(cell: Cell): string {
  if ('fen' in cell) return fenToYuan(cell.fen);
  const text = inertText(cell.text);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
