/**
 * `npm run station -- stays settlements IPT_NO [--data-dir DIR]`
 *
 * For IT without the screens: one stay's settlements at the centre — each 中途结算 (mid-stay) and the discharge's —
 * with the split (yuan) and whether HIS booked it. A mid-stay settlement still "settled" is one the centre made and
 * HIS has not booked: the nurse's 中途结算 again books it (after a deposit top-up if the deposits were short).
 * Read-only; no name or ID number is shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fenToYuan } from '../../shared/money';
import { StaysRepo, type StaySettlement } from '../../station/inpatient';
import { FieldCipher, loadOrCreateDataKeys } from '../../station/security/field-cipher';
import { openDatabase } from '../../station/store';
import type { CliArgs } from './args';

const split = (s: StaySettlement) =>
  `总额 ${fenToYuan(s.medfeeFen)}  基金 ${fenToYuan(s.fundFen)} 账户 ${fenToYuan(s.acctFen)} 自付 ${fenToYuan(s.cashFen)}  至第 ${s.uptoLine} 条`;

export function runStaysCommand(args: CliArgs): void {
  const [command, iptNo] = args.positional;
  if (command !== 'settlements' || !iptNo) args.usage();
  const file = path.join(args.dataDir, 'station.db');
  if (!fs.existsSync(file)) {
    console.error(`no station database in ${args.dataDir} (use --data-dir)`);
    process.exitCode = 1;
    return;
  }
  const db = openDatabase(file);
  try {
    const keys = loadOrCreateDataKeys(path.join(args.dataDir, 'keys'), { databaseHoldsRows: true, latestBackup: null });
    const stays = new StaysRepo(db, new FieldCipher(keys));
    const stay = stays.byIptNo(iptNo);
    if (!stay) {
      console.error(`没有住院号 ${iptNo} 的医保住院登记`);
      process.exitCode = 1;
      return;
    }
    const lines = [`${stay.iptNo}  ${stay.state}  mdtrt_id ${stay.mdtrtId ?? '-'}  已上传至第 ${stay.uploadedUptoLine} 条`];
    for (const m of stays.midway.of(stay.id)) {
      const booked = m.booking ? `HIS ${m.booking.hisSettleNo}` : 'HIS 未登记';
      lines.push(`  中途结算 ${m.settlement.setlId}  ${m.state}  ${split(m.settlement)}  ${booked}  ${m.createdAt}`);
    }
    if (stay.settlement) {
      const booked = stay.booking ? `HIS ${stay.booking.hisSettleNo}` : 'HIS 未登记';
      lines.push(`  出院结算 ${stay.settlement.setlId}  ${stay.state}  ${split(stay.settlement)}  ${booked}`);
    }
    if (lines.length === 1) lines.push('  尚无结算');
    console.log(lines.join('\n'));
    process.exitCode = 0;
  } finally {
    db.close();
  }
}
