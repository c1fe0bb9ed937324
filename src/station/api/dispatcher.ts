/**
 * The core's front door (VS Code's validatedIpcMain, on the core side so every bridge gets it): a known
 * operation, input that passes its schema, a session whose role may call it — then the handler. Every denial
 * is audited; a thrown StationError becomes `{ok:false}` with its code; anything else is INTERNAL and logged,
 * never leaked to the screen.
 */
import { randomUUID } from 'node:crypto';
import {
  isOperationName,
  mayCall,
  operations,
  type OperationArgs,
  type OperationName,
  type OperationOutputs,
  type StationEventMap,
  type StationEventName,
} from '../../shared/api';
import { err, ok, StationError, type Result } from '../../shared/result';
import type { SignedInOperator } from '../../shared/domain';
import { storageErrorCode, type AuditRepo } from '../store';
import type { EventBus } from '../events';
import { errorFields, silentLogger, type Logger } from '../log';
import type { ClientSession, Disposable, EventListener, StationCore } from './core-contract';

export interface CallContext {
  session: ClientSession;
}

export type EventPersonaliser = <E extends StationEventName>(
  event: E,
  payload: StationEventMap[E],
  session: ClientSession,
) => StationEventMap[E];

export type Handlers = {
  [K in OperationName]: (ctx: CallContext, args: OperationArgs<K>) => Promise<OperationOutputs[K]> | OperationOutputs[K];
};

/** What a session may do before the station is set up, while locked, or before changing an admin-set password. */
const SETUP_OPS: ReadonlySet<OperationName> = new Set(['stationInfo', 'currentOperator', 'setUpFirstAdmin']);
const LOCKED_OPS: ReadonlySet<OperationName> = new Set(['stationInfo', 'currentOperator', 'unlockSession', 'logout']);
const MUST_CHANGE_OPS: ReadonlySet<OperationName> = new Set(['stationInfo', 'currentOperator', 'changePassword', 'logout', 'lockSession']);

export interface SessionPolicy {
  /** A signed-in session ends this long after its sign-in, however busy (config `security.sessionHours`). */
  maxSessionMs: number;
  /** A live station without operators answers nothing but its setup (issue 11). */
  needsSetup: () => boolean;
}

/** Operations whose success is not worth an audit row (reads the screens poll). */
const QUIET: ReadonlySet<OperationName> = new Set([
  'stationInfo',
  'currentOperator',
  'listDevices',
  'getConnectivity',
  'listAudit',
  'listOperators',
  'searchOrders',
  'orderFeeLines',
  // audited by the ledger when the export ends: who, the filter, the rows, how it ended
  'exportOrders',
  'exportFinance',
  'cancelExport',
  'searchFinance',
  'listReconciliations',
  'listWindowDepositRefunds',
  // audited by the reconciliation runs with the file written
  'exportReconciliation',
  // audited by the resolution itself: the difference, the reason, what was done
  'resolveReconDifference',
  'getReversalSettings',
  // audited by the quick reversal itself: the request and the approval under their own names
  'quickReverse',
  'setReversalSettings',
  'recentDeviceFrames',
  'outboxSummary',
  'storageStatus',
  'listIntents',
  'getPrintSettings',
  'listSystemPrinters',
  // audited by the receipts service: which slip, which print (补打), the settings before and after
  'printReceipt',
  'setPrintSettings',
  // audited by the operators service with who and whom
  'addOperator',
  'resetOperatorPassword',
  'unlockOperator',
  'disableOperator',
  'enableOperator',
  'setUpFirstAdmin',
  'changePassword',
]);

export class Dispatcher implements StationCore {
  private readonly sessions = new Map<
    string,
    { session: ClientSession; listeners: Set<EventListener>; signedInAt: number | null; locked: boolean }
  >();
  private readonly busSubscription: Disposable;
  private disposed = false;

  constructor(
    private readonly handlers: Handlers,
    private readonly audit: AuditRepo,
    private readonly bus: EventBus,
    private readonly now: () => Date,
    private readonly onDispose: () => Promise<void> = async () => {},
    /** Tailors a station-wide event to one window (e.g. whether *its* operator signed in to the centre). */
    private readonly personalise: EventPersonaliser = (_event, payload) => payload,
    private readonly log: Logger = silentLogger,
    /** An INTERNAL failure (the station turns one of its database's refusals into the storage alarm). */
    private readonly onInternalError: (op: OperationName, error: unknown) => void = () => {},
    private readonly policy: SessionPolicy = { maxSessionMs: 12 * 3_600_000, needsSetup: () => false },
  ) {
    this.busSubscription = bus.listen((event, payload) => {
      for (const { session, listeners } of this.sessions.values()) {
        if (!session.operator) continue; // nothing leaks to a signed-out window
        const own = this.personalise(event, payload, session);
        for (const l of listeners) l(event, own);
      }
    });
  }

  openSession(channel: ClientSession['channel']): ClientSession {
    const session: ClientSession = { id: randomUUID(), channel, operator: null };
    this.sessions.set(session.id, { session, listeners: new Set(), signedInAt: null, locked: false });
    return session;
  }

  closeSession(session: ClientSession): void {
    if (this.disposed || !this.sessions.has(session.id)) return;
    if (session.operator) {
      this.record({ operatorId: session.operator.id, action: 'session.closed', outcome: 'ok' }, this.now());
    }
    this.sessions.delete(session.id);
  }

  subscribe(session: ClientSession, listener: EventListener): Disposable {
    const entry = this.sessions.get(session.id);
    if (!entry) throw new Error('subscribe on a closed session');
    entry.listeners.add(listener);
    return { dispose: () => void entry.listeners.delete(listener) };
  }

  /** Ends a session's sign-in and tells its window (logout or, later, idle expiry). */
  signOut(session: ClientSession, reason: StationEventMap['sessionEnded']['reason']): void {
    session.operator = null;
    const entry = this.sessions.get(session.id);
    if (entry) Object.assign(entry, { signedInAt: null, locked: false });
    for (const l of entry?.listeners ?? []) l('sessionEnded', { reason });
  }

  async dispatch(session: ClientSession, op: unknown, input: unknown): Promise<Result<unknown>> {
    if (this.disposed) return err('INTERNAL', '工作站核心已关闭');
    if (!this.sessions.has(session.id)) return err('UNAUTHENTICATED', '会话已关闭');
    if (!isOperationName(op)) {
      this.record(
        { operatorId: session.operator?.id ?? null, action: 'unknown-operation', outcome: 'denied', detail: String(op).slice(0, 64) },
        this.now(),
      );
      return err('INVALID_ARGUMENT', `未知的操作：${String(op).slice(0, 64)}`);
    }
    const spec = operations[op];
    const refused = this.refusedBySession(session, op);
    if (refused) return refused;
    const operator: SignedInOperator | null = session.operator;
    if (!mayCall(spec.access, operator?.roles ?? null)) {
      this.record(
        {
          operatorId: operator?.id ?? null,
          action: op,
          outcome: 'denied',
          detail: operator ? `角色 ${operator.roles.join(',')} 无权执行` : '未登录',
        },
        this.now(),
      );
      return operator ? err('FORBIDDEN', '当前角色无权执行此操作') : err('UNAUTHENTICATED', '请先登录');
    }
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      this.record({ operatorId: operator?.id ?? null, action: op, outcome: 'denied', detail: `参数无效：${message}` }, this.now());
      return err('INVALID_ARGUMENT', `参数无效：${message}`);
    }
    try {
      const handler = this.handlers[op] as (ctx: CallContext, args: unknown) => Promise<unknown> | unknown;
      const value = await handler({ session }, parsed.data);
      const entry = this.sessions.get(session.id);
      if (entry && session.operator && entry.signedInAt === null) entry.signedInAt = this.now().getTime();
      if (!QUIET.has(op)) this.record({ operatorId: session.operator?.id ?? operator?.id ?? null, action: op, outcome: 'ok' }, this.now());
      return ok(value);
    } catch (e) {
      if (e instanceof StationError) {
        // sign-in failures (login, unlocking a locked window) are audited by the login service with more detail
        if (op !== 'login' && op !== 'unlockSession') {
          this.record({ operatorId: operator?.id ?? null, action: op, outcome: 'failed', detail: e.code, remote: e.message }, this.now());
        }
        return err(e.code, e.message);
      }
      this.log.error(`${op} failed`, { op, ...errorFields(e) });
      this.onInternalError(op, e);
      // The station's own database refusing a write (disk full): the cashier must stop, not retry blindly.
      const storage = storageErrorCode(e);
      this.record(
        { operatorId: operator?.id ?? null, action: op, outcome: 'failed', detail: storage ? 'STORAGE_FAILED' : 'INTERNAL' },
        this.now(),
      );
      if (storage) return err('STORAGE_FAILED', `工作站数据库拒绝写入（${storage}），本次操作未办理`);
      return err('INTERNAL', '工作站内部错误，请联系信息科');
    }
  }

  /**
   * An audit row; a database that refuses it (disk full) must not turn an answered call into a crash — the
   * refusal is logged, and the storage alarm is raised by the loops that retry.
   */
  private record(entry: Parameters<AuditRepo['append']>[0], at: Date): void {
    try {
      this.audit.append(entry, at);
    } catch (e) {
      this.log.error('audit row not written', { action: entry.action, outcome: entry.outcome, ...errorFields(e) });
    }
  }

  /**
   * Ends every session of an operator an administrator disabled (a disabled account acts nowhere) or whose
   * password was reset (whoever knew the old one must not keep a signed-in window). `except` spares the
   * administrator's own window when they reset their own password.
   */
  signOutOperator(operatorId: string, reason: 'disabled' | 'password-reset', except?: ClientSession): void {
    for (const { session } of this.sessions.values()) {
      if (session.operator?.id === operatorId && session !== except) this.signOut(session, reason);
    }
  }

  /** Locks a signed-in window (idle or the 锁屏 key): only its operator's password or a sign-out opens it. */
  lock(session: ClientSession): void {
    const entry = this.sessions.get(session.id);
    if (entry && session.operator) entry.locked = true;
  }

  unlock(session: ClientSession): void {
    const entry = this.sessions.get(session.id);
    if (entry) entry.locked = false;
  }

  private refusedBySession(session: ClientSession, op: OperationName): Result<unknown> | null {
    if (this.policy.needsSetup() && !SETUP_OPS.has(op)) return err('SETUP_REQUIRED', '本工作站尚未设置管理员，请先创建首个管理员');
    const entry = this.sessions.get(session.id);
    const operator = session.operator;
    if (!entry || !operator) return null;
    if (entry.signedInAt !== null && this.now().getTime() - entry.signedInAt > this.policy.maxSessionMs) {
      this.record({ operatorId: operator.id, action: 'session.expired', outcome: 'ok' }, this.now());
      this.signOut(session, 'expired');
      if (op === 'stationInfo' || op === 'currentOperator' || op === 'login') return null;
      return err('UNAUTHENTICATED', `登录已超过 ${Math.round(this.policy.maxSessionMs / 3_600_000)} 小时，请重新登录`);
    }
    if (entry.locked && !LOCKED_OPS.has(op)) return err('SESSION_LOCKED', '屏幕已锁定，请输入密码解锁');
    if (operator.mustChangePassword && !MUST_CHANGE_OPS.has(op)) return err('PASSWORD_CHANGE_REQUIRED', '管理员设置的密码须先修改');
    return null;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.busSubscription.dispose();
    this.sessions.clear();
    await this.onDispose();
  }
}
