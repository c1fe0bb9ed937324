/**
 * HX-32: HIS's orders change on their own (paid at another window, withdrawn by the doctor, expired). The station
 * follows: a copy not yet settled here stops being offered, and what it registered at the centre is undone.
 */
import { reason, type OrderReasonCode } from '../../shared/order-reasons';
import type { HisOrderState } from '../../insurance/his';
import type { OutpatientContext } from './context';

const HIS_CHANGE_REASON: Record<Exclude<HisOrderState, 'unpaid'>, OrderReasonCode> = {
  paid: 'his-paid-elsewhere',
  expired: 'his-expired',
  refunded: 'his-refunded',
};

/** How far back the first look goes (later looks continue from HIS's own cursor). */
const FIRST_LOOK_BACK_MS = 24 * 3600_000;

export class HisChanges {
  private cursor: Date | null = null;

  constructor(
    private readonly c: OutpatientContext,
    /** Undoes what an order registered at the centre (undo.ts). */
    private readonly undo: (orderId: string) => Promise<unknown>,
  ) {}

  /** Returns how many of the station's orders followed a change. */
  async poll(): Promise<number> {
    const { d } = this.c;
    const changes = await d.his.orderChanges(this.cursor ?? new Date(d.now().getTime() - FIRST_LOOK_BACK_MS));
    if (changes.kind !== 'ok') return 0;
    this.cursor = new Date(changes.value.until);
    let followed = 0;
    for (const his of changes.value.orders) {
      if (his.state === 'unpaid') continue;
      const id = d.orders.idByHisOrderNo(his.orderNo);
      const order = id ? d.orders.get(id) : undefined;
      if (!order) continue;
      if (order.state !== 'open' && order.state !== 'previewed') continue; // settled or settling here: the station's own flow decides
      if (d.outbox.isLocked(order.id)) continue;
      const why = reason(HIS_CHANGE_REASON[his.state]);
      if (order.mdtrtId) {
        d.orders.update(order.id, { state: 'expiring', reason: why }, d.now());
        this.c.changed(order.id);
        await this.undo(order.id);
      } else {
        d.orders.update(order.id, { state: 'expired', reason: why }, d.now());
        this.c.changed(order.id);
      }
      followed += 1;
    }
    return followed;
  }
}
