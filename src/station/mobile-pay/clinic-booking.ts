/**
 * HIS books an outpatient bill paid on the phone (ZS-09): the window's own insured confirm (HX-18, idempotent by
 * the settle id, a lost answer asked by settle.get) with the mobile-payment centre's order as the settlement and
 * the self-pay part as the wallet's payment (out_trade_no = payOrdId, transaction_id = the centre's hiDocSn), as
 * the ward books a phone-paid discharge. After a registration's refund (退号, 6203), HIS cancels that booking —
 * the registration with it — idempotent by the cancel id; a lost answer is asked by settle.get.
 */
import { z } from 'zod';
import type { HisClient, HisSettlement, InsuredSettleConfirm } from '../../insurance/his';
import { HisConfirmPayloadSchema, MOVEMENT_KINDS, hisBookingMovement } from '../movements';
import { fen } from '../../shared/money';
import type { Movement, QueryOutcome } from '../outbox';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';

export const ClinicCancelPayload = z.object({ cancelId: z.string().min(1), settleId: z.string().min(1), reason: z.string().max(200) });
export type ClinicCancelPayload = z.infer<typeof ClinicCancelPayload>;

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

/** HIS cancels a refunded bill's booking (the registration with it). Never undone: a refusal is for a person. */
export function mobileClinicCancelMovement(d: ClinicBookingDeps): Movement<ClinicCancelPayload, HisSettlement> {
  const cancel = async (p: ClinicCancelPayload) => {
    const o = await d.his.cancelSettlement(p);
    if (o.kind === 'ok') return { kind: 'ok' as const, output: o.value };
    if (o.kind === 'rejected') return { kind: 'rejected' as const, detail: `${o.code} ${o.message}` };
    return { kind: 'unknown' as const, detail: `${o.reason}: ${o.detail}` };
  };
  return {
    kind: MOVEMENT_KINDS.mobileClinicCancel,
    payload: ClinicCancelPayload,
    onUnknown: 'query',
    send: (intent) => cancel(intent.payload),
    async query({ payload: p }): Promise<QueryOutcome<HisSettlement>> {
      const o = await d.his.settlement({ settleId: p.settleId });
      if (o.kind === 'unknown') return { kind: 'unknown', detail: o.detail };
      if (o.kind === 'ok' && o.value.settlement.state === 'cancelled') return { kind: 'happened', output: o.value.settlement };
      const again = await cancel(p);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      return again.kind === 'rejected' ? { kind: 'did-not-happen' } : again;
    },
    compensate: () => Promise.resolve({ kind: 'rejected', detail: 'HIS 退号结果无法确认，需人工核实' }),
    newCompensationId: d.newId,
    settle(_db, intent, { final }) {
      if (final === 'succeeded') d.orders.update(intent.orderId, { his_cancelled_at: d.now().toISOString() }, d.now());
    },
  };
}
