/**
 * A transaction = its code, a schema for what the caller gives, how that maps onto the national input nodes,
 * and a schema for the output (which also converts wire values, e.g. yuan strings to fen). Every transaction
 * module is a handful of these definitions, so adding one of the ~150 national codes is data plus a test.
 */
import type { z } from 'zod';
import type { NhsaClient } from '../client';
import type { CallContext, NhsaOutcome } from '../outcome';

export interface TransactionSpec<In extends z.ZodType, Out extends z.ZodType> {
  infno: string;
  input: In;
  toWire: (input: z.output<In>) => unknown;
  output: Out;
}

export type Transaction<In extends z.ZodType, Out extends z.ZodType> = (
  client: NhsaClient,
  ctx: CallContext,
  input: z.input<In>,
) => Promise<NhsaOutcome<z.output<Out>>>;

/** The returned function rejects with a ZodError, before sending anything, if the input is invalid. */
export function defineTransaction<In extends z.ZodType, Out extends z.ZodType>(
  spec: TransactionSpec<In, Out>,
): Transaction<In, Out> {
  return async (client, ctx, input) => {
    const wire = spec.toWire(spec.input.parse(input));
    return narrowOutput(await client.call(spec.infno, wire, ctx), spec.output);
  };
}

/** An infcode-0 answer whose output is not what the transaction returns is 'unknown', not a success. */
export function narrowOutput<Out extends z.ZodType>(
  outcome: NhsaOutcome<unknown>,
  schema: Out,
): NhsaOutcome<z.output<Out>> {
  if (outcome.kind !== 'ok') return outcome;
  const parsed = schema.safeParse(outcome.output);
  if (parsed.success) return { ...outcome, output: parsed.data };
  // Issue paths and messages only: the received values may be personal data.
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(output)'}: ${issue.message}`).join('; ');
  return { kind: 'unknown', reason: 'schema', detail, msgid: outcome.msgid };
}
