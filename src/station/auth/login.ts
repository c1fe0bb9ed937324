/**
 * Operator sign-in for the station (not the insurance 9001 — see insurance/nhsa-gateway). Each attempt is
 * counted before its password is verified (OperatorsRepo.reserveAttempt), so parallel wrong attempts cannot
 * outrun the lockout; an unknown login costs the same KDF time as a known one, is audited without what was
 * typed, and gets the same countdown and lock (held in memory only), so neither timing, the audit trail nor the
 * messages tell whether a 工号 exists.
 */
import { createHash } from 'node:crypto';
import { StationError } from '../../shared/result';
import type { SignedInOperator } from '../../shared/domain';
import { operatorView, type AuditRepo, type OperatorsRepo } from '../store';
import { hashPassword, verifyPassword, type KdfCost } from '../security';

export interface LockoutPolicy {
  maxAttempts: number;
  lockMinutes: number;
}

/** How many unknown logins' countdowns are kept; the oldest go first (a flood of guesses must not grow memory). */
const UNKNOWN_KEPT = 10_000;

type Reservation = { granted: true; attempts: number; locksNow: boolean } | { granted: false; lockedUntil: string };

export class LoginService {
  private dummyHash: Promise<string> | undefined;
  /** Unknown or disabled logins (by a digest of what was typed, never persisted): their attempts and lock. */
  private readonly unknown = new Map<string, { attempts: number; lockedUntil: string | null }>();

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
    const lockUntil = new Date(this.now().getTime() + this.policy.lockMinutes * 60_000);
    if (!row || row.disabled) {
      const attempt = this.reserveUnknown(login, lockUntil);
      if (!attempt.granted) throw this.locked(attempt.lockedUntil);
      this.dummyHash ??= hashPassword('not-a-password', this.kdfCost);
      await verifyPassword(password, await this.dummyHash);
      this.audit.append({ operatorId: null, action: 'login', outcome: 'failed', detail: '未知或停用的工号' }, this.now());
      throw this.wrong(attempt, lockUntil);
    }
    const attempt = this.operators.reserveAttempt(row.id, this.policy.maxAttempts, lockUntil, this.now());
    if (!attempt.granted) {
      this.audit.append({ operatorId: row.id, action: 'login', outcome: 'denied', detail: '账户已锁定' }, this.now());
      throw this.locked(attempt.lockedUntil);
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      this.audit.append(
        { operatorId: row.id, action: 'login', outcome: 'failed', detail: `密码错误（第 ${attempt.attempts} 次）` },
        this.now(),
      );
      throw this.wrong(attempt, lockUntil);
    }
    this.operators.recordSuccess(row.id);
    this.audit.append({ operatorId: row.id, action: 'login', outcome: 'ok' }, this.now());
    return operatorView(row);
  }

  private locked(until: string): StationError {
    return new StationError('ACCOUNT_LOCKED', `连续输错密码，账户已锁定至 ${this.formatTime(until)}`);
  }

  private wrong(attempt: { attempts: number; locksNow: boolean }, lockUntil: Date): StationError {
    if (attempt.locksNow) {
      return new StationError(
        'ACCOUNT_LOCKED',
        `连续输错密码 ${attempt.attempts} 次，账户已锁定至 ${this.formatTime(lockUntil.toISOString())}`,
      );
    }
    return new StationError('BAD_CREDENTIALS', `工号或密码错误，还可尝试 ${this.policy.maxAttempts - attempt.attempts} 次`);
  }

  /** OperatorsRepo.reserveAttempt's rule for a login with no account: same counts, same lock, in memory. */
  private reserveUnknown(login: string, lockUntil: Date): Reservation {
    const key = createHash('sha256').update(login).digest('base64');
    const now = this.now().toISOString();
    const entry = this.unknown.get(key) ?? { attempts: 0, lockedUntil: null };
    if (entry.lockedUntil !== null && entry.lockedUntil > now) return { granted: false, lockedUntil: entry.lockedUntil };
    const attempts = entry.lockedUntil !== null ? 1 : entry.attempts + 1;
    const locksNow = attempts >= this.policy.maxAttempts;
    this.unknown.delete(key); // re-inserted last: the map's order is the eviction order
    this.unknown.set(key, { attempts, lockedUntil: locksNow ? lockUntil.toISOString() : null });
    if (this.unknown.size > UNKNOWN_KEPT) this.unknown.delete(this.unknown.keys().next().value!);
    return { granted: true, attempts, locksNow };
  }

  private formatTime(iso: string): string {
    return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: this.timeZone });
  }
}
