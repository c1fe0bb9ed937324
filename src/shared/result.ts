/**
 * Every StationApi operation answers with a Result, never a thrown error across the bridge (Signal's
 * `wrapResult`). The codes are a closed set so the renderer can show a precise, translated message.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT', // the input failed its schema; nothing was done
  'UNAUTHENTICATED', // no operator signed in on this window
  'FORBIDDEN', // the operator's role may not do this
  'BAD_CREDENTIALS', // wrong login or password
  'ACCOUNT_LOCKED', // too many failed logins
  'NOT_FOUND',
  'PATIENT_NOT_FOUND', // neither the centre nor HIS knows the patient by what was shown or typed
  'NOT_INSURED', // an insured step for a patient without insurance (F4/F5 on an uninsured patient)
  'NO_BENEFITS', // the centre's check (2001) says this visit gets no benefits (suspended scheme): self-pay instead
  'ORDER_BUSY', // the order has a movement in flight or in doubt, or a QR waiting: wait, do not repeat
  'SCAN_EXPIRED', // the scan the caller refers to is gone (too old or already used)
  'UNKNOWN_VOUCHER', // the e-voucher platform does not know this code
  'DEVICE_OFFLINE',
  'DEVICE_ERROR', // the device answered but could not do it (no card, unreadable card, refused); message says what
  'CENTRE_UNREACHABLE', // the insurance centre did not answer; nothing is known to have happened
  'CENTRE_REJECTED', // the centre answered with a business error (infcode != 0)
  'OUTCOME_UNKNOWN', // a call that may have changed state has no verified answer: the outbox resolves it
  'CONFLICT',
  'INTERNAL',
  'STORAGE_FAILED', // the station's own database refused the write (disk full, read-only): nothing was done
  'SETUP_REQUIRED', // a live station without operators: the first administrator must be created first
  'SESSION_LOCKED', // the window is locked: the same operator's password, or another operator signs it out
  'PASSWORD_CHANGE_REQUIRED', // an admin set this password: it must be changed before anything else
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code, message },
});

/** An error the core throws on purpose; the dispatcher turns it into `{ok:false}` with its code. */
export class StationError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StationError';
  }
}
