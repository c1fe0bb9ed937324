/**
 * An administrator's quick reversal from the finance lists (HX-37, HX-43), through the sagas the cashier uses —
 * no money code of its own: a completed bill goes through the refund (HIS application → 2208 → 2205 → 2202 → the
 * money back → HIS confirms); a registration with no settlement, or one whose cash share is still owed, through the
 * full undo (2208 when settled → 2205 → 2202). A station setting asks for a second person: another administrator
 * signs with 工号 and password in the same dialog (the password counted against the lockout like a sign-in); nobody
 * approves their own request. Request and approval are each audited, refused ones too.
 */
import type { OperatorView, OrderState, OrderView, SignedInOperator } from '../../shared/domain';
import { PHONE_ROW_NOTICE, type ReversalSettings } from '../../shared/finance-lists';
import { StationError } from '../../shared/result';
import { StationMetaRepo, type AuditOutcome, type Db } from '../store';

type AuditEntry = { operatorId: string; action: string; outcome: AuditOutcome; detail: string };

const SETTING_KEY = 'ledger.reversal.approvalRequired';
/** Who may approve: the finance office's own role does not exist yet, so another administrator. */
const APPROVER_ROLES = ['admin'] as const;

export interface QuickReversalDeps {
  meta: { get(key: string): string | undefined; set(key: string, value: string, now: Date): void };
  /** 工号 + password, as a sign-in checks them (lockout included); throws BAD_CREDENTIALS / ACCOUNT_LOCKED */
  login: { login(id: string, password: string): Promise<SignedInOperator> };
  audit: { append(entry: { operatorId: string; action: string; outcome: AuditOutcome; detail: string }, now: Date): void };
  orders: { get(orderId: string): { state: OrderState } | undefined };
  /** the cashier's sagas: 退费 of a completed bill, the full undo of an unfinished settlement */
  outpatient: {
    refundOrder(operator: OperatorView, orderId: string, why: string): Promise<OrderView>;
    cancelSettlement(operator: OperatorView, orderId: string, why?: string): Promise<OrderView>;
  };
  now: () => Date;
}

export class QuickReversal {
  private readonly d: QuickReversalDeps & { audit: { append(entry: AuditEntry, now: Date): void } };

  private readonly db: Db;

  constructor(deps: Omit<QuickReversalDeps, 'meta'> & { db: Db }) {
    this.d = { ...deps, meta: new StationMetaRepo(deps.db) };
    this.db = deps.db;
  }

  /** A phone's order (医保移动支付) is on the lists too; it is undone through its own business, never from here. */
  private onPhone(orderId: string): boolean {
    return this.db.prepare('SELECT 1 FROM mobile_pay_orders WHERE id = ?').get(orderId) !== undefined;
  }

  private audit(entry: AuditEntry): void {
    this.d.audit.append(entry, this.d.now());
  }

  settings(): ReversalSettings {
    return { approvalRequired: this.d.meta.get(SETTING_KEY) === 'true' };
  }

  setSettings(operator: SignedInOperator, next: ReversalSettings): ReversalSettings {
    const before = this.settings();
    this.d.meta.set(SETTING_KEY, String(next.approvalRequired), this.d.now());
    this.audit({
      operatorId: operator.id,
      action: 'ledger.reversal.setting',
      outcome: 'ok',
      detail: `第二人审批 ${before.approvalRequired ? '开' : '关'} → ${next.approvalRequired ? '开' : '关'}`,
    });
    return this.settings();
  }

  async reverse(
    operator: SignedInOperator,
    args: { orderId: string; reason: string; approver?: { id: string; password: string } | undefined },
  ): Promise<OrderView> {
    const what = `order ${args.orderId}; reason ${args.reason}`;
    const refuse = (code: 'FORBIDDEN' | 'CONFLICT' | 'NOT_FOUND', message: string): never => {
      this.audit({ operatorId: operator.id, action: 'ledger.reversal', outcome: 'denied', detail: `${what}; ${message}` });
      throw new StationError(code, message);
    };
    const state = this.d.orders.get(args.orderId)?.state;
    if (!state) return this.onPhone(args.orderId) ? refuse('CONFLICT', PHONE_ROW_NOTICE) : refuse('NOT_FOUND', '没有这张单据');
    const path = state === 'completed' ? 'refund' : state === 'previewed' || state === 'awaiting-payment' ? 'cancel' : null;
    if (!path) return refuse('CONFLICT', '该单据当前状态不能撤销：只能撤销已完成的结算或未结算的挂号');
    let approvedBy = '';
    if (this.settings().approvalRequired) approvedBy = await this.approve(operator, args.approver, what);
    const by = approvedBy ? `; approved by ${approvedBy}` : '';
    try {
      const view =
        path === 'refund'
          ? await this.d.outpatient.refundOrder(operator, args.orderId, args.reason)
          : await this.d.outpatient.cancelSettlement(operator, args.orderId, args.reason);
      this.audit({ operatorId: operator.id, action: 'ledger.reversal', outcome: 'ok', detail: `${what}; ${path}${by} → ${view.state}` });
      return view;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.audit({ operatorId: operator.id, action: 'ledger.reversal', outcome: 'failed', detail: `${what}; ${path}${by}; ${message}` });
      throw e;
    }
  }

  /** The second person's signature; every refusal is in the trail under both names. */
  private async approve(operator: SignedInOperator, approver: { id: string; password: string } | undefined, what: string): Promise<string> {
    const deny = (approverId: string, message: string, code: 'CONFLICT' | 'BAD_CREDENTIALS' = 'CONFLICT'): never => {
      this.audit({ operatorId: operator.id, action: 'ledger.reversal', outcome: 'denied', detail: `${what}; ${message}` });
      if (approverId)
        this.audit({ operatorId: approverId, action: 'ledger.reversal.approve', outcome: 'denied', detail: `${what}; ${message}` });
      throw new StationError(code, message);
    };
    if (!approver) return deny('', '本站要求第二人审批：请审批人输入工号和密码');
    if (approver.id === operator.id) return deny(approver.id, '不能审批自己的撤销申请，请另一位管理员审批');
    let signer: SignedInOperator;
    try {
      signer = await this.d.login.login(approver.id, approver.password);
    } catch (e) {
      const message = e instanceof StationError ? e.message : '审批人验证失败';
      return deny(approver.id, `审批人验证失败：${message}`, 'BAD_CREDENTIALS');
    }
    if (!signer.roles.some((r) => (APPROVER_ROLES as readonly string[]).includes(r))) return deny(signer.id, '审批人须为系统管理员');
    // A password an administrator set is known to whoever set it: it proves no second person until changed.
    if (signer.mustChangePassword) return deny(signer.id, '审批人须先登录并修改管理员设置的初始密码');
    this.audit({ operatorId: signer.id, action: 'ledger.reversal.approve', outcome: 'ok', detail: `${what}; requested by ${operator.id}` });
    return signer.id;
  }
}
