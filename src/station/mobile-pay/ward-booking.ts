/**
 * HIS books an inpatient discharge paid on the phone: the ward's own booking movement (inpatient.settle,
 * idempotent by the settle id, a lost answer asked by inpatient.settle.get) with the centre's order as the
 * settlement and the self-pay part as the wallet's payment (the phone's WeChat wallet: out_trade_no = payOrdId,
 * transaction_id = the centre's hiDocSn). Every deposit stays as surplus, for the refunds that follow.
 *
 * The station's stay follows as at the bedside: settled (the centre's order as its settlement) once HIS answered,
 * completed with HIS's booking when HIS booked it — so the nurse refunds the surplus deposits from the stay as
 * after a bedside settlement, and the stay cannot be settled a second time at the bedside.
 */
import type { HisWardClient, HisWardSettlement } from '../../insurance/his';
import { hisWardBookingMovement, type HisWardSettlePayload, type StaysRepo } from '../inpatient';
import { MOVEMENT_KINDS } from '../movements';
import type { Movement } from '../outbox';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';

export interface WardBookingDeps {
  his: Pick<HisWardClient, 'settle' | 'settlement' | 'stay'>;
  stays: StaysRepo;
  orders: MobileOrdersRepo;
  newId: () => string;
  now: () => Date;
}

export function mobileWardBookingMovement(d: WardBookingDeps): Movement<HisWardSettlePayload, HisWardSettlement> {
  const ward = hisWardBookingMovement({ his: d.his, stays: d.stays, newMsgid: d.newId, now: d.now });
  return {
    ...ward,
    kind: MOVEMENT_KINDS.mobileWardSettle,
    settle(db, intent, finished) {
      const stay = d.stays.byIptNo(intent.payload.iptNo);
      if (stay && stay.state !== 'completed') {
        const p = intent.payload;
        const settlement = {
          setlId: p.setlId,
          medfeeFen: p.medfeeFen,
          fundFen: p.fundFen,
          acctFen: p.acctFen,
          cashFen: p.cashFen,
          uptoLine: p.uptoLine,
        };
        d.stays.update(stay.id, { settlement }, d.now());
        // The ward's own bookkeeping, on the stay: completed with HIS's booking, or settled when HIS refused.
        ward.settle(db, { ...intent, orderId: stay.id }, finished);
      }
      // Refused by HIS: the bill stays paid, for a person to look at and book again (same settle id).
      if (finished.final !== 'succeeded') return d.orders.update(intent.orderId, { state: 'paid' }, d.now());
      d.orders.update(intent.orderId, { state: 'completed' }, d.now());
      d.orders.book(intent.orderId, 'his-booked', 'his', d.now());
    },
  };
}

/** The booking of a paid order, or why it cannot be made yet. */
export async function wardBookingOf(
  d: Pick<WardBookingDeps, 'his'>,
  row: MobileOrderRow,
  settleId: string,
): Promise<HisWardSettlePayload | string> {
  if (!row.ward_ipt_no || !row.ward_upto_line || !row.pay_ord_id || !row.mdtrt_id) return '不是住院出院结算订单';
  const stay = await d.his.stay({ iptNo: row.ward_ipt_no });
  if (stay.kind !== 'ok') return stay.kind === 'rejected' ? `HIS：${stay.message}` : `HIS 无应答：${stay.detail}`;
  const own = row.own_fen ?? 0;
  return {
    settleId,
    iptNo: row.ward_ipt_no,
    kind: 'discharge',
    uptoLine: row.ward_upto_line,
    mdtrtId: row.mdtrt_id,
    setlId: row.pay_ord_id,
    medfeeFen: row.medfee_fen,
    fundFen: row.fund_fen ?? 0,
    acctFen: row.acct_fen ?? 0,
    cashFen: own,
    deposits: [],
    payments: own > 0 ? [{ channel: 'wechat', outTradeNo: row.pay_ord_id, transactionId: row.hi_doc_sn ?? '', amountFen: own }] : [],
    surplusFen: stay.value.depositBalanceFen,
  };
}
