/**
 * Operator management (issue 11): the first administrator of a live station, then creating operators,
 * resetting passwords, unlocking, disabling and enabling — for the admin screen and the IT command line alike.
 * Every password an admin sets must be changed at the operator's next sign-in; every act is audited with who
 * did it (an operator, or null for the command line at the station's own machine) and to whom.
 */
import { StationError } from '../../shared/result';
import { ROLE_LABELS, type OperatorAdminView, type Role } from '../../shared/domain';
import type { AuditRepo, OperatorRow, OperatorsRepo } from '../store';
import { hashPassword, verifyPassword, type KdfCost } from '../security';
import { passwordProblem } from './password-policy';

/** Who acts: a signed-in administrator's id, or null for the IT command line. */
export type Actor = string | null;

export interface NewOperator {
  id: string;
  name: string;
  roles: Role[];
  password: string;
}

export class OperatorAdmin {
  constructor(
    private readonly operators: OperatorsRepo,
    private readonly audit: AuditRepo,
    private readonly kdfCost: KdfCost,
    private readonly now: () => Date,
    /** Training stations seed their operators and never need setting up. */
    private readonly training: boolean,
    /** The station's own self-service operator, which is not a person and not listed. */
    private readonly selfServiceId: string,
  ) {}

  needsSetup(): boolean {
    return !this.training && this.operators.countExcept(this.selfServiceId) === 0;
  }

  list(): OperatorAdminView[] {
    return this.operators.listForAdmin(this.selfServiceId);
  }

  /** The first administrator of a live station; refused once any operator exists. */
  async setUpFirstAdmin(op: Omit<NewOperator, 'roles'>): Promise<void> {
    if (!this.needsSetup()) throw new StationError('CONFLICT', '本工作站已有操作员，请由管理员登录后管理');
    this.checkPassword(op.password, op.id);
    this.operators.insert(
      { id: op.id, name: op.name, roles: ['admin'], passwordHash: await hashPassword(op.password, this.kdfCost) },
      this.now(),
    );
    this.record(op.id, 'operators.setup', op.id, `创建首个管理员 ${op.id} ${op.name}`);
  }

  async add(actor: Actor, op: NewOperator): Promise<OperatorAdminView> {
    if (op.id === this.selfServiceId || this.operators.find(op.id)) throw new StationError('CONFLICT', `工号 ${op.id} 已存在`);
    this.checkPassword(op.password, op.id);
    const passwordHash = await hashPassword(op.password, this.kdfCost);
    this.operators.insert({ id: op.id, name: op.name, roles: op.roles, passwordHash, mustChangePassword: true }, this.now());
    this.record(actor, 'operators.add', op.id, `新增操作员 ${op.id} ${op.name}（${op.roles.map((r) => ROLE_LABELS[r]).join('、')}）`);
    return this.view(op.id);
  }

  async resetPassword(actor: Actor, id: string, password: string): Promise<OperatorAdminView> {
    const row = this.existing(id);
    this.checkPassword(password, id);
    if (await verifyPassword(password, row.password_hash)) throw new StationError('INVALID_ARGUMENT', '新密码不能与原密码相同');
    this.operators.setPassword(id, await hashPassword(password, this.kdfCost), true);
    this.record(actor, 'operators.reset', id, `重置 ${id} 的密码（下次登录须修改）`);
    return this.view(id);
  }

  unlock(actor: Actor, id: string): OperatorAdminView {
    this.existing(id);
    this.operators.unlock(id);
    this.record(actor, 'operators.unlock', id, `解锁 ${id}`);
    return this.view(id);
  }

  disable(actor: Actor, id: string): OperatorAdminView {
    const row = this.existing(id);
    if (actor === id) throw new StationError('CONFLICT', '不能停用自己的账户');
    if (!row.disabled && this.view(id).roles.includes('admin') && this.operators.countEnabledWithRole('admin', id) === 0) {
      throw new StationError('CONFLICT', '不能停用最后一个可用的系统管理员');
    }
    this.operators.setDisabled(id, true);
    this.record(actor, 'operators.disable', id, `停用 ${id}`);
    return this.view(id);
  }

  enable(actor: Actor, id: string): OperatorAdminView {
    this.existing(id);
    this.operators.setDisabled(id, false);
    this.record(actor, 'operators.enable', id, `启用 ${id}`);
    return this.view(id);
  }

  /** The operator's own change, required after an admin set the password. */
  async changeOwnPassword(id: string, current: string, next: string): Promise<void> {
    const row = this.existing(id);
    if (!(await verifyPassword(current, row.password_hash))) throw new StationError('BAD_CREDENTIALS', '原密码不正确');
    this.checkPassword(next, id);
    if (next === current) throw new StationError('INVALID_ARGUMENT', '新密码不能与原密码相同');
    this.operators.setPassword(id, await hashPassword(next, this.kdfCost), false);
    this.record(id, 'operators.changePassword', id, '修改本人密码');
  }

  private checkPassword(password: string, id: string): void {
    const problem = passwordProblem(password, id);
    if (problem) throw new StationError('INVALID_ARGUMENT', problem);
  }

  private existing(id: string): OperatorRow {
    const row = id === this.selfServiceId ? undefined : this.operators.find(id);
    if (!row) throw new StationError('NOT_FOUND', `没有工号为 ${id} 的操作员`);
    return row;
  }

  private view(id: string): OperatorAdminView {
    const view = this.list().find((o) => o.id === id);
    if (!view) throw new StationError('NOT_FOUND', `没有工号为 ${id} 的操作员`);
    return view;
  }

  private record(actor: Actor, action: string, target: string, detail: string): void {
    this.audit.append(
      { operatorId: actor, action, outcome: 'ok', detail: `${actor ? '' : '信息科命令行：'}${detail}（对象 ${target}）` },
      this.now(),
    );
  }
}
