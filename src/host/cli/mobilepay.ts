/**
 * `npm run station -- mobilepay list | show ORDER_ID [--data-dir DIR]`
 *
 * For IT without the screens: the mobile insurance payment (医保移动支付) orders the station holds — state, the
 * centre's order id, the shares (yuan) and what was booked by which path (answer, resolver, callback). Read-only;
 * an order in doubt is also in `npm run station -- outbox list`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fenToYuan } from '../../shared/money';
import { listMobileOrders, type MobileOrderSummary } from '../../station/mobile-pay';
import { openDatabase } from '../../station/store';
import type { CliArgs } from './args';

const yuan = (fen: number | null) => (fen === null ? '-' : fenToYuan(fen));

export function mobileOrderLine(o: MobileOrderSummary): string {
  return (
    `${o.id}  ${o.kind === 'inpatient' ? '住院' : '门诊'} ${o.visit_no}  ${o.state}  总额 ${fenToYuan(o.medfee_fen)}  ` +
    `基金 ${yuan(o.fund_fen)} 账户 ${yuan(o.acct_fen)} 自付 ${yuan(o.own_fen)}  中心订单 ${o.pay_ord_id ?? '-'}  ` +
    `记账 ${o.bookings ?? '-'}  ${o.updated_at}`
  );
}

export function runMobilePayCommand(args: CliArgs): void {
  const [command, id] = args.positional;
  if (!((command === 'list' && id === undefined) || (command === 'show' && id))) args.usage();
  const file = path.join(args.dataDir, 'station.db');
  if (!fs.existsSync(file)) {
    console.error(`no station database in ${args.dataDir} (use --data-dir)`);
    process.exitCode = 1;
    return;
  }
  const db = openDatabase(file);
  try {
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
