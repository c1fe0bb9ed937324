import type { OrderView } from '../../../shared/domain';
import { fen, type Fen } from '../../../shared/money';

/** When the order last moved, as far as the view says: HIS booking, else the latest payment, else its creation. */
export function orderActivityAt(order: OrderView): string {
  let latest = order.his?.settledAt ?? order.createdAt;
  for (const p of order.payments) if (p.updatedAt > latest) latest = p.updatedAt;
  return latest;
}

/** Newest first; ISO times in one zone compare as text. */
export function sortByActivity(orders: readonly OrderView[]): OrderView[] {
  return [...orders].sort((a, b) => (orderActivityAt(a) < orderActivityAt(b) ? 1 : orderActivityAt(a) > orderActivityAt(b) ? -1 : 0));
}

/** An `orderUpdated` event into today's list: replaces the order with the same id, or adds it. */
export function upsertOrder(orders: readonly OrderView[], order: OrderView): OrderView[] {
  const at = orders.findIndex((o) => o.id === order.id);
  if (at < 0) return sortByActivity([...orders, order]);
  const next = [...orders];
  next[at] = order;
  return sortByActivity(next);
}

/** Counts for the list's header: how many settled, and the total of cash collected. */
export function todayTotals(orders: readonly OrderView[]): { completed: number; cashFen: Fen } {
  const done = orders.filter((o) => o.state === 'completed');
  return { completed: done.length, cashFen: fen(done.reduce((sum, o) => sum + (o.split?.cashFen ?? 0), 0)) };
}
