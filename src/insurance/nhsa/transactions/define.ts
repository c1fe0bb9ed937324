/**
 * A transaction = its code, a schema for what the caller gives, how that maps onto the national input nodes,
 * and a schema for the output (which also converts wire values, e.g. yuan strings to fen). Every transaction
 * module is a handful of these definitions, so adding one of the ~150 national codes is data plus a test.
 */
import { z } from 'zod';
import type { NhsaClient } from '../client';
import type { CallContext, NhsaOutcome } from '../outcome';

/** What a transaction's wire form may take from the client's configuration. */
export interface WireContext {
  /** fixmedins_code, which some inputs repeat (2001, 9101, 9102). */
  institutionCode: string;
}

export interface TransactionSpec<In extends z.ZodType, Out extends z.ZodType> {
  infno: string;
  input: In;
  toWire: (input: z.output<In>, context: WireContext) => unknown;
  output: Out;
  /**
   * Which fields of an ok answer fail to echo what was sent (empty: it is the answer to this request). The centre
   * signs only the output, so a signed answer to another request can be replayed: one that does not echo this
   * request is an unknown outcome ('mismatch'), never a success.
   */
  echoes?: (input: z.output<In>, output: z.output<Out>, msgid: string) => string[];
}

export type Transaction<In extends z.ZodType, Out extends z.ZodType> = ((
  client: NhsaClient,
  ctx: CallContext,
  input: z.input<In>,
) => Promise<NhsaOutcome<z.output<Out>>>) & {
  readonly infno: string;
  /** The input schema, for callers that keep an input to send later (an outbox intent checks it on load). */
  readonly input: In;
};

/** The returned function rejects with a ZodError, before sending anything, if the input is invalid. */
export function defineTransaction<In extends z.ZodType, Out extends z.ZodType>(spec: TransactionSpec<In, Out>): Transaction<In, Out> {
  const send = async (client: NhsaClient, ctx: CallContext, input: z.input<In>) => {
    const parsed = spec.input.parse(input);
    const wire = spec.toWire(parsed, { institutionCode: client.institution.code });
    const outcome = narrowOutput(await client.call(spec.infno, wire, ctx), spec.output);
    const wrong = outcome.kind === 'ok' && spec.echoes ? spec.echoes(parsed, outcome.output, outcome.msgid) : [];
    if (wrong.length === 0) return outcome;
    return {
      kind: 'unknown' as const,
      reason: 'mismatch' as const,
      detail: `the answer does not echo this request: ${wrong.join(', ')}`,
      msgid: outcome.msgid,
    };
  };
  return Object.assign(send, { infno: spec.infno, input: spec.input });
}

/** An infcode-0 answer whose output is not what the transaction returns is 'unknown', not a success. */
export function narrowOutput<Out extends z.ZodType>(outcome: NhsaOutcome<unknown>, schema: Out): NhsaOutcome<z.output<Out>> {
  if (outcome.kind !== 'ok') return outcome;
  const parsed = schema.safeParse(outcome.output);
  if (parsed.success) return { ...outcome, output: parsed.data };
  // Issue paths and messages only: the received values may be personal data.
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(output)'}: ${issue.message}`).join('; ');
  return { kind: 'unknown', reason: 'schema', detail, msgid: outcome.msgid };
}

/** For transactions that answer nothing (2202, 2203, 2205, 2601 ...): whatever output comes is ignored. */
export const NoOutput = z.unknown().transform((): undefined => undefined);
