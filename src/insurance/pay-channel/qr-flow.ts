/**
 * The merchant-presented QR payment (主扫) as a resumable state machine:
 *
 *   create ──precreate──▶ QR shown ─────────────────────────────────────────────┐
 *     │ no verified answer: precreate again (idempotent: same QR back)          ▼
 *     │ refused .................................................... done: failed
 *   waiting ──query every few seconds──▶ paid (or a notification) ......... done: paid
 *     │                                  closed / reversed / failed ........ done: closed
 *     │ expiry passed, or the cashier cancelled
 *     ▼
 *   closing ──close──▶ ok ..................................................... done: closed
 *                      ORDERPAID: the patient was quicker — back to waiting, which collects the payment
 *                      no answer: again; a definite refusal ....................... done: needs-attention
 *
 * Precreate moves no money, so re-sending it is safe; what must never happen is an order left open that a
 * patient could still pay after the station gave up — hence every path that does not end paid ends closed.
 */
import type { Fen } from '../../shared/money';
import type { PayChannelClient } from './client';
import { runFlow, type FlowRuntime } from './flow-runtime';
import type { PayOutcome } from './outcome';
import type { PaymentWallet } from './payment-code';
import type { OrderStatus, Payment, QrOrder } from './types';

export interface QrPolicy {
  /** Between status queries while the QR is shown. */
  pollIntervalMs: number;
  /** Between attempts of a precreate or close whose answer was lost. */
  retryMs: number;
  /** Close attempts without a verified answer before a person must look. */
  maxCloseAttempts: number;
}

export const DEFAULT_QR_POLICY: QrPolicy = { pollIntervalMs: 3_000, retryMs: 3_000, maxCloseAttempts: 20 };

export interface QrRequest {
  outTradeNo: string;
  totalFee: Fen;
  subject: string;
  /** The QR's last moment (epoch ms): the countdown on the screen. */
  expiresAt: number;
  wallet?: PaymentWallet;
  notifyUrl?: string;
}

export type QrEnd =
  | { result: 'paid'; payment: Payment }
  | { result: 'closed'; reason: 'expired' | 'cancelled' | 'platform' }
  | { result: 'failed'; code: string; message: string }
  | { result: 'needs-attention'; detail: string };

export type QrStep = 'create' | 'waiting' | 'closing' | 'done';

export interface QrFlowState {
  request: QrRequest;
  step: QrStep;
  dueAt: number;
  /** Known once the platform answered the precreate. */
  order?: QrOrder;
  cancelled: boolean;
  closeAttempts: number;
  lastSeen: string;
  end?: QrEnd;
}

export type QrAction = { kind: 'precreate' | 'query' | 'close'; dueAt: number };

export type QrAnswer =
  | { to: 'precreate'; outcome: PayOutcome<QrOrder> }
  | { to: 'query'; outcome: PayOutcome<OrderStatus> }
  | { to: 'close'; outcome: PayOutcome<{ outTradeNo: string }> };

export function startQrPayment(request: QrRequest, now: number): QrFlowState {
  return { request, step: 'create', dueAt: now, cancelled: false, closeAttempts: 0, lastSeen: '' };
}

export function nextQrAction(state: QrFlowState): QrAction | undefined {
  switch (state.step) {
    case 'create':
      return { kind: 'precreate', dueAt: state.dueAt };
    case 'waiting':
      return { kind: 'query', dueAt: state.dueAt };
    case 'closing':
      return { kind: 'close', dueAt: state.dueAt };
    case 'done':
      return undefined;
  }
}

/** The cashier gives up on this QR (the patient pays another way): close it now. */
export function cancelQrPayment(state: QrFlowState, now: number): QrFlowState {
  if (state.step === 'done' || state.step === 'closing') return { ...state, cancelled: true };
  return { ...state, step: 'closing', dueAt: now, cancelled: true, lastSeen: 'cancelled' };
}

/** A verified notification for this order: paid, whatever step the flow is in (unless it already ended). */
export function applyQrNotification(state: QrFlowState, payment: Payment): QrFlowState {
  if (state.step === 'done' || payment.outTradeNo !== state.request.outTradeNo) return state;
  return { ...state, step: 'done', end: { result: 'paid', payment }, lastSeen: 'paid' };
}

export function advanceQr(state: QrFlowState, answer: QrAnswer, now: number, policy: QrPolicy): QrFlowState {
  if (state.step === 'done') return state; // a notification got there first
  switch (answer.to) {
    case 'precreate':
      return afterPrecreate(state, answer.outcome, now, policy);
    case 'query':
      return afterQuery(state, answer.outcome, now, policy);
    case 'close':
      return afterClose(state, answer.outcome, now, policy);
  }
}

function afterPrecreate(state: QrFlowState, outcome: PayOutcome<QrOrder>, now: number, policy: QrPolicy): QrFlowState {
  if (outcome.kind === 'ok')
    return { ...state, step: 'waiting', order: outcome.value, dueAt: now + policy.pollIntervalMs, lastSeen: 'not-paid' };
  if (outcome.kind === 'rejected') {
    // A replayed precreate of an order that moved on: its status says how it ended.
    if (outcome.code === 'ORDERPAID' || outcome.code === 'ORDERCLOSED')
      return { ...state, step: 'waiting', dueAt: now, lastSeen: outcome.code };
    return { ...state, step: 'done', end: { result: 'failed', code: outcome.code, message: outcome.message }, lastSeen: outcome.code };
  }
  if (now >= state.request.expiresAt) return closing(state, now, `no answer: ${outcome.reason}`);
  return { ...state, dueAt: now + policy.retryMs, lastSeen: `no answer: ${outcome.reason}` };
}

function afterQuery(state: QrFlowState, outcome: PayOutcome<OrderStatus>, now: number, policy: QrPolicy): QrFlowState {
  if (outcome.kind === 'ok') {
    const order = outcome.value;
    if (order.state === 'paid' && order.payment)
      return { ...state, step: 'done', end: { result: 'paid', payment: order.payment }, lastSeen: 'paid' };
    if (order.state === 'closed' || order.state === 'reversed' || order.state === 'failed') {
      const reason = state.cancelled ? 'cancelled' : now >= state.request.expiresAt ? 'expired' : 'platform';
      return { ...state, step: 'done', end: { result: 'closed', reason }, lastSeen: order.state };
    }
  }
  const lastSeen =
    outcome.kind === 'ok' ? outcome.value.state : outcome.kind === 'rejected' ? outcome.code : `no answer: ${outcome.reason}`;
  if (state.cancelled || now >= state.request.expiresAt || (outcome.kind === 'rejected' && outcome.code === 'ORDERNOTEXIST')) {
    return closing(state, now, lastSeen);
  }
  return { ...state, dueAt: Math.min(now + policy.pollIntervalMs, state.request.expiresAt), lastSeen };
}

function afterClose(state: QrFlowState, outcome: PayOutcome<{ outTradeNo: string }>, now: number, policy: QrPolicy): QrFlowState {
  if (outcome.kind === 'ok') {
    return { ...state, step: 'done', end: { result: 'closed', reason: state.cancelled ? 'cancelled' : 'expired' }, lastSeen: 'closed' };
  }
  if (outcome.kind === 'rejected') {
    if (outcome.code === 'ORDERPAID') return { ...state, step: 'waiting', dueAt: now, lastSeen: outcome.code };
    if (outcome.code === 'CLOSE_TOO_EARLY') return { ...state, dueAt: now + policy.retryMs, lastSeen: outcome.code };
    return {
      ...state,
      step: 'done',
      end: { result: 'needs-attention', detail: `关单被拒：${outcome.code} ${outcome.message}` },
      lastSeen: outcome.code,
    };
  }
  const attempts = state.closeAttempts + 1;
  if (attempts >= policy.maxCloseAttempts) {
    return {
      ...state,
      closeAttempts: attempts,
      step: 'done',
      end: { result: 'needs-attention', detail: `关单 ${attempts} 次无应答：${outcome.detail}` },
      lastSeen: outcome.reason,
    };
  }
  return { ...state, closeAttempts: attempts, dueAt: now + policy.retryMs, lastSeen: `no answer: ${outcome.reason}` };
}

function closing(state: QrFlowState, now: number, lastSeen: string): QrFlowState {
  return { ...state, step: 'closing', dueAt: now, lastSeen };
}

export function runQrFlow(
  client: PayChannelClient,
  state: QrFlowState,
  policy: QrPolicy,
  runtime: FlowRuntime<QrFlowState>,
): Promise<QrFlowState> {
  return runFlow<QrFlowState, QrAction, QrAnswer>(
    {
      next: nextQrAction,
      perform: async (s, step): Promise<QrAnswer> => {
        const r = s.request;
        if (step.kind === 'precreate') {
          const outcome = await client.precreate({
            outTradeNo: r.outTradeNo,
            totalFee: r.totalFee,
            subject: r.subject,
            expiresAt: new Date(r.expiresAt),
            ...(r.wallet ? { wallet: r.wallet } : {}),
            ...(r.notifyUrl ? { notifyUrl: r.notifyUrl } : {}),
          });
          return { to: 'precreate', outcome };
        }
        if (step.kind === 'query') return { to: 'query', outcome: await client.query(r.outTradeNo) };
        return { to: 'close', outcome: await client.close(r.outTradeNo) };
      },
      advance: (s, _step, answer, now) => advanceQr(s, answer, now, policy),
    },
    state,
    runtime,
  );
}
