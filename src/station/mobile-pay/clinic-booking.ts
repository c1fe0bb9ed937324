/**
 * HIS books an outpatient bill paid on the phone (ZS-09): the window's own insured confirm (HX-18, idempotent by
 * the settle id, a lost answer asked by settle.get) with the mobile-payment centre's order as the settlement and
 * the self-pay part as the wallet's payment (out_trade_no = payOrdId, transaction_id = the centre's hiDocSn), as
 * the ward books a phone-paid discharge.
 */
import type { HisClient, HisSettlement, InsuredSettleConfirm } from '../../insurance/his';
import { HisConfirmPayloadSchema, MOVEMENT_KINDS, hisBookingMovement } from '../movements';
import { fen } from '../../shared/money';
import type { Movement } from '../outbox';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';

export interface ClinicBookingDeps {
  his: Pick<HisClient, 'confirmSettlement' | 'settlement' | 'cancelSettlement'>;
  orders: MobileOrdersRepo;
  newId: () => string;
  now: () => Date;
}

export function mobileClinicBookingMovement(d: ClinicBookingDeps): Movement<InsuredSettleConfirm, HisSettlement> {
  return hisBookingMovement<InsuredSettleConfirm, ClinicBookingDeps['his']>({
    kind: MOVEMENT_KINDS.mobileClinicSettle,
    payload: HisConfirmPayloadSchema,
    book: (his, p) => his.confirmSettlement(p),
    his: d.his,
    newCompensationId: d.newId,
    settle(_db, intent, finished) {
      // Refused by HIS: the bill stays paid, for a person to look at and book again (same settle id).
      if (finished.final !== 'succeeded') return d.orders.update(intent.orderId, { state: 'paid' }, d.now());
      d.orders.update(intent.orderId, { state: 'completed' }, d.now());
      d.orders.book(intent.orderId, 'his-booked', 'his', d.now());
    },
  });
}

/** The booking of a paid outpatient order, or why it cannot be made. */
export function clinicBookingOf(row: MobileOrderRow, settleId: string): InsuredSettleConfirm | string {
  if (!row.his_order_no || !row.pay_ord_id || !row.mdtrt_id) return '不是门诊缴费订单';
  const own = fen(row.own_fen ?? 0);
  return {
    settleId,
    orderNo: row.his_order_no,
    mdtrtId: row.mdtrt_id,
    setlId: row.pay_ord_id,
    medfeeFen: fen(row.medfee_fen),
    fundFen: fen(row.fund_fen ?? 0),
    acctFen: fen(row.acct_fen ?? 0),
    cashFen: own,
    payments: own > 0 ? [{ channel: 'wechat', outTradeNo: row.pay_ord_id, transactionId: row.hi_doc_sn ?? '', amountFen: own }] : [],
  };
}
