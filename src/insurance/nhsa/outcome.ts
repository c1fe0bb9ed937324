/**
 * The three outcomes of a call, kept strictly apart. Only 'ok' means the centre did it and 'rejected' means it
 * did not; everything else is 'unknown' — the centre may or may not have acted, and only a query or a
 * reversal can tell. An unknown outcome is never shown or booked as success or failure.
 */
export type UnknownReason =
  | 'timeout' // no complete answer in time
  | 'network' // connection refused / reset / closed mid-answer
  | 'http-status' // the gateway answered with a non-2xx status
  | 'redirect' // the gateway answered with a redirect: never followed
  | 'too-large' // the answer is over the configured size cap
  | 'unparsable' // the body is not a two-ends envelope
  | 'bad-signature' // the centre's signature is missing or does not verify
  | 'decrypt-failed' // the output cannot be decrypted with our key
  | 'mismatch' // inf_refmsgid is not one our centre issues, or the answer does not echo the request
  | 'duplicate-msgid' // a retransmission refused as a repeated msgid: the first one may have acted
  | 'schema'; // infcode 0 but the output is not what the transaction returns

export type NhsaOutcome<T> =
  | { kind: 'ok'; output: T; msgid: string; infRefmsgid: string; warnMsg: string }
  | { kind: 'rejected'; infcode: number; errMsg: string; msgid: string; infRefmsgid: string }
  | { kind: 'unknown'; reason: UnknownReason; detail: string; msgid: string };

export interface CallContext {
  operator: { opter: string; opterName: string; opterType: '1' | '2' | '3' };
  /** From 9001, per operator per day; absent only for 9001 itself. */
  signNo?: string;
  /** Insured region; required by the centre whenever the input names a psn_no (take it from 1101). */
  insuplcAdmdvs?: string;
  /**
   * A msgid the caller fixed (and stored) before the first attempt: the outbox's movements send with it, so a
   * retry is the same message and a 2601 reversal can name it. Absent: the client allocates one.
   */
  msgid?: string;
}
