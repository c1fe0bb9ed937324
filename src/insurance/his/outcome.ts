/**
 * The three outcomes of a HIS call, as for the other remotes: 'ok' (a verified success), 'rejected' (a
 * verified business refusal — nothing changed in HIS), 'unknown' (no verified answer, or HIS said it is busy:
 * a settle confirm may or may not have been booked, and only settle.get or a retry with the same settle id
 * can tell).
 */
export type HisUnknownReason = 'timeout' | 'network' | 'http-status' | 'unparsable' | 'bad-signature' | 'mismatch' | 'schema' | 'his-busy';

export type HisOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'rejected'; code: string; message: string }
  | { kind: 'unknown'; reason: HisUnknownReason; detail: string };
