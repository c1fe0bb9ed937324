/** A self-service session's phases and the report it leaves (audit, the admin list, the tests). */
import type { OrderState } from '../../shared/domain';

export const SELF_SERVICE_PHASES = [
  'verifying',
  'identifying',
  'listing',
  'confirming-orders',
  'pre-settling',
  'confirming-split',
  'settling',
  'awaiting-paycode',
  'paying',
  'cancelling',
  'ending',
  'ended',
] as const;
export type SelfServicePhase = (typeof SELF_SERVICE_PHASES)[number];

/**
 * How a session ended: every order paid; nothing to pay; the patient cancelled / walked away (or a step timed
 * out) with nothing left booked; it could not go on (nothing left booked); an outcome is being resolved by the
 * outbox; the terminal already had a session.
 */
export type SelfServiceOutcome = 'completed' | 'no-orders' | 'cancelled' | 'timeout' | 'failed' | 'unknown' | 'busy';

export interface SelfServiceReport {
  deviceId: string;
  sessionId: string;
  outcome: SelfServiceOutcome;
  /** the last screen's message, as the patient saw it (no personal data) */
  detail: string;
  /** every order the session acted on, with its state when the session ended */
  orders: { orderId: string; state: OrderState }[];
  startedAt: string;
  endedAt: string;
}
