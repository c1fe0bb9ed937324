/**
 * A Movement is one kind of call that moves money or insurance state (2201, 2207, a micropay, a refund, HIS
 * settle-confirm …): how to send it, how to ask the remote whether it happened, how to undo it, and what its
 * final state means for the business rows. The outbox owns *when*; a Movement owns *how*.
 */
import type { ZodType } from 'zod';
import type { Db } from '../store';

/** What a remote said. Only `unknown` is ever resolved later; `rejected` means nothing happened there. */
export type RemoteOutcome<O = unknown> =
  { kind: 'ok'; output: O } | { kind: 'rejected'; detail: string } | { kind: 'unknown'; detail: string };

/** The answer to "did it happen?"; a did-not-happen may carry the remote's words (a refusal when asked again). */
export type QueryOutcome<O = unknown> =
  { kind: 'happened'; output: O } | { kind: 'did-not-happen'; detail?: string } | { kind: 'unknown'; detail: string };

/** The answer to a compensation. `nothing-to-undo`: the remote has no trace of the original. */
export type CompensationOutcome =
  { kind: 'ok' } | { kind: 'nothing-to-undo' } | { kind: 'rejected'; detail: string } | { kind: 'unknown'; detail: string };

export interface IntentContext<P> {
  id: string;
  orderId: string;
  externalId: string;
  compExternalId: string | null;
  payload: P;
}

export interface QueryTiming {
  firstAfterMs: number;
  everyMs: number;
  windowMs: number;
}

export type FinalState = 'succeeded' | 'failed' | 'compensated';

/** How a movement ended, as its `settle` sees it. */
export interface Finished<O> {
  final: FinalState;
  output: O | undefined;
  /** The remote's words for a definite answer (a refusal's message), or the resolver's note. */
  detail: string;
  /** The answer came back to the call itself (`run()`): its caller acts on it next, not the saga's next-step table. */
  direct: boolean;
}

export interface Movement<P = unknown, O = unknown> {
  readonly kind: string;
  /**
   * What a payload of this kind must look like. Checked before the intent is written and again whenever it is
   * loaded back from the database (a row from an older version, or a damaged one, is escalated with the reason
   * rather than sent).
   */
  readonly payload: ZodType<unknown>;
  /**
   * After an unknown outcome: 'query' asks first (a payment order, a HIS confirm), then undoes only if the remote
   * cannot tell; 'compensate' undoes straight away (NHSA 2207: a lost settlement is reversed by 2601 with the
   * original msgid — 冲正 — and the order may be settled again afterwards).
   */
  readonly onUnknown: 'query' | 'compensate';
  /**
   * For 'query' movements whose remote prescribes the pace (WeChat/Alipay payment codes: first query after ~5 s,
   * then every 3–5 s, reverse after ~60 s). Absent: the outbox policy's backoff and query window.
   */
  readonly queryTiming?: QueryTiming;
  /** Instead of `queryTiming` when the pace depends on the intent (a QR asked after until its own expiry). */
  timingFor?(payload: P): QueryTiming;
  send(intent: IntentContext<P>): Promise<RemoteOutcome<O>>;
  query?(intent: IntentContext<P>): Promise<QueryOutcome<O>>;
  /** Undoes the movement with `compExternalId` (fixed and stored before this is called); idempotent remotely. */
  compensate(intent: IntentContext<P> & { compExternalId: string }): Promise<CompensationOutcome>;
  /** A fresh id for the compensating call (e.g. a new msgid for 2601). */
  newCompensationId(): string;
  /** Applies the final state to the business rows, inside the transaction that records it. */
  settle(db: Db, intent: IntentContext<P>, finished: Finished<O>): void;
}

/**
 * A movement that has just reached its final state, as the outbox's `onFinal` hook sees it — inside the
 * transaction that records it, after the movement's `settle` wrote its business rows.
 */
export interface FinalMovement extends IntentContext<unknown> {
  kind: string;
  final: FinalState;
  output: unknown;
  /** 'station' (the call's own answer), 'resolver', or the operator who decided an escalated intent. */
  actor: string;
  at: Date;
}

/**
 * A step the station never undoes (a fee batch, HIS's booking, a mobile pay order or refund) is asked again under its
 * own id for a day, calmly: a station back from a crash past the short query window, or a remote that does not
 * answer its queries for a while, must not push it into a compensation it does not have.
 */
export const NEVER_UNDONE_QUERY_TIMING = { firstAfterMs: 0, everyMs: 15_000, windowMs: 24 * 3600_000 } as const;
