/**
 * A run's differences as a file for the office (the lists' own writers: CSV with a BOM, or xlsx): the centre's
 * (3202) and the payment platform's (DQ-07) in one sheet, each with what to do. Person numbers are left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  HIS_DIFFERENCE_LABELS,
  RECON_DIFFERENCE_LABELS,
  STATEMENT_DIFFERENCE_LABELS,
  TRADE_PURPOSE_LABELS,
  TRADE_WAY_LABELS,
  type ReconciliationRunView,
} from '../../shared/reconciliation';
import { compactSecond } from '../clock';
import { openRowWriter, type Cell } from '../ledger';

const HEADERS = ['对账日', '来源', '差异', '区划/渠道', '结算ID/商户订单号', '对方金额', '院内金额', '工作站', '订单', '处理建议'];

export async function writeReconciliationDifferences(
  run: ReconciliationRunView,
  format: 'csv' | 'xlsx',
  dir: string,
  at: { now: Date; timeZone: string },
): Promise<{ file: string; rows: number }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `对账差异-${run.day}-${compactSecond(at.now, at.timeZone)}.${format}`);
  const t = (text: string | null | undefined): Cell => ({ text: text ?? '' });
  const money = (v: number | null | undefined): Cell => (v === null || v === undefined ? { text: '' } : { fen: v });
  const rows: Cell[][] = [
    ...run.differences.map((d) => [
      t(run.day),
      t('医保中心 3202'),
      t(RECON_DIFFERENCE_LABELS[d.kind]),
      t(`${d.region} / ${d.clrType}`),
      t(d.setlId),
      money(d.centre?.medfeeFen),
      money(d.ledger.reduce((n, e) => n + e.medfeeFen, 0)),
      t(d.ledger.map((e) => e.stationId).join(' ')),
      t(d.ledger.map((e) => e.orderId).join(' ')),
      t(d.suggestion),
    ]),
    ...(run.statement?.differences ?? []).map((d) => [
      t(run.day),
      t('支付平台对账单'),
      t(STATEMENT_DIFFERENCE_LABELS[d.kind]),
      t(`${d.wallet} ${TRADE_WAY_LABELS[d.way]} ${TRADE_PURPOSE_LABELS[d.purpose]}`),
      t(d.outTradeNo),
      money(d.statementNetFen),
      money(d.ledgerNetFen),
      t(d.stationId),
      t(d.orderId),
      t(d.suggestion),
    ]),
    ...(run.his?.differences ?? []).map((d) => [
      t(run.day),
      t('HIS日对账'),
      t(HIS_DIFFERENCE_LABELS[d.kind]),
      t(d.hisSettleNo ?? ''),
      t(d.settleId),
      money(d.hisMedfeeFen),
      money(d.ledgerMedfeeFen),
      t(d.stationId),
      t(d.orderId),
      t(d.suggestion),
    ]),
  ];
  const part = `${file}.part`;
  const writer = openRowWriter(format, part, '对账差异', HEADERS);
  try {
    await writer.add(rows);
    await writer.finish();
    fs.renameSync(part, file);
    return { file, rows: rows.length };
  } catch (e) {
    await writer.abort();
    fs.rmSync(part, { force: true });
    throw e;
  }
}
