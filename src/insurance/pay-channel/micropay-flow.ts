/**
 * The customer-presented payment (被扫) as the vendors require it, written as a resumable state machine:
 *
 *   submit ──micropay──▶ paid ............................................ done: paid
 *     │                  refused (NOTENOUGH, AUTHCODEEXPIRE, ...) ......... done: failed
 *     │                  USERPAYING or no verified answer
 *     ▼
 *   polling ──query from ~5 s, every 3–5 s──▶ paid ........................ done: paid
 *     │                                       failed / closed / reversed .. done: failed or reversed
 *     │  still paying or unknown, until the limit (~60 s); or "no such order"
 *     ▼
 *   reversing ──reverse (not sooner than the vendor's minimum age)──▶ ok ... done: reversed
 *                 unknown: again, byte-identical, up to a limit; a definite refusal ... done: needs-attention
 *
 * Every transaction closes: it ends paid, failed, or reversed — never "paying". A lost micropay answer is never
 * followed by a second micropay (the code may have been charged): the state is saved as 'submitted' before the
 * request leaves, and a flow resumed from there queries. "No such order" after a lost answer is not proof that
 * nothing happened — the request may still be in flight — so it is reversed: the platform then bars that
 * out_trade_no for good.
 */
import type { PayChannelClient } from './client';
import { runFlow, type FlowRuntime } from './flow-runtime';
import type { PayOutcome } from './outcome';
import type { MicropayRequest, MicropayResult, OrderStatus, Payment, ReverseResult } from './types';

export interface MicropayPolicy {
  /** First query this long after the micropay was sent (vendors: about 5 s). */
  firstQueryAfterMs: number;
  /** Between queries (vendors: 3–5 s). */
  queryIntervalMs: number;
  /** Queries stop this long after the micropay was sent; then the order is reversed (about 60 s). */
  queryLimitMs: number;
  /** The platform refuses a reverse sooner than this after the payment (WeChat: 15 s). */
  minReverseAfterMs: number;
  /** Between reverse attempts whose answer was lost. */
  reverseRetryMs: number;
  /** Reverse attempts without a verified answer before a person must look. */
  maxReverseAttempts: number;
}

export const VENDOR_MICROPAY_POLICY: MicropayPolicy = {
  firstQueryAfterMs: 5_000,
  queryIntervalMs: 4_000,
  queryLimitMs: 60_000,
  minReverseAfterMs: 15_000,
  reverseRetryMs: 3_000,
  maxReverseAttempts: 20,
};

export type MicropayEnd =
  | { result: 'paid'; payment: Payment }
  /** Definitely not paid, nothing to undo. */
  | { result: 'failed'; code: string; message: string }
  /** Not paid: closed, refunded back to the patient, or barred before it arrived. */
  | { result: 'reversed'; action: ReverseResult['action'] }
  /** The platform refused the reverse: the outbox escalates it to a person. */
  | { result: 'needs-attention'; detail: string };

export type MicropayStep = 'submit' | 'submitted' | 'polling' | 'reversing' | 'done';

/** Plain JSON: the station stores it (sealed — it holds the payment code) and resumes from it. */
export interface MicropayFlowState {
  request: MicropayRequest;
  step: MicropayStep;
  /** When the micropay was sent (epoch ms); the query limit and reverse age count from here. */
  startedAt: number;
  /** When the next action may run (epoch ms). */
  dueAt: number;
  queries: number;
  reverseAttempts: number;
  /** What the platform said last, for the screen ("waiting for the patient's password", "no answer: timeout"). */
  lastSeen: string;
  end?: MicropayEnd;
}

export type MicropayAction = { kind: 'micropay' | 'query' | 'reverse'; dueAt: number };

export type MicropayAnswer =
  | { to: 'micropay'; outcome: PayOutcome<MicropayResult> }
  | { to: 'query'; outcome: PayOutcome<OrderStatus> }
  | { to: 'reverse'; outcome: PayOutcome<ReverseResult> };

export function startMicropay(request: MicropayRequest, now: number): MicropayFlowState {
  return { request, step: 'submit', startedAt: now, dueAt: now, queries: 0, reverseAttempts: 0, lastSeen: '' };
}

/** What to do next and when; undefined once the flow has ended. */
export function nextMicropayAction(state: MicropayFlowState): MicropayAction | undefined {
  switch (state.step) {
    case 'submit':
      return { kind: 'micropay', dueAt: state.dueAt };
    case 'submitted': // sent, answer never recorded: ask, never resend
    case 'polling':
      return { kind: 'query', dueAt: state.dueAt };
    case 'reversing':
      return { kind: 'reverse', dueAt: state.dueAt };
    case 'done':
      return undefined;
  }
}

/** To be saved before the micropay leaves: from here a crash resumes by querying. */
export function markMicropaySent(state: MicropayFlowState, now: number, policy: MicropayPolicy): MicropayFlowState {
  return { ...state, step: 'submitted', startedAt: now, dueAt: now + policy.firstQueryAfterMs };
}

export function advanceMicropay(state: MicropayFlowState, answer: MicropayAnswer, now: number, policy: MicropayPolicy): MicropayFlowState {
  switch (answer.to) {
    case 'micropay':
      return afterMicropay(state, answer.outcome, policy);
    case 'query':
      return afterQuery({ ...state, queries: state.queries + 1 }, answer.outcome, now, policy);
    case 'reverse':
      return afterReverse(state, answer.outcome, now, policy);
  }
}

function afterMicropay(state: MicropayFlowState, outcome: PayOutcome<MicropayResult>, policy: MicropayPolicy): MicropayFlowState {
  if (outcome.kind === 'ok' && outcome.value.status === 'paid')
    return done(state, { result: 'paid', payment: outcome.value.payment }, 'paid');
  if (outcome.kind === 'rejected') return done(state, { result: 'failed', code: outcome.code, message: outcome.message }, outcome.code);
  const lastSeen = outcome.kind === 'ok' ? 'user-paying' : `no answer: ${outcome.reason}`;
  return { ...state, step: 'polling', dueAt: state.startedAt + policy.firstQueryAfterMs, lastSeen };
}

function afterQuery(state: MicropayFlowState, outcome: PayOutcome<OrderStatus>, now: number, policy: MicropayPolicy): MicropayFlowState {
  if (outcome.kind === 'ok') {
    const order = outcome.value;
    if (order.state === 'paid' && order.payment) return done(state, { result: 'paid', payment: order.payment }, 'paid');
    if (order.state === 'failed' || order.state === 'closed') {
      const code = order.failCode ?? order.state.toUpperCase();
      return done(state, { result: 'failed', code, message: `支付未成功（${code}）` }, order.state);
    }
    if (order.state === 'reversed') return done(state, { result: 'reversed', action: 'closed' }, 'reversed');
  }
  if (outcome.kind === 'rejected' && outcome.code === 'ORDERNOTEXIST') return reversing(state, now, policy, 'no such order');
  const lastSeen =
    outcome.kind === 'ok' ? outcome.value.state : outcome.kind === 'rejected' ? outcome.code : `no answer: ${outcome.reason}`;
  const deadline = state.startedAt + policy.queryLimitMs;
  if (now >= deadline) return reversing(state, now, policy, lastSeen);
  return { ...state, step: 'polling', dueAt: Math.min(now + policy.queryIntervalMs, deadline), lastSeen };
}

function afterReverse(
  state: MicropayFlowState,
  outcome: PayOutcome<ReverseResult>,
  now: number,
  policy: MicropayPolicy,
): MicropayFlowState {
  if (outcome.kind === 'ok') return done(state, { result: 'reversed', action: outcome.value.action }, outcome.value.action);
  if (outcome.kind === 'rejected') {
    if (outcome.code === 'REVERSE_TOO_EARLY') {
      const dueAt = Math.max(now + policy.reverseRetryMs, state.startedAt + policy.minReverseAfterMs);
      return { ...state, step: 'reversing', dueAt, lastSeen: outcome.code };
    }
    return done(state, { result: 'needs-attention', detail: `撤销被拒：${outcome.code} ${outcome.message}` }, outcome.code);
  }
  const attempts = state.reverseAttempts + 1;
  if (attempts >= policy.maxReverseAttempts) {
    return done(
      { ...state, reverseAttempts: attempts },
      { result: 'needs-attention', detail: `撤销 ${attempts} 次无应答：${outcome.detail}` },
      outcome.reason,
    );
  }
  return {
    ...state,
    step: 'reversing',
    reverseAttempts: attempts,
    dueAt: now + policy.reverseRetryMs,
    lastSeen: `no answer: ${outcome.reason}`,
  };
}

function reversing(state: MicropayFlowState, now: number, policy: MicropayPolicy, lastSeen: string): MicropayFlowState {
  return { ...state, step: 'reversing', dueAt: Math.max(now, state.startedAt + policy.minReverseAfterMs), lastSeen };
}

function done(state: MicropayFlowState, end: MicropayEnd, lastSeen: string): MicropayFlowState {
  return { ...state, step: 'done', end, lastSeen };
}

/** Drives the flow to its end against the platform, saving every state (see runFlow). */
export function runMicropayFlow(
  client: PayChannelClient,
  state: MicropayFlowState,
  policy: MicropayPolicy,
  runtime: FlowRuntime<MicropayFlowState>,
): Promise<MicropayFlowState> {
  return runFlow<MicropayFlowState, MicropayAction, MicropayAnswer>(
    {
      next: nextMicropayAction,
      beforeSend: (s, step, now) => (step.kind === 'micropay' ? markMicropaySent(s, now, policy) : s),
      perform: async (s, step): Promise<MicropayAnswer> => {
        const outTradeNo = s.request.outTradeNo;
        if (step.kind === 'micropay') return { to: 'micropay', outcome: await client.micropay(s.request) };
        if (step.kind === 'query') return { to: 'query', outcome: await client.query(outTradeNo) };
        return { to: 'reverse', outcome: await client.reverse(outTradeNo) };
      },
      advance: (s, _step, answer, now) => advanceMicropay(s, answer, now, policy),
    },
    state,
    runtime,
  );
}
