/**
 * `npm run station -- mobile-pay list [--all] | show ORDER_ID | cancel ORDER_ID | rebook ORDER_ID [--data-dir DIR]`
 *
 * For IT without the screens: the mobile insurance payment (医保移动支付) orders the station holds. `list`: the open
 * ones (an upload waiting for the phone, a pay or refund under way, a paid discharge not booked) with their age;
 * `--all` the newest 50 whatever their state, with the shares (yuan) and what was booked by which path. `cancel`:
 * an upload a phone abandoned — it blocks the bedside — withdrawn by 6401, which the station's outbox sends (the
 * running station within about a minute, else at its next start); refused for a paid order. `rebook`: a paid order
 * whose booking HIS refused (listed as waiting for a person, with HIS's words) booked again once the cause is put
 * right, with the same settle id, by the same outbox; refused for an order in any other state. Both audited.
 */
import { fenToYuan } from '../../shared/money';
import {
  listMobileOrders,
  MobileOrdersRepo,
  openMobileOrders,
  refusalText,
  refusedBooking,
  requestRebook,
  requestUploadCancel,
  type MobileOrderSummary,
  type OpenMobileOrder,
} from '../../station/mobile-pay';
import { IntentsRepo } from '../../station/outbox';
import { AuditRepo } from '../../station/store';
import { openStationDb, type StationDb } from './station-db';
import type { CliArgs } from './args';

const yuan = (fen: number | null) => (fen === null ? '-' : fenToYuan(fen));
const kindText = (kind: string) => (kind === 'inpatient' ? '住院' : '门诊');

export function mobileOrderLine(o: MobileOrderSummary): string {
  return (
    `${o.id}  ${kindText(o.kind)} ${o.visit_no}  ${o.state}  总额 ${fenToYuan(o.medfee_fen)}  ` +
    `基金 ${yuan(o.fund_fen)} 账户 ${yuan(o.acct_fen)} 自付 ${yuan(o.own_fen)}  中心订单 ${o.pay_ord_id ?? '-'}  ` +
    `记账 ${o.bookings ?? '-'}  ${o.updated_at}`
  );
}

export function openOrderLine(o: OpenMobileOrder): string {
  const age = o.ageMinutes < 120 ? `${o.ageMinutes} 分钟` : `${Math.floor(o.ageMinutes / 60)} 小时`;
  const waiting = o.hisRefusal ? `  等待人工：HIS 拒绝记账（${o.hisRefusal}），处理后执行 mobile-pay rebook ${o.id}` : '';
  return `${o.id}  ${kindText(o.kind)} ${o.visitNo}  ${o.state}${o.inDoubt ? '（核实中）' : ''}  总额 ${fenToYuan(o.medfeeFen)}  中心订单 ${o.payOrdId ?? '-'}  已 ${age}${waiting}`;
}

function list(station: StationDb): number {
  const { db } = station;
  const intents = new IntentsRepo(db, station.cipher());
  const refusalOf = (row: Parameters<typeof refusedBooking>[1]) => {
    const refused = refusedBooking(intents, row);
    return refused ? refusalText(refused) : null;
  };
  const open = openMobileOrders(db, new Date(), refusalOf);
  console.log(open.length === 0 ? '没有未完成的医保移动支付订单' : open.map(openOrderLine).join('\n'));
  return 0;
}

function rebook(station: StationDb, orderId: string): number {
  const { db } = station;
  const cipher = station.cipher();
  const now = new Date();
  const asked = requestRebook(
    { db, orders: new MobileOrdersRepo(db, cipher), intents: new IntentsRepo(db, cipher), now },
    orderId,
    '信息科在 HIS 处理后重新记账（命令行）',
  );
  new AuditRepo(db, 'cli').append(
    { operatorId: null, action: 'mobilepay.rebook', outcome: asked.kind === 'requested' ? 'ok' : 'denied', detail: orderId },
    now,
  );
  if (asked.kind === 'refused') {
    console.error(asked.reason);
    return 1;
  }
  console.log(
    `订单 ${orderId} 重新记账中：HIS 记账（结算流水号 ${asked.settleId}）由工作站的待核实队列发送（运行中约一分钟内，否则下次启动时），交易 ${asked.intentId}`,
  );
  return 0;
}

function cancel(station: StationDb, orderId: string): number {
  const { db } = station;
  const cipher = station.cipher();
  const now = new Date();
  const asked = requestUploadCancel(
    { db, orders: new MobileOrdersRepo(db, cipher), intents: new IntentsRepo(db, cipher), now },
    orderId,
    '信息科撤销手机放弃的上传（命令行）',
  );
  new AuditRepo(db, 'cli').append(
    { operatorId: null, action: 'mobilepay.cancel', outcome: asked.kind === 'requested' ? 'ok' : 'denied', detail: orderId },
    now,
  );
  if (asked.kind === 'refused') {
    console.error(asked.reason);
    return 1;
  }
  console.log(`订单 ${orderId} 撤销中：6401 由工作站的待核实队列发送（运行中约一分钟内，否则下次启动时），交易 ${asked.intentId}`);
  return 0;
}

export function runMobilePayCommand(args: CliArgs): void {
  const [command, id] = args.positional;
  const ok = (command === 'list' && id === undefined) || ((command === 'show' || command === 'cancel' || command === 'rebook') && id);
  if (!ok) args.usage();
  const station = openStationDb(args.dataDir);
  if (!station) return;
  const { db } = station;
  try {
    if (command === 'cancel') {
      process.exitCode = cancel(station, id!);
      return;
    }
    if (command === 'rebook') {
      process.exitCode = rebook(station, id!);
      return;
    }
    if (command === 'list' && !args.flag('--all')) {
      process.exitCode = list(station);
      return;
    }
    const orders = listMobileOrders(db, 50, id);
    if (command === 'show' && orders.length === 0) {
      console.error(`没有订单 ${id}`);
      process.exitCode = 1;
      return;
    }
    console.log(orders.length === 0 ? '没有医保移动支付订单' : orders.map(mobileOrderLine).join('\n'));
    process.exitCode = 0;
  } finally {
    db.close();
  }
}
