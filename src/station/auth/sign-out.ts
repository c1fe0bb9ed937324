/**
 * What follows an operator's sign-out at the station: 9002 at the insurance centre (issue 11). It runs in the
 * background — an unreachable centre must not keep the window signed in — and its outcome is audited.
 */
import type { OperatorView } from '../../shared/domain';
import type { AuditRepo } from '../store';
import { errorFields, type Logger } from '../log';

export interface SignOutDeps {
  gateway: { signOut(operator: OperatorView): Promise<boolean> };
  audit: AuditRepo;
  now: () => Date;
  log: Logger;
}

export function endOperatorSession(operator: OperatorView, deps: SignOutDeps): Promise<void> {
  return deps.gateway.signOut(operator).then(
    (sent) => {
      if (sent)
        deps.audit.append({ operatorId: operator.id, action: 'nhsa.signOut', outcome: 'ok', detail: '医保签退（9002）' }, deps.now());
    },
    (e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      deps.log.warn('9002 sign-out failed', { operatorId: operator.id, ...errorFields(e) });
      deps.audit.append(
        { operatorId: operator.id, action: 'nhsa.signOut', outcome: 'failed', detail: 'NHSA_SIGN_OUT', remote: why.slice(0, 200) },
        deps.now(),
      );
    },
  );
}

/**
 * The sign-outs still waiting for the centre (each bounded by the NHSA timeout): the station's close waits for them,
 * since each ends in an audit row — a window signed out just before the station stops must not write to a closed
 * database (an unhandled rejection in the tests that close a shift and then the station).
 */
export class SignOuts {
  private readonly pending = new Set<Promise<void>>();
  constructor(private readonly deps: SignOutDeps) {}

  end(operator: OperatorView): void {
    const p: Promise<void> = endOperatorSession(operator, this.deps)
      .catch((e: unknown) => this.deps.log.error('recording a sign-out failed', { operatorId: operator.id, ...errorFields(e) }))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
