/**
 * What the centre does for each transaction it knows. A handler sees an authenticated, decrypted request and
 * answers with an output, a file or a business error; the envelope, crypto, idempotency and faults are the
 * server's business (centre.ts).
 */
import { CLEARING_HANDLERS } from './handlers/clearing';
import { fail, type Answer, type CentreRequest, type CentreState, type Handler } from './handlers/common';
import { FILE_HANDLERS } from './handlers/files';
import { IDENTITY_HANDLERS, INVALID_SIGN_NO, isSignedIn } from './handlers/identity';
import { INPATIENT_HANDLERS } from './handlers/inpatient';
import { OUTPATIENT_HANDLERS } from './handlers/outpatient';
import { QUERY_HANDLERS } from './handlers/query';
import { RECONCILIATION_HANDLERS } from './handlers/reconciliation';
import { REVERSAL_HANDLERS } from './handlers/reversal';

export { INVALID_SIGN_NO } from './handlers/identity';
export { UNKNOWN_PERSON, type Answer, type CentreRequest, type CentreState } from './handlers/common';

const HANDLERS: Readonly<Record<string, Handler>> = {
  ...IDENTITY_HANDLERS,
  ...OUTPATIENT_HANDLERS,
  ...INPATIENT_HANDLERS,
  ...REVERSAL_HANDLERS,
  ...RECONCILIATION_HANDLERS,
  ...CLEARING_HANDLERS,
  ...QUERY_HANDLERS,
  ...FILE_HANDLERS,
};

/** The transaction codes the simulated centre answers. */
export const SUPPORTED_INFNOS: readonly string[] = Object.keys(HANDLERS).sort();

/** Transactions that need no sign-in: only the sign-in itself. */
const WITHOUT_SIGN_IN = new Set(['9001']);

export function handle(req: CentreRequest, state: CentreState): Answer {
  const handler = HANDLERS[req.infno];
  if (!handler) return fail(`交易编号${req.infno}不存在或未开通`);
  if (!WITHOUT_SIGN_IN.has(req.infno) && !isSignedIn(req, state)) return fail(INVALID_SIGN_NO);
  return handler(req, state);
}
