/**
 * A bill the mobile-payment centre settled outside the station's own 6202 — its 6202 refused, or lost and settled as
 * not paid, then the patient paid in the NHSA app. The centre's callback is only a hint: the station asks 6301, and
 * that 6301 is itself a movement (mobile.6301-paid) with the centre's answer as its output, so the settlement it
 * records is a ledger event like a 6202's, published once however many callbacks arrive.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { orderStage, type OrderAnswer } from '../../insurance/mobile-pay';
import { MOVEMENT_KINDS } from '../movements';
import { NEVER_UNDONE_QUERY_TIMING, OrderLockedError, type Movement, type Outbox, type RemoteOutcome } from '../outbox';
import { asQuery, needsPerson, recordPaid, remote, type MobileMovementDeps } from './movements';
import { CentreWho } from './centre-who';
import type { MobileOrderRow, MobileOrdersRepo } from './orders-repo';

/** The order is no longer in the state the callback read: a 6202 settled it meanwhile, so there is nothing to ask. */
class OrderMovedOn extends Error {}

export const CentrePaidPayload = z.object({ payOrdId: z.string().min(1), payToken: z.string().min(1), who: CentreWho });
export type CentrePaidPayload = z.infer<typeof CentrePaidPayload>;

/** The refusal's detail when the centre does not hold the order settled: the callback was early, or wrong. */
export const NOT_SETTLED_AT_CENTRE = '医保中心订单未结算';

/** Reads only, so a lost answer is asked again; never undone (the money moved at the centre, not by this call). */
export function mobileCentrePaidMovement(d: MobileMovementDeps): Movement<CentrePaidPayload, OrderAnswer> {
  const ask = async (p: CentrePaidPayload): Promise<RemoteOutcome<OrderAnswer>> => {
    const o = remote(await d.client.query({ payOrdId: p.payOrdId, payToken: p.payToken, ...p.who }));
    if (o.kind !== 'ok' || orderStage(o.output.ordStas) === 'settled') return o;
    return { kind: 'rejected', detail: NOT_SETTLED_AT_CENTRE };
  };
  return {
    kind: MOVEMENT_KINDS.mobileCentrePaid,
    payload: CentrePaidPayload,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send: (intent) => ask(intent.payload),
    query: async (intent) => asQuery(await ask(intent.payload)),
    compensate: needsPerson,
    newCompensationId: d.newId,
    settle(_db, intent, { final, output, direct }) {
      // Not settled at the centre: the order stays as it was (the intent changed nothing before it left).
      if (final === 'succeeded' && output) recordPaid(d, intent.orderId, output, direct ? 'callback' : 'resolver');
    },
  };
}

/**
 * The callback's 6301 through the outbox: 'paid' once recorded, 'not-paid' when the centre says so, 'refused' when
 * it would not answer, 'asking' while the answer is in doubt (the resolver asks on) or another step holds the order.
 */
export async function askCentre(
  d: { outbox: Outbox; orders: Pick<MobileOrdersRepo, 'get'> },
  row: MobileOrderRow,
  payload: CentrePaidPayload,
): Promise<'paid' | 'not-paid' | 'refused' | 'asking'> {
  const unchanged = (): void => {
    if (d.orders.get(row.id)?.state !== row.state) throw new OrderMovedOn(row.id);
  };
  const externalId = `${payload.payOrdId}Q#${randomUUID().slice(0, 8)}`;
  const result = await d.outbox
    .run<CentrePaidPayload, OrderAnswer>(MOVEMENT_KINDS.mobileCentrePaid, { orderId: row.id, externalId, payload, prepare: unchanged })
    .catch((e: unknown) => (e instanceof OrderLockedError || e instanceof OrderMovedOn ? null : Promise.reject(e)));
  if (result === null) return 'asking';
  if (result.state === 'failed') return result.detail === NOT_SETTLED_AT_CENTRE ? 'not-paid' : 'refused';
  return result.state === 'succeeded' ? 'paid' : 'asking';
}
