/**
 * What every NHSA movement shares: the operator and insured region a call is made for, how an answer maps onto
 * the outbox's three outcomes, the 2601 reversal by msgid, and the shape of a cancel (2208/2205/2202 …) that the
 * station never undoes.
 */
import { z } from 'zod';
import { Role } from '../../shared/domain';
import { NotReversibleError, reverseTransaction, type CallContext, type NhsaClient, type NhsaOutcome } from '../../insurance/nhsa';
import type { CentrePort } from '../ports';
import type { CancelState } from './centre-state';
import type { VisitSettlement } from './settlement-state';
import {
  NEVER_UNDONE_QUERY_TIMING,
  type CompensationOutcome,
  type IntentContext,
  type Movement,
  type QueryOutcome,
  type RemoteOutcome,
} from '../outbox';

/** Who a centre call is made for; every NHSA payload carries it so the resolver can act after a restart. */
export const NhsaPayloadBase = z.object({
  operator: z.object({ id: z.string().min(1), name: z.string(), role: Role }),
  insuredRegion: z.string().min(1),
  psnNo: z.string().min(1),
});
export type NhsaPayload = z.infer<typeof NhsaPayloadBase>;

/** How centres word "there is nothing of that msgid to reverse" (it never arrived, or it failed there). */
const NOTHING_TO_REVERSE = /原交易不存在|原交易未找到|无此交易|原交易未成功|无需冲正/;

export function fromNhsa<T>(o: NhsaOutcome<T>): RemoteOutcome<T> {
  if (o.kind === 'ok') return { kind: 'ok', output: o.output };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: o.errMsg || `infcode ${o.infcode}` };
  return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
}

/**
 * 2601 naming the original msgid (冲正): the undo for a lost 2207 (and a lost 2201 where the province allows it) —
 * the ids a 2208 or a 5203 query would need were in the lost answer. Its answers carry no output, so nothing the
 * centre signs: with `confirm`, "done" and "nothing to undo" count only once a signed query agrees the original
 * is not (or no longer) there. A transaction outside the reversible list is refused here, before anything is
 * sent: the undo stays with a person.
 */
export function reverseByMsgid<P extends NhsaPayload = NhsaPayload>(
  gateway: CentrePort,
  oinfno: string,
  confirm?: (payload: P) => Promise<OriginalState>,
) {
  return async (intent: IntentContext<P> & { compExternalId: string }): Promise<CompensationOutcome> => {
    const { operator, insuredRegion, psnNo } = intent.payload;
    let o: NhsaOutcome<undefined>;
    try {
      o = await gateway.perform(
        '2601',
        operator,
        (client, ctx) => reverseTransaction(client, ctx, { psn_no: psnNo, omsgid: intent.externalId, oinfno }),
        { insuredRegion, msgid: intent.compExternalId },
      );
    } catch (e) {
      if (!(e instanceof NotReversibleError)) throw e;
      return { kind: 'rejected', detail: `交易${oinfno}不在本省可冲正（2601）交易之列，未发送冲正，需人工核实` };
    }
    if (o.kind === 'unknown') return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
    if (o.kind === 'rejected' && !NOTHING_TO_REVERSE.test(o.errMsg)) return { kind: 'rejected', detail: o.errMsg };
    const claimed: CompensationOutcome = o.kind === 'ok' ? { kind: 'ok' } : { kind: 'nothing-to-undo' };
    if (!confirm) return claimed;
    const state = await confirm(intent.payload);
    if (state.kind === 'gone') return claimed;
    return { kind: 'unknown', detail: `2601 answered ${claimed.kind}, not confirmed: ${state.detail}` };
  };
}

/** What a signed query shows of the original a 2601 named: gone (never there, or undone), still there, or unknown. */
export type OriginalState = { kind: 'gone' } | { kind: 'there'; detail: string } | { kind: 'unknown'; detail: string };

/** A settlement's original, by 5204: gone once no fee line of the visit is settled. */
export function settlementOriginal(state: VisitSettlement): OriginalState {
  if (state.kind === 'not-settled') return { kind: 'gone' };
  return state.kind === 'settled' ? { kind: 'there', detail: 'the centre still holds the settlement' } : state;
}

/**
 * A refusal carries nothing the centre signs (the sm signature over an empty output fits any answer), so a
 * refused settlement stands only once a signed query says the visit is not settled; otherwise its outcome is
 * unknown and resolved like a lost answer — never "nothing happened", which would reopen the order.
 */
export async function confirmRefusal<O>(refused: RemoteOutcome<O>, state: () => Promise<VisitSettlement>): Promise<RemoteOutcome<O>> {
  if (refused.kind !== 'rejected') return refused;
  const found = await state();
  if (found.kind === 'not-settled') return refused;
  const why = found.kind === 'settled' ? 'the centre holds a settlement of the visit' : found.detail;
  return { kind: 'unknown', detail: `refused (${refused.detail}), not confirmed: ${why}` };
}

/** Sends one NHSA transaction for an intent, under the intent's msgid. */
export async function sendNhsa<P extends Pick<NhsaPayload, 'operator' | 'insuredRegion'>, O>(
  gateway: CentrePort,
  infno: string,
  intent: IntentContext<P>,
  call: (client: NhsaClient, ctx: CallContext, payload: P) => Promise<NhsaOutcome<O>>,
): Promise<RemoteOutcome<O>> {
  const { operator, insuredRegion } = intent.payload;
  return fromNhsa(
    await gateway.perform(infno, operator, (c, ctx) => call(c, ctx, intent.payload), { insuredRegion, msgid: intent.externalId }),
  );
}

/**
 * A cancel the station never undoes (2208 settlement, 2205 fees, 2202 registration). After a lost answer it is
 * sent again with the same msgid: the centre answers a repeated msgid with its first answer, so the repeat
 * cannot cancel twice. If the centre refuses for good, a person decides.
 *
 * With `confirm`, an answer without signed content — any refusal, an "ok" with an empty output — counts only once
 * a signed query agrees: "ok" the query contradicts, or a query that fails, is unknown (repeated under the same
 * msgid); "refused" the query shows done is done; "refused" the query shows not done is the real refusal.
 */
export function cancelMovement<P extends NhsaPayload, O>(spec: {
  kind: string;
  infno: string;
  payload: z.ZodType<unknown>;
  call: (client: NhsaClient, ctx: CallContext, payload: P) => Promise<NhsaOutcome<O>>;
  gateway: CentrePort;
  newMsgid: () => string;
  settle: Movement<P, O>['settle'];
  confirm?: (payload: P) => Promise<CancelState<O>>;
  /** false for a payload the query cannot show done (its answer then stands as given); true by default. */
  confirmable?: (payload: P) => boolean;
}): Movement<P, O> {
  const { confirm, confirmable = () => true } = spec;
  const send = async (intent: IntentContext<P>) =>
    confirmCancel(
      await sendNhsa(spec.gateway, spec.infno, intent, spec.call),
      confirm && confirmable(intent.payload) ? () => confirm(intent.payload) : undefined,
    );
  return {
    kind: spec.kind,
    payload: spec.payload,
    onUnknown: 'query',
    // Never undone, and asking again under the same msgid is always safe: a centre that does not answer for a while
    // (an outage, a station back from a crash) is asked again calmly for a day, not handed to a person within minutes.
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send,
    async query(intent): Promise<QueryOutcome<O>> {
      const again = await send(intent);
      if (again.kind === 'ok') return { kind: 'happened', output: again.output };
      if (again.kind === 'rejected') return { kind: 'did-not-happen' };
      return { kind: 'unknown', detail: again.detail };
    },
    compensate: async () => ({ kind: 'rejected', detail: '撤销结果无法确认，需人工核实' }),
    newCompensationId: spec.newMsgid,
    settle: spec.settle,
  };
}

/** A cancel's answer held against what a signed query shows (see `cancelMovement`); an "ok" with content stands. */
export async function confirmCancel<O>(answer: RemoteOutcome<O>, state?: () => Promise<CancelState<O>>): Promise<RemoteOutcome<O>> {
  if (!state || answer.kind === 'unknown' || (answer.kind === 'ok' && answer.output !== undefined)) return answer;
  const said = answer.kind === 'ok' ? 'answered ok' : `refused (${answer.detail})`;
  const found = await state();
  if (found.kind === 'unknown') return { kind: 'unknown', detail: `${said}, not confirmed: ${found.detail}` };
  if (found.kind === 'done') return answer.kind === 'ok' ? answer : { kind: 'ok', output: found.output };
  if (answer.kind === 'rejected') return answer;
  return { kind: 'unknown', detail: `${said}, but the centre shows it not done` };
}
