/**
 * Operator sign-in for the station (not the insurance 9001 — see insurance/nhsa-gateway). Wrong passwords are
 * audited and lock the account after a configured number of attempts; an unknown login costs the same KDF time
 * as a known one, so response time does not reveal which logins exist.
 */
import { StationError } from '../../shared/result';
import type { OperatorView } from '../../shared/domain';
import type { AuditRepo, OperatorsRepo } from '../store';
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
  ) {}

  async login(login: string, password: string): Promise<OperatorView> {
    const row = this.operators.find(login);
    if (!row || row.disabled) {
      this.dummyHash ??= hashPassword('not-a-password', this.kdfCost);
      await verifyPassword(password, await this.dummyHash);
      this.audit.append({ operatorId: null, action: 'login', outcome: 'failed', detail: `未知或停用的工号 ${login}` }, this.now());
      throw new StationError('BAD_CREDENTIALS', '工号或密码错误');
    }
    if (row.locked_until && new Date(row.locked_until) > this.now()) {
      this.audit.append({ operatorId: row.id, action: 'login', outcome: 'denied', detail: '账户已锁定' }, this.now());
      throw new StationError('ACCOUNT_LOCKED', `连续输错密码，账户已锁定至 ${formatTime(row.locked_until)}`);
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      const lockUntil = new Date(this.now().getTime() + this.policy.lockMinutes * 60_000);
      const { attempts, locked } = this.operators.recordFailure(row.id, this.policy.maxAttempts, lockUntil);
      this.audit.append({ operatorId: row.id, action: 'login', outcome: 'failed', detail: `密码错误（第 ${attempts} 次）` }, this.now());
      if (locked) throw new StationError('ACCOUNT_LOCKED', `连续输错密码 ${attempts} 次，账户已锁定 ${this.policy.lockMinutes} 分钟`);
      throw new StationError('BAD_CREDENTIALS', '工号或密码错误');
    }
    this.operators.recordSuccess(row.id);
    this.audit.append({ operatorId: row.id, action: 'login', outcome: 'ok' }, this.now());
    return { id: row.id, name: row.name, role: row.role };
  }
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
}
