/**
 * HIS's booking of a phone-paid discharge cancelled (inpatient.settle.cancel), the first step of the phone's refund
 * application once HIS has booked: its lines are due again, any deposits it applied are back on their records, the
 * stay is open for settlement at HIS. Never undone: a lost answer is asked by inpatient.settle.get for a day, as the
 * booking itself, and the same cancel sent again while HIS still holds the booking. HIS answering that another cancel
 * already undid it counts as done. The station's stay follows as after the window's cancel: settled at the centre,
 * not booked at HIS; 6203 takes it back to discharged-and-unsettled.
 */
import { z } from 'zod';
import type { HisOutcome, HisWardClient } from '../../insurance/his';
import type { StaysRepo } from '../inpatient';
import { MOVEMENT_KINDS } from '../movements';
import { NEVER_UNDONE_QUERY_TIMING, type Movement, type RemoteOutcome } from '../outbox';
import type { MobileOrdersRepo } from './orders-repo';

export const MobileWardCancelPayload = z.object({
  settleId: z.string().min(1),
  iptNo: z.string().min(1),
  /** The centre's order (the stay's settlement as HIS booked it). */
  setlId: z.string().min(1),
  reason: z.string().min(1).max(60),
});
export type MobileWardCancelPayload = z.infer<typeof MobileWardCancelPayload>;

export interface WardUnbookingDeps {
  his: Pick<HisWardClient, 'cancelSettlement' | 'settlement'>;
  stays: Pick<StaysRepo, 'byIptNo' | 'update'>;
  orders: MobileOrdersRepo;
  newId: () => string;
  now: () => Date;
}

type Cancelled = { settleId: string };

function outcome<T>(o: HisOutcome<T>): RemoteOutcome<T> {
  if (o.kind === 'ok') return { kind: 'ok', output: o.value };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
  return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
}

export function mobileWardCancelMovement(d: WardUnbookingDeps): Movement<MobileWardCancelPayload, Cancelled> {
  const cancel = async (cancelId: string, p: MobileWardCancelPayload): Promise<RemoteOutcome<Cancelled>> => {
    // The phone's payment goes back by 6203 next: HIS must not keep it as a deposit too.
    const o = await d.his.cancelSettlement({ cancelId, settleId: p.settleId, reason: p.reason, payments: 'refunded' });
    // Another cancel (a person's, or an earlier attempt's id) undid it already: the booking is gone, which is the point.
    if (o.kind === 'rejected' && o.code === 'SETTLE_ALREADY_CANCELLED') return { kind: 'ok', output: { settleId: p.settleId } };
    const r = outcome(o);
    return r.kind === 'ok' ? { kind: 'ok', output: { settleId: p.settleId } } : r;
  };
  return {
    kind: MOVEMENT_KINDS.mobileWardCancel,
    payload: MobileWardCancelPayload,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send: (intent) => cancel(intent.externalId, intent.payload),
    async query(intent) {
      const held = outcome(await d.his.settlement(intent.payload.settleId));
      if (held.kind === 'unknown') return held;
      if (held.kind === 'ok' && held.output.state === 'cancelled')
        return { kind: 'happened', output: { settleId: intent.payload.settleId } };
      const again = await cancel(intent.externalId, intent.payload);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      return again.kind === 'rejected' ? { kind: 'did-not-happen' } : { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: 'HIS 出院结算撤销结果无法确认，需人工核实' }),
    newCompensationId: d.newId,
    settle(_db, intent, { final }) {
      // Refused by HIS (a later settlement, a booking it no longer knows): still booked, the refund refused.
      if (final !== 'succeeded') return d.orders.update(intent.orderId, { state: 'completed' }, d.now());
      // Cancelled at HIS: the order waits for its 6203 ('refunding', no movement in flight), the stay is settled only.
      const stay = d.stays.byIptNo(intent.payload.iptNo);
      if (stay?.state === 'completed' && stay.settlement?.setlId === intent.payload.setlId)
        d.stays.update(stay.id, { state: 'settled', booking: null, surplus: null }, d.now());
    },
  };
}

/** After its 6203: the stay this order settled is discharged and unsettled again, to be settled afresh (phone or bedside). */
export function reopenStay(d: Pick<WardUnbookingDeps, 'stays' | 'now'>, iptNo: string, setlId: string | null): void {
  const stay = d.stays.byIptNo(iptNo);
  if (!stay || stay.state !== 'settled' || !setlId || stay.settlement?.setlId !== setlId) return;
  // The old settlement stays on the row until the next settlement replaces it, as after the window's 2305.
  d.stays.update(stay.id, { state: 'discharged', shortfallFen: 0 }, d.now());
}
