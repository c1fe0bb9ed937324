/**
 * Operator sign-in for the station (not the insurance 9001 — see insurance/nhsa-gateway). Each attempt is
 * counted before its password is verified (OperatorsRepo.reserveAttempt), so parallel wrong attempts cannot
 * outrun the lockout; an unknown login costs the same KDF time as a known one and is audited without what was
 * typed, so neither timing nor the audit trail reveals or stores guessed logins.
 */
import { StationError } from '../../shared/result';
import type { SignedInOperator } from '../../shared/domain';
import { operatorView, type AuditRepo, type OperatorsRepo } from '../store';
import { hashPassword, verifyPassword, type KdfCost } from '../security';

export interface LockoutPolicy {
  maxAttempts: number;
  lockMinutes: number;
}

export class LoginService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly operators: OperatorsRepo,
    private readonly audit: AuditRepo,
    private readonly policy: LockoutPolicy,
    private readonly kdfCost: KdfCost,
    private readonly now: () => Date,
    /** The station's configured zone, for the lock time the operator reads. */
    private readonly timeZone: string,
  ) {}

  async login(login: string, password: string): Promise<SignedInOperator> {
    const row = this.operators.find(login);
    if (!row || row.disabled) {
      this.dummyHash ??= hashPassword('not-a-password', this.kdfCost);
      await verifyPassword(password, await this.dummyHash);
      this.audit.append({ operatorId: null, action: 'login', outcome: 'failed', detail: '未知或停用的工号' }, this.now());
      throw new StationError('BAD_CREDENTIALS', '工号或密码错误');
    }
    const lockUntil = new Date(this.now().getTime() + this.policy.lockMinutes * 60_000);
    const attempt = this.operators.reserveAttempt(row.id, this.policy.maxAttempts, lockUntil, this.now());
    if (!attempt.granted) {
      this.audit.append({ operatorId: row.id, action: 'login', outcome: 'denied', detail: '账户已锁定' }, this.now());
      throw new StationError('ACCOUNT_LOCKED', `连续输错密码，账户已锁定至 ${this.formatTime(attempt.lockedUntil)}`);
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      this.audit.append(
        { operatorId: row.id, action: 'login', outcome: 'failed', detail: `密码错误（第 ${attempt.attempts} 次）` },
        this.now(),
      );
      if (attempt.locksNow) {
        throw new StationError(
          'ACCOUNT_LOCKED',
          `连续输错密码 ${attempt.attempts} 次，账户已锁定至 ${this.formatTime(lockUntil.toISOString())}`,
        );
      }
      throw new StationError('BAD_CREDENTIALS', `工号或密码错误，还可尝试 ${this.policy.maxAttempts - attempt.attempts} 次`);
    }
    this.operators.recordSuccess(row.id);
    this.audit.append({ operatorId: row.id, action: 'login', outcome: 'ok' }, this.now());
    return operatorView(row);
  }

  private formatTime(iso: string): string {
    return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: this.timeZone });
  }
}
