/**
 * The service's errors as apps see them: an HTTP status and a JSON body `{ error: { code, message } }`. Codes are
 * a closed set an app can switch on; messages are Simplified Chinese for the patient's phone.
 */
import { StationError, type ErrorCode } from '../shared/result';
import { MobileSettlementError } from '../station/mobile-pay';
import { OrderLockedError } from '../station/outbox';

export const SERVICE_ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_APP',
  'BAD_SIGNATURE',
  'SESSION_INVALID',
  'STALE_REQUEST',
  'REPLAYED_REQUEST',
  'RATE_LIMITED',
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_PROGRESS',
  'NOT_FOUND',
  'NOT_ADMITTED',
  'NOT_DISCHARGE_ORDERED',
  'SECURITY_CHECK_FAILED',
  'CONFLICT',
  'BUSY',
  'UPSTREAM_REJECTED',
  'UPSTREAM_UNREACHABLE',
  'OUTCOME_UNKNOWN',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServiceErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The core's codes in the service's words: what the app can do about each. */
const FROM_CORE: Partial<Record<ErrorCode, [number, ServiceErrorCode]>> = {
  INVALID_ARGUMENT: [400, 'INVALID_INPUT'],
  NOT_FOUND: [404, 'NOT_FOUND'],
  CONFLICT: [409, 'CONFLICT'],
  ORDER_BUSY: [409, 'BUSY'],
  CENTRE_REJECTED: [502, 'UPSTREAM_REJECTED'],
  CENTRE_UNREACHABLE: [503, 'UPSTREAM_UNREACHABLE'],
  OUTCOME_UNKNOWN: [503, 'OUTCOME_UNKNOWN'],
};

export function toServiceError(e: unknown): ServiceError {
  if (e instanceof ServiceError) return e;
  if (e instanceof StationError) {
    const [status, code] = FROM_CORE[e.code] ?? [500, 'INTERNAL'];
    return new ServiceError(status, code, e.message);
  }
  // The mobile order is not in a state for the step (a bill not booked at HIS yet, say): the app's words to show.
  if (e instanceof MobileSettlementError)
    return new ServiceError(e.code === 'not-found' ? 404 : 409, e.code === 'not-found' ? 'NOT_FOUND' : 'CONFLICT', e.message);
  // Two phones on one stay: the core's outbox refuses the second movement while the first is open.
  if (e instanceof OrderLockedError) return new ServiceError(409, 'BUSY', '该次住院正在办理，请稍后查询结果');
  return new ServiceError(500, 'INTERNAL', '服务内部错误，请稍后重试');
}
