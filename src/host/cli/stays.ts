/**
 * `npm run station -- stays settlements IPT_NO | resume-uploads IPT_NO | undos [--data-dir DIR]`
 *
 * For IT without the screens: one stay's settlements at the centre — each 中途结算 (mid-stay) and the discharge's —
 * with the split (yuan) and whether HIS booked it. A mid-stay settlement still "settled" is one the centre made and
 * HIS has not booked: the nurse's 中途结算 again books it (after a deposit top-up if the deposits were short).
 * No name or ID number is shown. `resume-uploads`: a stay whose fee uploads stopped on a refusal (a 2301 batch or a
 * 2403 the centre refused, the reason shown by `settlements`) goes on at the uploader's next sweep, once the cause is
 * fixed at HIS or the centre; audited. A discharge settlement's undo under way from the window is shown, and one the
 * centre refused (2305 / 2405) with the centre's words: the cashier's 撤销出院结算 again goes on from there. `undos`:
 * every such undo not finished, those stopped for a person first.
 */
import { fenToYuan } from '../../shared/money';
import { StaysRepo, type StaySettlement, type StayUndo } from '../../station/inpatient';
import { AuditRepo } from '../../station/store';
import { openStationDb } from './station-db';
import type { CliArgs } from './args';

const split = (s: StaySettlement) =>
  `总额 ${fenToYuan(s.medfeeFen)}  基金 ${fenToYuan(s.fundFen)} 账户 ${fenToYuan(s.acctFen)} 自付 ${fenToYuan(s.cashFen)}  至第 ${s.uptoLine} 条`;

export function runStaysCommand(args: CliArgs): void {
  const [command, iptNo] = args.positional;
  if (command !== 'undos' && ((command !== 'settlements' && command !== 'resume-uploads') || !iptNo)) args.usage();
  const station = openStationDb(args.dataDir);
  if (!station) return;
  const { db } = station;
  try {
    const stays = new StaysRepo(db, station.cipher());
    if (command === 'undos') {
      const undos = stays.undos.all().map((u) => {
        const stay = stays.get(u.stayId);
        return `${stay?.iptNo ?? u.stayId}  ${stay?.state ?? '-'}\n${undoLine(u)}`;
      });
      console.log(undos.length > 0 ? undos.join('\n') : '没有未完成的出院结算撤销');
      process.exitCode = 0;
      return;
    }
    const stay = stays.byIptNo(iptNo!);
    if (!stay) {
      console.error(`没有住院号 ${iptNo} 的医保住院登记`);
      process.exitCode = 1;
      return;
    }
    if (command === 'resume-uploads') {
      process.exitCode = resumeUploads(stays, new AuditRepo(db, 'cli'), stay);
      return;
    }
    const stopped = stay.uploadProblem ? `  上传已停止：${stay.uploadProblem}` : '';
    const lines = [`${stay.iptNo}  ${stay.state}  mdtrt_id ${stay.mdtrtId ?? '-'}  已上传至第 ${stay.uploadedUptoLine} 条${stopped}`];
    for (const m of stays.midway.of(stay.id)) {
      const booked = m.booking ? `HIS ${m.booking.hisSettleNo}` : 'HIS 未登记';
      lines.push(`  中途结算 ${m.settlement.setlId}  ${m.state}  ${split(m.settlement)}  ${booked}  ${m.createdAt}`);
    }
    if (stay.settlement) {
      const booked = stay.booking ? `HIS ${stay.booking.hisSettleNo}` : 'HIS 未登记';
      lines.push(`  出院结算 ${stay.settlement.setlId}  ${stay.state}  ${split(stay.settlement)}  ${booked}`);
    }
    if (lines.length === 1) lines.push('  尚无结算');
    const undo = stays.undos.get(stay.id);
    if (undo) lines.push(undoLine(undo));
    console.log(lines.join('\n'));
    process.exitCode = 0;
  } finally {
    db.close();
  }
}

/** The window's undo of the discharge settlement, under way or stopped for a person with the centre's words. */
function undoLine(u: StayUndo): string {
  const asked = `${u.operator.id} ${u.begunAt} 原因：${u.reason}${u.backToWard ? '（并撤销出院）' : ''}`;
  return u.stopped ? `  出院结算撤销已停止，待人工处理：${u.stopped}  ${asked}` : `  出院结算撤销进行中（自动继续）  ${asked}`;
}

/** The stay's stopped uploads go on at the next sweep (a refusal is kept until a person says the cause is fixed). */
function resumeUploads(stays: StaysRepo, audit: AuditRepo, stay: NonNullable<ReturnType<StaysRepo['byIptNo']>>): number {
  if (!stay.uploadProblem) {
    console.log(`${stay.iptNo} 的费用上传没有停止，无需处理`);
    return 0;
  }
  const now = new Date();
  stays.update(stay.id, { uploadProblem: null }, now);
  audit.append(
    { operatorId: null, action: 'stay.resumeUploads', outcome: 'ok', detail: `${stay.iptNo} ${stay.uploadProblem}`.slice(0, 200) },
    now,
  );
  console.log(`${stay.iptNo} 的费用上传将在下次自动上传时继续（此前停止的原因：${stay.uploadProblem}）`);
  return 0;
}
