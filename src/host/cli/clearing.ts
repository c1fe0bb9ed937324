/**
 * `npm run station -- clearing show yyyy-MM [--data-dir DIR]`
 *
 * For IT and the insurance office without the screens: a month's cross-region clearing (异地清分, ZS-07) as the
 * station kept it — whether a confirmation stands, the window, each run (check / confirm / roll-back) with its
 * totals, and the newest run's rows that are not 一致. Read-only: checking and confirming talk to the centre and
 * are done on the 对账 screen.
 */
import {
  CLEARING_ACTION_LABELS,
  CLEARING_ROW_LABELS,
  ClearingMonthInput,
  clearingWindow,
  type ClearingRunView,
} from '../../shared/clearing';
import { fenToYuan } from '../../shared/money';
import { localDay } from '../../station/clock';
import { clearingState, readClearingRuns } from '../../station/reconciliation';
import { openStationDb, stationConfigIfAny } from './station-db';
import type { CliArgs } from './args';

export function runClearingCommand(args: CliArgs): void {
  const [command, month] = args.positional;
  const parsed = ClearingMonthInput.safeParse({ month });
  if (command !== 'show' || !parsed.success) args.usage();
  const station = openStationDb(args.dataDir, { readConfig: stationConfigIfAny });
  if (!station) return;
  const { db, config } = station;
  try {
    const runs = readClearingRuns(db, parsed.data.month);
    const today = localDay(new Date(), config?.timeZone ?? 'Asia/Shanghai');
    console.log(clearingText(parsed.data.month, runs, clearingWindow(parsed.data.month, today)));
    process.exitCode = 0;
  } finally {
    db.close();
  }
}

export function clearingText(
  month: string,
  runs: readonly ClearingRunView[],
  window: { opens: string; closes: string; open: boolean },
): string {
  const state = clearingState(runs) === 'confirmed' ? '已确认' : '未确认';
  const lines = [`异地清分 ${month}：${state}，受理时间 ${window.opens} 至 ${window.closes}${window.open ? '（受理中）' : ''}`];
  if (runs.length === 0) lines.push('  尚无清分记录');
  for (const r of runs) {
    const totals = `中心 ${r.totals.rows} 笔，纳入 ${r.totals.confirmed} 笔 ${fenToYuan(r.totals.medfeeFen)} 元，差异 ${r.totals.differences} 笔`;
    lines.push(
      `  #${r.id} ${r.at} ${r.operatorId} ${CLEARING_ACTION_LABELS[r.action]} ${r.outcome === 'done' ? '完成' : `未成：${r.error ?? ''}`}  ${totals}`,
    );
  }
  const latest = runs.find((r) => r.rows.length > 0);
  for (const row of latest?.rows.filter((x) => x.status !== 'agree') ?? []) {
    lines.push(`    ${CLEARING_ROW_LABELS[row.status]} ${row.setlId} ${row.memo}`);
  }
  return lines.join('\n');
}
