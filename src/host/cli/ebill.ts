/**
 * `npm run station -- ebill list | reissue ORDER_ID|STAY_ID|IPT_NO [--data-dir DIR]`
 *
 * For IT without the screens: the fiscal e-bills (财政电子票据) of outpatient orders and inpatient discharges that do
 * not stand as issued. `list`: bills being checked after a lost answer, refused by the platform, or whose red-flush
 * it refused, newest first; then bills still issued whose order was refunded (a red-flush owed). `reissue`: a refused
 * bill issued again, once the cause is put right at the platform (a billing point not enabled, paper stock …), under
 * the same busNo — the running station sends it (within about half a minute, else at its next start); refused for an
 * order whose latest bill is not refused, and for a stay whose current discharge booking's bill is not. A stay is
 * named by its id or its 住院号. Audited.
 */
import { fenToYuan } from '../../shared/money';
import { EBillsRepo, type EBillRecord } from '../../station/ebill';
import { StaysRepo, type StayRecord } from '../../station/inpatient';
import { AuditRepo, type Db } from '../../station/store';
import { openStationDb, type StationDb } from './station-db';
import type { CliArgs } from './args';

const STATE_TEXT: Record<EBillRecord['state'], string> = {
  issuing: '开具结果核实中',
  issued: '已开具',
  refused: '平台拒绝开具',
  'red-flushed': '已冲红',
  'red-flush-refused': '平台拒绝冲红',
};

/** `iptNo`: a discharge's bill is named by its 住院号 first, as the ward knows it, then the stay's id. */
export function ebillLine(b: EBillRecord, iptNo?: string): string {
  const asked = b.reissueAsked ? '  已申请重开' : '';
  const who = b.kind === 'stay' && iptNo ? `住院号 ${iptNo} ${b.orderId}` : b.orderId;
  return `${who}  业务流水号 ${b.busNo}  ${STATE_TEXT[b.state]}  金额 ${fenToYuan(b.totalFen)}  第 ${b.attempts} 次开具${asked}`;
}

function reissue(station: StationDb, id: string): number {
  const { db } = station;
  // An order's bill first (the command's first use); otherwise a stay, by id or 住院号.
  if (!new EBillsRepo(db).latest(id)) {
    const stays = new StaysRepo(db, station.cipher());
    const stay = stays.get(id) ?? stays.byIptNo(id);
    if (stay) return reissueStay(db, stay);
  }
  return reissueOrder(db, id);
}

/** The refused bill of the stay's current discharge booking (busNo: HIS's number of it), asked again. */
function reissueStay(db: Db, stay: StayRecord): number {
  const now = new Date();
  const busNo = stay.state === 'completed' && stay.booking ? stay.booking.hisSettleNo : '';
  const bill = busNo ? new EBillsRepo(db).askReissue({ stayId: stay.id }, now, busNo) : undefined;
  new AuditRepo(db, 'cli').append({ operatorId: null, action: 'ebill.reissue', outcome: bill ? 'ok' : 'denied', detail: stay.id }, now);
  if (!bill) {
    console.error(`住院号 ${stay.iptNo} 当前的出院结算没有被平台拒绝的电子票据，无需重开`);
    return 1;
  }
  console.log(`住院号 ${stay.iptNo} 的出院电子票据将重新开具（业务流水号 ${bill.busNo}）：由运行中的工作站约半分钟内发送，否则下次启动时`);
  return 0;
}

function reissueOrder(db: Db, orderId: string): number {
  const now = new Date();
  const bill = new EBillsRepo(db).askReissue(orderId, now);
  new AuditRepo(db, 'cli').append({ operatorId: null, action: 'ebill.reissue', outcome: bill ? 'ok' : 'denied', detail: orderId }, now);
  if (!bill) {
    console.error(`收费单 ${orderId} 没有被平台拒绝的电子票据，无需重开`);
    return 1;
  }
  console.log(`收费单 ${orderId} 的电子票据将重新开具（业务流水号 ${bill.busNo}）：由运行中的工作站约半分钟内发送，否则下次启动时`);
  return 0;
}

export function runEBillCommand(args: CliArgs): void {
  const [command, id] = args.positional;
  if (!((command === 'list' && id === undefined) || (command === 'reissue' && id))) args.usage();
  const station = openStationDb(args.dataDir);
  if (!station) return;
  const { db } = station;
  try {
    if (command === 'reissue') {
      process.exitCode = reissue(station, id!);
      return;
    }
    const repo = new EBillsRepo(db);
    const line = (b: EBillRecord) => ebillLine(b, b.kind === 'stay' ? StaysRepo.iptNoOf(db, b.orderId) : undefined);
    const stale = repo.staleIssued(100).map((b) => `${line(b)}  已退费，待冲红`);
    const lines = [...repo.unsettled(100).map(line), ...stale];
    console.log(lines.length === 0 ? '没有待处理的电子票据' : lines.join('\n'));
    process.exitCode = 0;
  } finally {
    db.close();
  }
}
