/**
 * DQ-05: the report of e-voucher (医保电子凭证) transactions, from the station's own records — each identification
 * by e-voucher (method 'e-voucher': the scan box read the patient's code, 1101 with cert type 01) and the bills it
 * led to — by the station's day and operator. One query over the range's identifications (migration 019's index)
 * with their orders through the identification index; days are the station's time zone's, not the PC's.
 */
import path from 'node:path';
import fs from 'node:fs';
import type { EVoucherReportRow, ExportFormat } from '../../shared/ledger';
import { fen } from '../../shared/money';
import { compactSecond, localDay } from '../clock';
import type { Db } from '../store';
import { openRowWriter } from './export-writers';
import type { Cell } from './export-columns';
import { dayRangeUtc } from './local-days';

/** Bills that were settled: completed, or completed and later refunded. */
const SETTLED = `o.state IN ('completed', 'refunded')`;

export function eVoucherReport(
  db: Db,
  timeZone: string,
  q: { from: string; to: string; operatorId?: string | undefined },
): EVoucherReportRow[] {
  const { since, until } = dayRangeUtc(q.from, q.to, timeZone);
  const rows = db
    .prepare(
      `SELECT i.at, i.operator_id AS operatorId, COALESCE(op.name, i.operator_id) AS operatorName,
              SUM(CASE WHEN ${SETTLED} THEN 1 ELSE 0 END) AS settlements,
              SUM(CASE WHEN ${SETTLED} THEN o.total_fen ELSE 0 END) AS totalFen,
              SUM(CASE WHEN ${SETTLED} THEN COALESCE(o.fund_fen, 0) ELSE 0 END) AS fundFen,
              SUM(CASE WHEN ${SETTLED} THEN COALESCE(o.account_fen, 0) ELSE 0 END) AS accountFen,
              SUM(CASE WHEN ${SETTLED} THEN COALESCE(o.cash_fen, o.total_fen) ELSE 0 END) AS cashFen,
              SUM(CASE WHEN o.state = 'refunded' THEN 1 ELSE 0 END) AS refunded
       FROM identifications i
       LEFT JOIN operators op ON op.id = i.operator_id
       LEFT JOIN outpatient_orders o ON o.identification_id = i.id
       WHERE i.method = 'e-voucher' AND i.at >= ? AND i.at < ? AND (? IS NULL OR i.operator_id = ?)
       GROUP BY i.id
       ORDER BY i.at`,
    )
    .all(since, until, q.operatorId ?? null, q.operatorId ?? null) as {
    at: string;
    operatorId: string;
    operatorName: string;
    settlements: number;
    totalFen: number;
    fundFen: number;
    accountFen: number;
    cashFen: number;
    refunded: number;
  }[];
  const out = new Map<string, EVoucherReportRow>();
  for (const r of rows) {
    const day = localDay(new Date(r.at), timeZone);
    const key = `${day}\u0000${r.operatorId}`;
    const row = out.get(key) ?? {
      day,
      operatorId: r.operatorId,
      operatorName: r.operatorName,
      identifications: 0,
      settledIdentifications: 0,
      settlements: 0,
      totalFen: fen(0),
      fundFen: fen(0),
      accountFen: fen(0),
      cashFen: fen(0),
      refunded: 0,
    };
    row.identifications += 1;
    if (r.settlements > 0) row.settledIdentifications += 1;
    row.settlements += r.settlements;
    row.totalFen = fen(row.totalFen + r.totalFen);
    row.fundFen = fen(row.fundFen + r.fundFen);
    row.accountFen = fen(row.accountFen + r.accountFen);
    row.cashFen = fen(row.cashFen + r.cashFen);
    row.refunded += r.refunded;
    out.set(key, row);
  }
  return [...out.values()].sort((a, b) => a.day.localeCompare(b.day) || a.operatorId.localeCompare(b.operatorId));
}

export const EVOUCHER_REPORT_HEADERS = [
  '日期',
  '操作员工号',
  '操作员',
  '电子凭证识别次数',
  '产生结算的识别次数',
  '结算笔数',
  '医疗费总额（元）',
  '基金支付（元）',
  '个人账户（元）',
  '个人现金（元）',
  '其中已退费笔数',
] as const;

/** The report as a file in the exports folder (0600, written whole then renamed); the path it is at. */
export async function writeEVoucherReport(
  rows: readonly EVoucherReportRow[],
  format: ExportFormat,
  dir: string,
  at: { now: Date; timeZone: string; from: string; to: string },
): Promise<string> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `电子凭证报表-${at.from}至${at.to}-${compactSecond(at.now, at.timeZone)}.${format}`);
  const part = `${file}.part`;
  const writer = openRowWriter(format, part, '电子凭证报表', EVOUCHER_REPORT_HEADERS);
  try {
    const t = (text: string): Cell => ({ text });
    const n = (v: number): Cell => ({ text: String(v) });
    await writer.add(
      rows.map((r) => [
        t(r.day),
        t(r.operatorId),
        t(r.operatorName),
        n(r.identifications),
        n(r.settledIdentifications),
        n(r.settlements),
        { fen: r.totalFen },
        { fen: r.fundFen },
        { fen: r.accountFen },
        { fen: r.cashFen },
        n(r.refunded),
      ]),
    );
    await writer.finish();
    fs.renameSync(part, file);
    return file;
  } catch (e) {
    await writer.abort().catch(() => undefined);
    fs.rmSync(part, { force: true });
    throw e;
  }
}
