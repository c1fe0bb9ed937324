/**
 * IT's way out for an upload a phone abandoned (6201 done, never paid): it holds the stay, so the bedside refuses to
 * settle it. The command line cannot call the centre itself (the station that owns the data dir may be running), so
 * it hands the 6401 to that station's outbox: the intent is written as a call whose answer is unknown, and the
 * resolver — of the running station within its next look, or of the next start — asks 6301 and sends 6401 under
 * the same ids, as for any cancel in doubt. A paid order is refused: its money is undone by a refund, not a cancel.
 */
import { randomUUID } from 'node:crypto';
import { MOVEMENT_KINDS } from '../movements';
import type { IntentsRepo } from '../outbox';
import type { Db } from '../store';
import type { CancelPayload } from './movements';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';

/** Orders not final: uploads waiting for the phone, pays and refunds under way, paid discharges HIS has not booked. */
export const OPEN_ORDER_STATES: readonly MobileOrderRow['state'][] = ['uploading', 'uploaded', 'paying', 'paid', 'refunding', 'cancelling'];

export interface OpenMobileOrder {
  id: string;
  kind: MobileOrderRow['kind'];
  visitNo: string;
  state: MobileOrderRow['state'];
  medfeeFen: number;
  payOrdId: string | null;
  /** Since the order was written (the phone's upload). */
  ageMinutes: number;
  /** A movement of it is in doubt or waiting for a person. */
  inDoubt: boolean;
  /** Paid, HIS refused its booking: HIS's words, for a person to put right and book again (`mobile-pay rebook`). */
  hisRefusal: string | null;
}

/** Nothing personal is read; `refusalOf` (HIS's refusal of a paid order's booking) needs the data key. */
export function openMobileOrders(db: Db, now: Date, refusalOf?: (row: MobileOrderRow) => string | null): OpenMobileOrder[] {
  const marks = OPEN_ORDER_STATES.map(() => '?').join(', ');
  const rows = db
    .prepare<string[], MobileOrderRow & { in_doubt: number }>(
      `SELECT o.*, EXISTS (SELECT 1 FROM intents i WHERE i.order_id = o.id
                             AND i.state IN ('prepared', 'unknown', 'compensating', 'escalated')) AS in_doubt
         FROM mobile_pay_orders o WHERE o.state IN (${marks}) ORDER BY o.created_at`,
    )
    .all(...OPEN_ORDER_STATES);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    visitNo: r.visit_no,
    state: r.state,
    medfeeFen: r.medfee_fen,
    payOrdId: r.pay_ord_id,
    ageMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(r.created_at)) / 60_000)),
    inDoubt: r.in_doubt === 1,
    hisRefusal: r.in_doubt === 0 && refusalOf ? refusalOf(r) : null,
  }));
}

export type CancelRequest = { kind: 'requested'; intentId: string } | { kind: 'refused'; reason: string };

/** The 6401 of an uploaded, unpaid order handed to the station's resolver; the order is 'cancelling' from now. */
export function requestUploadCancel(
  d: { db: Db; orders: MobileOrdersRepo; intents: IntentsRepo; now: Date },
  orderId: string,
  why: string,
): CancelRequest {
  return d.db.transaction((): CancelRequest => {
    const row = d.orders.get(orderId);
    if (!row) return { kind: 'refused', reason: `没有订单 ${orderId}` };
    if (d.intents.openForOrder(orderId).length > 0)
      return { kind: 'refused', reason: `订单 ${orderId} 有结果未知的交易，正在核实（npm run station -- outbox list）` };
    if (['paid', 'completed', 'refunding', 'refunded'].includes(row.state))
      return { kind: 'refused', reason: `订单 ${orderId} 已支付（${row.state}），不能撤销上传；请办理退费` };
    if (row.state === 'cancelled') return { kind: 'refused', reason: `订单 ${orderId} 已撤销` };
    if (row.state !== 'uploaded' || !row.pay_ord_id || !row.pay_token)
      return { kind: 'refused', reason: `订单 ${orderId} 尚未完成费用上传（${row.state}），无可撤销的上传` };
    const p = d.orders.patient(row);
    const payload: CancelPayload = {
      payOrdId: row.pay_ord_id,
      payToken: row.pay_token,
      who: { idNo: p.idNo, userName: p.name, idType: p.idType },
    };
    const intentId = randomUUID();
    d.intents.insert(
      { id: intentId, kind: MOVEMENT_KINDS.mobileCancel, orderId, externalId: `${row.pay_ord_id}C#${randomUUID().slice(0, 8)}`, payload },
      d.now,
    );
    d.intents.transition(intentId, 'prepared', 'unknown', { detail: why, nextAt: d.now }, 'cli', d.now);
    d.orders.update(orderId, { state: 'cancelling' }, d.now);
    return { kind: 'requested', intentId };
  })();
}
