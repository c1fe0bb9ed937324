/**
 * `npm run station -- shifts day [yyyy-MM-dd] [--data-dir DIR]`
 *
 * For IT and finance without the screens: the day close (日结) as the admin's section shows it — the day's closed
 * shifts of this station with their sums by channel (yuan), the totals, and the shifts still open. Read-only;
 * the day defaults to the station's today in its time zone.
 */
import { DayCloseInput, SHIFT_CHANNEL_LABELS, type DayCloseView } from '../../shared/shifts';
import { fenToYuan } from '../../shared/money';
import { AuditRepo } from '../../station/store';
import { ShiftService } from '../../station/shifts';
import { openStationDb, stationConfigIfAny } from './station-db';
import type { CliArgs } from './args';

export function runShiftsCommand(args: CliArgs): void {
  const [command, day] = args.positional;
  const parsed = DayCloseInput.safeParse(day === undefined ? {} : { day });
  if (command !== 'day' || !parsed.success) args.usage();
  // a training data dir has no config file: the training defaults apply
  const station = openStationDb(args.dataDir, { readConfig: stationConfigIfAny });
  if (!station) return;
  const { db, config } = station;
  try {
    const shifts = new ShiftService({
      db,
      audit: new AuditRepo(db, 'cli'),
      info: { stationId: config?.stationId ?? 'training', institutionName: config?.institution.name ?? '', trainingMode: config === null },
      now: () => new Date(),
      timeZone: config?.timeZone ?? 'Asia/Shanghai',
      print: () => Promise.reject(new Error('the command line does not print')),
    });
    console.log(dayCloseText(shifts.dayClose(parsed.data.day)));
    process.exitCode = 0;
  } finally {
    db.close();
  }
}

export function dayCloseText(v: DayCloseView): string {
  const lines = [`日结 ${v.day} 工作站 ${v.stationId}：已交班 ${v.shifts.length} 个`];
  for (const s of v.shifts) {
    lines.push(`  ${s.operatorName}（${s.operatorId}） 交班 ${s.closedAt}  ${s.summary.orders} 笔  净收 ${fenToYuan(s.summary.netFen)} 元`);
  }
  for (const c of v.totals.channels) {
    lines.push(
      `  ${SHIFT_CHANNEL_LABELS[c.channel]}：${c.count} 笔 ${fenToYuan(c.amountFen)} 元，退费 ${c.refundCount} 笔 ${fenToYuan(c.refundFen)} 元`,
    );
  }
  lines.push(
    `  合计 ${v.totals.orders} 笔 ${fenToYuan(v.totals.totalFen)} 元，退费 ${fenToYuan(v.totals.refundFen)} 元，净收 ${fenToYuan(v.totals.netFen)} 元`,
  );
  lines.push(
    v.openShifts.length === 0
      ? '  未交班：无'
      : `  未交班（未计入）：${v.openShifts.map((o) => `${o.operatorName}（${o.operatorId}）`).join('、')}`,
  );
  return lines.join('\n');
}
