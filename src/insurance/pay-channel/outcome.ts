/**
 * The three outcomes of a platform call, kept apart as in the NHSA client. 'ok': the platform answered and
 * the answer verified; 'rejected': a verified, definite refusal — nothing happened there; 'unknown': anything
 * else (timeout, reset, 5xx, unparsable, unverifiable, "system busy") — it may or may not have happened, and
 * only a query (or a reverse) can tell. A timeout is never a failure.
 */
export type PayUnknownReason =
  | 'timeout'
  | 'network'
  | 'http-status'
  | 'unparsable'
  | 'bad-signature'
  | 'mismatch' // the answer names another merchant or order
  | 'schema' // a success whose fields are not what the operation returns
  | 'platform-busy'; // SYSTEMERROR / BANKERROR: the vendors' "result unknown, query"

export type PayOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'unknown'; reason: PayUnknownReason; detail: string };
