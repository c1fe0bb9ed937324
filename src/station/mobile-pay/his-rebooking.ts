/**
 * IT's way on for a bill paid on the phone whose booking HIS refused (a discharge HIS had not ordered, a ward in
 * stocktaking): the money is taken, so the order stays `paid`, waiting for a person; once the cause is put right at
 * HIS, it is booked again with the same settle id and the same bill. As for an abandoned upload the command line
 * cannot call HIS itself (the station that owns the data dir may be running): it hands the booking to that station's
 * outbox as a call whose answer is unknown, and the resolver asks HIS by the settle id and, finding nothing, books
 * it — once, however often the answer is lost. HIS refusing again leaves the order paid with the new refusal.
 */
import { randomUUID } from 'node:crypto';
import { MOVEMENT_KINDS } from '../movements';
import type { IntentRecord, IntentsRepo } from '../outbox';
import type { Db } from '../store';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';

/** HIS's bookings of a phone-paid bill: a discharge (the ward's) or an outpatient bill (the clinic's). */
const BOOKING_KINDS = [MOVEMENT_KINDS.mobileWardSettle, MOVEMENT_KINDS.mobileClinicSettle] as const;

/** The booking HIS refused of a paid order that waits for a person, else null (booked, under way, or never tried). */
export function refusedBooking(intents: Pick<IntentsRepo, 'latestOfKinds'>, row: MobileOrderRow): IntentRecord | null {
  if (row.state !== 'paid' || !row.his_settle_id) return null;
  const last = intents.latestOfKinds(row.id, BOOKING_KINDS);
  return last?.state === 'failed' ? last : null;
}

/** HIS's words of a refusal, without the resolver's prefix when it learnt them by asking again. */
export const refusalText = (booking: IntentRecord): string => booking.detail.replace(/^查询确认未发生：/, '') || 'HIS 拒绝记账';

export type RebookRequest = { kind: 'requested'; intentId: string; settleId: string } | { kind: 'refused'; reason: string };

/** The refused booking handed again to the station's resolver, same kind, settle id and bill. */
export function requestRebook(
  d: { db: Db; orders: MobileOrdersRepo; intents: IntentsRepo; now: Date },
  orderId: string,
  why: string,
): RebookRequest {
  return d.db.transaction((): RebookRequest => {
    const row = d.orders.get(orderId);
    if (!row) return { kind: 'refused', reason: `没有订单 ${orderId}` };
    if (d.intents.openForOrder(orderId).length > 0)
      return { kind: 'refused', reason: `订单 ${orderId} 有结果未知的交易，正在核实（npm run station -- outbox list）` };
    if (row.state === 'completed') return { kind: 'refused', reason: `订单 ${orderId} 已在 HIS 记账，无需重新记账` };
    if (row.state !== 'paid') return { kind: 'refused', reason: `订单 ${orderId} 不是已支付待记账的订单（${row.state}），不能重新记账` };
    const refused = refusedBooking(d.intents, row);
    if (!refused) return { kind: 'refused', reason: `订单 ${orderId} 尚未被 HIS 拒绝记账：工作站运行时（或下次启动时）会自动记账` };
    const intentId = randomUUID();
    const settleId = row.his_settle_id!;
    d.intents.insert(
      { id: intentId, kind: refused.kind, orderId, externalId: `${settleId}#${randomUUID().slice(0, 8)}`, payload: refused.payload },
      d.now,
    );
    d.intents.transition(intentId, 'prepared', 'unknown', { detail: why, nextAt: d.now }, 'cli', d.now);
    return { kind: 'requested', intentId, settleId };
  })();
}
