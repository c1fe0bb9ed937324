/**
 * 2601 冲正交易: undo a transaction whose outcome the station could not learn, by naming its msgid. The centre
 * answers the same for a second reversal of the same msgid, so the outbox may repeat it after an unknown outcome.
 * Which transactions may be reversed is the province's rule (NhsaConfig.reversibleInfnos): anything else is
 * refused here, before a msgid is spent.
 */
import { z } from 'zod';
import type { NhsaClient } from '../client';
import { MSGID_LENGTH } from '../msgid';
import type { CallContext, NhsaOutcome } from '../outcome';
import { requiredInputText } from '../wire';
import { defineTransaction, NoOutput } from './define';

const ReversalInput = z.object({
  psn_no: requiredInputText(30),
  /** The msgid of the transaction to undo (原发送方报文ID). */
  omsgid: z.string().length(MSGID_LENGTH),
  /** Its transaction code (原交易编号). */
  oinfno: z.string().regex(/^\d{4}$/),
});

const send = defineTransaction({ infno: '2601', input: ReversalInput, toWire: (data) => ({ data }), output: NoOutput });

export type ReversalInput = z.input<typeof ReversalInput>;

export class NotReversibleError extends Error {
  constructor(readonly oinfno: string) {
    super(`transaction ${oinfno} cannot be reversed by 2601 in this province (NhsaConfig.reversibleInfnos)`);
    this.name = 'NotReversibleError';
  }
}

/** Rejects with NotReversibleError (nothing sent) when the province does not allow reversing `oinfno`. */
export const reverseTransaction = Object.assign(
  async (client: NhsaClient, ctx: CallContext, input: ReversalInput): Promise<NhsaOutcome<undefined>> => {
    if (!client.canReverse(input.oinfno)) throw new NotReversibleError(input.oinfno);
    return send(client, ctx, input);
  },
  { infno: '2601' },
);
