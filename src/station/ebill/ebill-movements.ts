/**
 * The bill's two movements. Neither moves money, and neither can be undone: a lost issue is looked up by its busNo
 * (found: that bill; none: issued again under the same busNo, so one settlement never gets two bills); a lost
 * red-flush is settled by the bill's status (red-flushed: done; otherwise sent again, and the platform's "already
 * red-flushed" is done too). Both are asked again for a day; then a person decides.
 */
import { z } from 'zod';
import {
  EBILL_REFUSALS,
  type EBill,
  type EBillIssueRequest,
  type EBillOutcome,
  type EBillPort,
  type EBillWriteOffRequest,
  type RedEBill,
} from '../../insurance/ebill';
import { MOVEMENT_KINDS } from '../movements';
import {
  NEVER_UNDONE_QUERY_TIMING,
  type IntentContext,
  type Movement,
  type Outbox,
  type QueryOutcome,
  type RemoteOutcome,
} from '../outbox';
import type { EBillRecord, EBillsRepo } from './ebills-repo';

export interface EBillMovementDeps {
  port: EBillPort;
  repo: EBillsRepo;
  now: () => Date;
}

const Fen = z.number().int().nonnegative();
const Amount = z.object({ amountFen: Fen }).passthrough();

/** The request as stored in its (sealed) intent; the client checks the fields it writes, this guards a damaged row. */
export const IssuePayloadSchema = z
  .object({
    busNo: z.string().min(1),
    busType: z.string().min(1),
    busTime: z.string().min(1),
    placeCode: z.string().min(1),
    totalFen: Fen,
    payments: z.array(Amount).min(1),
    groups: z.array(Amount).min(1),
    items: z.array(Amount).min(1),
  })
  .passthrough();

/** The bill's busNo (which row the answer settles) and the platform's request. */
export const RedFlushPayloadSchema = z.object({
  busNo: z.string().min(1),
  request: z.object({
    billCode: z.string().min(1),
    billNo: z.string().min(1),
    reason: z.string(),
    operator: z.string(),
    busTime: z.string().min(1),
    placeCode: z.string().min(1),
  }),
});
export interface RedFlushPayload {
  busNo: string;
  request: EBillWriteOffRequest;
}

const registered = new WeakSet<Outbox>();

/** The orders' and the stays' bills share the two movements: registered once per outbox, by whichever comes first. */
export function registerEBillMovements(outbox: Outbox, d: EBillMovementDeps): void {
  if (registered.has(outbox)) return;
  registered.add(outbox);
  outbox.register(issueMovement(d));
  outbox.register(redFlushMovement(d));
}

/** The red-flush of an issued bill, naming who asked the refund or undo. */
export function redFlushPayload(bill: EBillRecord, reason: string, operator: string, now: Date, placeCode: string): RedFlushPayload {
  return {
    busNo: bill.busNo,
    request: { billCode: bill.billCode ?? '', billNo: bill.billNo ?? '', reason, operator, busTime: now.toISOString(), placeCode },
  };
}

function remote<T>(o: EBillOutcome<T>): RemoteOutcome<T> {
  if (o.kind === 'ok') return { kind: 'ok', output: o.value };
  if (o.kind === 'rejected') return { kind: 'rejected', detail: `${o.code} ${o.message}` };
  return { kind: 'unknown', detail: `${o.reason}: ${o.detail}` };
}

function asQuery<T>(o: RemoteOutcome<T>): QueryOutcome<T> {
  if (o.kind === 'ok') return { kind: 'happened', output: o.output };
  if (o.kind === 'rejected') return { kind: 'did-not-happen', detail: o.detail };
  return o;
}

const CANNOT_UNDO = { kind: 'rejected', detail: '电子票据不能自动撤销，请人工核实' } as const;

export function issueMovement(d: EBillMovementDeps): Movement<EBillIssueRequest, EBill> {
  const send = async (intent: IntentContext<EBillIssueRequest>) => remote(await d.port.issue(intent.payload));
  return {
    kind: MOVEMENT_KINDS.ebillIssue,
    payload: IssuePayloadSchema,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send,
    async query(intent) {
      const found = await d.port.byBusNo(intent.payload.busNo, intent.payload.busTime);
      if (found.kind === 'ok' && found.value) return { kind: 'happened', output: found.value };
      if (found.kind !== 'ok') return { kind: 'unknown', detail: `byBusNo ${remote(found).kind === 'rejected' ? 'refused' : 'lost'}` };
      return asQuery(await send(intent)); // none under this busNo: the first call never got there
    },
    compensate: async () => CANNOT_UNDO,
    newCompensationId: () => `EBX${d.now().getTime()}`,
    settle: (_db, intent, { final, output }) => {
      if (final === 'succeeded' && output) d.repo.issued(intent.payload.busNo, output, d.now());
      else d.repo.refused(intent.payload.busNo, d.now());
    },
  };
}

/** `null` output: the platform said it was already red-flushed. */
export function redFlushMovement(d: EBillMovementDeps): Movement<RedFlushPayload, RedEBill | null> {
  const send = async (intent: IntentContext<RedFlushPayload>): Promise<RemoteOutcome<RedEBill | null>> => {
    const o = await d.port.redFlush(intent.payload.request);
    if (o.kind === 'rejected' && o.code === EBILL_REFUSALS.alreadyRedFlushed) return { kind: 'ok', output: null };
    return remote(o);
  };
  return {
    kind: MOVEMENT_KINDS.ebillRedFlush,
    payload: RedFlushPayloadSchema,
    onUnknown: 'query',
    queryTiming: NEVER_UNDONE_QUERY_TIMING,
    send,
    async query(intent) {
      const status = await d.port.status(intent.payload.request.billCode, intent.payload.request.billNo);
      if (status.kind === 'ok' && status.value.redFlushed) return { kind: 'happened', output: null };
      if (status.kind !== 'ok') return { kind: 'unknown', detail: `status ${status.kind}` };
      return asQuery(await send(intent));
    },
    compensate: async () => CANNOT_UNDO,
    newCompensationId: () => `EBRX${d.now().getTime()}`,
    // A refused red-flush is not sent again by itself: the bill says so, the intent keeps the platform's words.
    settle: (_db, intent, { final, output }) => {
      if (final === 'succeeded') d.repo.redFlushed(intent.payload.busNo, output ?? null, d.now());
      else d.repo.redFlushRefused(intent.payload.busNo, d.now());
    },
  };
}
