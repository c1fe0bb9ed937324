/**
 * The outbox: money and insurance-state movements that survive lost answers, crashes and restarts, and are
 * never done twice or forgotten.
 *
 *  - `run` writes the intent (with the ids the remote will see) in the same transaction as the caller's
 *    business row, then calls; the answer and its business effect are recorded in one transaction.
 *  - A lost answer makes the intent `unknown` and locks its order ("结果未知 — 正在核实"). The resolver drives it
 *    to a final state: it asks the remote where that is possible, otherwise (or when asking cannot tell)
 *    compensates with an id of its own, fixed before it is sent. Retries reuse the same ids.
 *  - A crash between writing and answering leaves `prepared`: on start that is treated as `unknown`.
 *  - Nothing is dropped: past its attempt or age limit an intent is `escalated` — it stays open, raises the
 *    alarm, and waits for a person, whose decision is recorded.
 * Lost answers do not count as attempts (jPOS SAF); definite answers that do not resolve do.
 */
import { randomUUID } from 'node:crypto';
import { durable, isStorageError, type Db } from '../store';
import type { IntentsRepo, IntentRecord, IntentState } from './intents-repo';
import type { FinalMovement, FinalState, IntentContext, Movement, RemoteOutcome } from './movement';
import { DEFAULT_OUTBOX_POLICY, IDLE_LOOK_MS, type OutboxPolicy } from './outbox-policy';
import { contextOf, payloadProblem } from './intent-payload';
import { ResolverStorage } from './storage-retry';
import { ResolverPasses } from './resolver-passes';
import { OrderLockedError, type RunResult } from './outbox-types';
import type { OutboxEvents } from './outbox-events';

export { DEFAULT_OUTBOX_POLICY, type OutboxPolicy } from './outbox-policy';
export { OrderLockedError, type RunResult } from './outbox-types';
export type { OutboxEvents } from './outbox-events';

export class Outbox {
  private readonly movements = new Map<string, Movement>();
  private timer: NodeJS.Timeout | null = null;
  private readonly passes = new ResolverPasses({
    pass: () => this.runPass(),
    failed: (e) => this.passFailed(e),
    dueNow: (orderId) => {
      for (const i of this.repo.openForOrder(orderId))
        if (i.state === 'unknown' || i.state === 'compensating') this.repo.reschedule(i.id, this.opts.now(), i.detail, this.opts.now());
    },
    done: () => {
      this.schedule();
      this.opts.events?.idle?.();
    },
  });
  private started = false;
  private readonly storage: ResolverStorage;
  private retryAt: Date | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: IntentsRepo,
    movements: readonly Movement[],
    private readonly opts: {
      now: () => Date;
      policy?: Partial<OutboxPolicy>;
      events?: Partial<OutboxEvents>;
      log?: (message: string) => void;
      /** Inside the final state's transaction (the ledger event): a throw rolls the final state back too. */
      onFinal?: (db: Db, movement: FinalMovement) => void;
    },
  ) {
    for (const m of movements) this.register(m);
    this.storage = new ResolverStorage({ baseMs: this.policy.backoffBaseMs, maxMs: this.policy.backoffMaxMs });
  }

  /** Adds a kind of movement; a workflow registers its own before the outbox starts. */
  register(movement: Movement<never, never> | Movement): void {
    if (this.movements.has(movement.kind)) throw new Error(`movement ${movement.kind} registered twice`);
    this.movements.set(movement.kind, movement as Movement);
  }

  private get policy(): OutboxPolicy {
    return { ...DEFAULT_OUTBOX_POLICY, ...this.opts.policy };
  }

  /** Whether anything is still being resolved automatically (escalated intents wait for a person instead). */
  isBusy(): boolean {
    const c = this.repo.openCounts();
    return c.prepared + c.unknown + c.compensating > 0;
  }

  isLocked(orderId: string): boolean {
    return this.repo.openForOrder(orderId).length > 0;
  }

  /**
   * Performs one movement. `prepare` writes the business rows in the intent's transaction. Throws
   * OrderLockedError, before writing anything, while another movement of the order is in doubt.
   */
  async run<P, O>(
    kind: string,
    args: { orderId: string; externalId: string; payload: P; id?: string; prepare?: (db: Db) => void },
  ): Promise<RunResult<O>> {
    const movement = this.movement<P, O>(kind);
    const invalid = payloadProblem(movement, args.payload);
    if (invalid) throw new Error(`movement ${kind}: invalid payload, nothing written or sent (${invalid})`);
    const id = args.id ?? randomUUID();
    this.db.transaction(() => {
      if (this.repo.openForOrder(args.orderId).length > 0) throw new OrderLockedError(args.orderId);
      args.prepare?.(this.db);
      this.repo.insert({ id, kind, orderId: args.orderId, externalId: args.externalId, payload: args.payload }, this.opts.now());
    })();
    const ctx: IntentContext<P> = { id, orderId: args.orderId, externalId: args.externalId, compExternalId: null, payload: args.payload };
    // Nothing leaves before the intent is on the disk (group commit, store/group-commit.ts); if it cannot be, nothing leaves.
    const outcome = await durable(this.db).then(
      () => this.send(movement, ctx),
      (e: unknown) => ({
        kind: 'rejected' as const,
        detail: `本地数据未能写入磁盘，未发送：${e instanceof Error ? e.message : String(e)}`,
      }),
    );
    const result = this.recordOutcome(movement, ctx, outcome);
    await durable(this.db); // the caller (a cashier, a phone) acts on the outcome only once it is durable
    if (result.state === 'unknown') this.kick(); // resolving starts as the caller hears "unknown", not before
    return result;
  }

  private async send<P, O>(movement: Movement<P, O>, ctx: IntentContext<P>): ReturnType<Movement<P, O>['send']> {
    try {
      return await movement.send(ctx);
    } catch (e) {
      // A bug or an unexpected throw after the intent was written: the call may have left. Resolve it.
      return { kind: 'unknown', detail: `send threw: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private recordOutcome<P, O>(movement: Movement<P, O>, ctx: IntentContext<P>, outcome: RemoteOutcome<O>): RunResult<O> {
    const { id } = ctx;
    if (outcome.kind === 'ok') {
      this.afterSend(id, () => this.finish(movement, ctx, 'prepared', 'succeeded', outcome.output, 'station', ''));
      return { state: 'succeeded', intentId: id, output: outcome.output };
    }
    if (outcome.kind === 'rejected') {
      this.afterSend(id, () => this.finish(movement, ctx, 'prepared', 'failed', undefined, 'station', outcome.detail));
      return { state: 'failed', intentId: id, detail: outcome.detail };
    }
    this.afterSend(id, () => this.toUnknown(id, outcome.detail, 'station'));
    this.changed();
    return { state: 'unknown', intentId: id, detail: outcome.detail };
  }

  /** Starts resolving: leftovers of a crash first, then whatever becomes due. */
  start(): void {
    if (this.started) return;
    this.started = true;
    // Nothing is in flight at start: a prepared intent was interrupted, its call may or may not have left.
    for (const intent of this.repo.inState('prepared')) this.storage.strand(intent.id);
    this.changed();
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.passes.inFlight?.catch(() => 0);
  }

  /** One resolver pass over everything due; returns how many intents reached a final state. */
  resolveNow(): Promise<number> {
    return this.passes.request();
  }

  /** IT staff: look at an intent again now (a retry uses the same ids). */
  retry(intentId: string): void {
    const intent = this.repo.get(intentId);
    if (!intent || !['unknown', 'compensating'].includes(intent.state)) throw new Error(`intent ${intentId} is not being resolved`);
    this.repo.reschedule(intentId, this.opts.now(), '人工要求立即重试', this.opts.now());
    this.kick();
  }

  /** Something changed remotely for this order (a QR closed by the cashier): look at its open intents now. */
  resolveOrderNow(orderId: string): void {
    this.passes.dueNow(orderId);
    this.kick();
  }

  /**
   * A person's decision on an escalated intent, after checking with the remote by other means (the centre's
   * portal, the payment platform's back office). Recorded with who decided and why.
   */
  decide(intentId: string, decision: 'happened' | 'did-not-happen' | 'resume', operatorId: string, note: string): IntentState {
    const intent = this.repo.get(intentId);
    if (!intent || intent.state !== 'escalated') throw new Error(`intent ${intentId} is not waiting for a decision`);
    const movement = this.movement(intent.kind);
    const ctx = contextOf(intent);
    const detail = `人工处理（${operatorId}）：${note}`;
    const invalid = payloadProblem(movement, intent.payload);
    if (invalid && decision === 'resume') throw new Error(`intent ${intentId} cannot resume: its stored payload is invalid (${invalid})`);
    if (decision === 'resume') {
      const back: IntentState = intent.compExternalId ? 'compensating' : 'unknown';
      this.db.transaction(() =>
        this.repo.transition(intent.id, 'escalated', back, { detail, nextAt: this.opts.now() }, operatorId, this.opts.now()),
      )();
      this.changed();
      this.kick();
      return back;
    }
    const final: FinalState = decision === 'happened' ? 'succeeded' : 'failed';
    this.finish(movement, ctx, 'escalated', final, undefined, operatorId, detail);
    return final;
  }

  private kick(): void {
    if (!this.started) return;
    void this.resolveNow();
  }

  private schedule(): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const due = this.repo.nextDueAt();
    const next = due && this.retryAt ? (due < this.retryAt ? due : this.retryAt) : (due ?? this.retryAt);
    // At least every IDLE_LOOK_MS: IT's command line may hand this resolver an intent (mobile-pay cancel) meanwhile.
    const delay = next ? Math.max(0, Math.min(next.getTime() - this.opts.now().getTime(), IDLE_LOOK_MS)) : IDLE_LOOK_MS;
    this.timer = setTimeout(() => void this.resolveNow(), delay);
    this.timer.unref?.();
  }

  private async runPass(): Promise<number> {
    let resolved = 0;
    this.retryAt = null;
    this.storage.unstrand(
      (id) => this.repo.get(id)?.state === 'prepared' && this.toUnknown(id, '工作站中断或未能记录答复，结果未知', 'resolver'),
    );
    for (;;) {
      const due = this.repo.due(this.opts.now(), 32);
      if (due.length === 0) {
        if (this.storage.succeeded()) this.opts.events?.storage?.(null);
        return resolved;
      }
      const results = await Promise.all(due.map((intent) => this.step(intent).catch((e: unknown) => this.failedStep(intent, e))));
      resolved += results.filter(Boolean).length;
      // Anything that was only rescheduled is no longer due; loop for what became due meanwhile.
      if (results.every((r) => !r) && this.repo.due(this.opts.now(), 1).length === 0) return resolved;
    }
  }

  /** Moves one intent as far as it goes now; true when it reached a final state. */
  private async step(intent: IntentRecord): Promise<boolean> {
    const movement = this.movement(intent.kind);
    const now = this.opts.now();
    const p = this.policy;
    const age = now.getTime() - new Date(intent.createdAt).getTime();
    const invalid = payloadProblem(movement, intent.payload);
    if (invalid) {
      // Sending or undoing from a payload we cannot trust could move money wrongly: a person decides.
      const detail = `存储的交易内容校验失败，转人工处理：${invalid}`;
      this.db.transaction(() => this.repo.transition(intent.id, intent.state, 'escalated', { detail }, 'resolver', now))();
      this.opts.log?.(`[outbox] escalated ${intent.kind} ${intent.id}: invalid payload (${invalid})`);
      this.changed();
      return false;
    }
    if (intent.attempts >= p.maxAttempts || age >= p.maxAgeMs) {
      const detail = `自动核实未果（${intent.attempts} 次明确答复，已 ${Math.round(age / 60000)} 分钟），转人工处理：${intent.detail}`;
      this.db.transaction(() => this.repo.transition(intent.id, intent.state, 'escalated', { detail }, 'resolver', now))();
      this.opts.log?.(`[outbox] escalated ${intent.kind} ${intent.id}`);
      this.changed();
      return false;
    }
    const ctx = contextOf(intent);

    if (intent.state === 'unknown') {
      if (movement.onUnknown === 'query' && movement.query) {
        const timing = movement.timingFor ? movement.timingFor(ctx.payload) : movement.queryTiming;
        if (timing && age < timing.firstAfterMs) {
          this.repo.reschedule(intent.id, new Date(new Date(intent.createdAt).getTime() + timing.firstAfterMs), intent.detail, now);
          return false;
        }
        const q = await movement.query(ctx);
        if (q.kind === 'happened') {
          this.finish(movement, ctx, 'unknown', 'succeeded', q.output, 'resolver', '查询确认已成功');
          return true;
        }
        if (q.kind === 'did-not-happen') {
          const why = q.detail ? `查询确认未发生：${q.detail}` : '查询确认未发生';
          this.finish(movement, ctx, 'unknown', 'failed', undefined, 'resolver', why);
          return true;
        }
        if (age < Math.max(timing?.windowMs ?? p.queryWindowMs, p.settleTimeMs)) {
          if (timing) this.repo.reschedule(intent.id, new Date(now.getTime() + timing.everyMs), `查询无结果：${q.detail}`, now);
          else this.backoff(intent, `查询无结果：${q.detail}`);
          return false;
        }
      } else if (age < p.settleTimeMs) {
        this.repo.reschedule(intent.id, new Date(new Date(intent.createdAt).getTime() + p.settleTimeMs), intent.detail, now);
        return false;
      }
      const compId = movement.newCompensationId();
      this.db.transaction(() =>
        this.repo.transition(intent.id, 'unknown', 'compensating', { compExternalId: compId, detail: '发起冲正' }, 'resolver', now),
      )();
      ctx.compExternalId = compId;
      return this.compensate(movement, ctx, intent);
    }
    if (intent.state === 'compensating') return this.compensate(movement, ctx, intent);
    return false;
  }

  private async compensate(movement: Movement, ctx: IntentContext<unknown>, intent: IntentRecord): Promise<boolean> {
    await durable(this.db); // its compensation id is on the disk before the undo leaves
    const c = await movement.compensate({ ...ctx, compExternalId: ctx.compExternalId! });
    if (c.kind === 'ok') {
      this.finish(movement, ctx, 'compensating', 'compensated', undefined, 'resolver', '冲正成功');
      return true;
    }
    if (c.kind === 'nothing-to-undo') {
      this.finish(movement, ctx, 'compensating', 'failed', undefined, 'resolver', '对方无此交易，无需冲正');
      return true;
    }
    if (c.kind === 'rejected') {
      this.backoff({ ...intent, state: 'compensating' }, `冲正被拒：${c.detail}`, 1);
      return false;
    }
    this.backoff({ ...intent, state: 'compensating' }, `冲正结果未知：${c.detail}`);
    return false;
  }

  private backoff(intent: IntentRecord, detail: string, attemptsDelta = 0): void {
    const now = this.opts.now();
    const p = this.policy;
    const age = now.getTime() - new Date(intent.createdAt).getTime();
    const delay = Math.min(p.backoffMaxMs, Math.max(p.backoffBaseMs, age / 2));
    const next = new Date(now.getTime() + delay);
    this.db.transaction(() => {
      if (attemptsDelta)
        this.repo.transition(intent.id, intent.state, intent.state, { detail, nextAt: next, attemptsDelta }, 'resolver', now);
      else this.repo.reschedule(intent.id, next, detail, now);
    })();
  }

  private failedStep(intent: IntentRecord, e: unknown): boolean {
    if (isStorageError(e)) throw e; // the whole pass waits for the disk (passFailed)
    // A resolver bug must not stop the others; the intent stays open and is looked at again later.
    this.opts.log?.(`[outbox] resolving ${intent.id} failed: ${e instanceof Error ? e.stack : String(e)}`);
    this.backoff(intent, `核实出错：${e instanceof Error ? e.message : String(e)}`);
    return false;
  }

  /** A pass stopped by the database (or a bug): logged, announced, and tried again after a growing pause. */
  private passFailed(e: unknown): number {
    const pause = this.storage.failed();
    this.retryAt = new Date(this.opts.now().getTime() + pause);
    this.opts.log?.(`[outbox] resolver pass failed, next try in ${pause} ms: ${e instanceof Error ? e.message : String(e)}`);
    if (isStorageError(e)) this.opts.events?.storage?.(e);
    return 0;
  }

  /** The call has left: a record refused by storage leaves the intent prepared, for the resolver to take up. */
  private afterSend(id: string, write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!isStorageError(e)) throw e;
      this.storage.strand(id);
      this.retryAt = new Date(this.opts.now().getTime() + this.storage.failed());
      this.opts.events?.storage?.(e);
      this.schedule();
      throw e;
    }
  }

  private toUnknown(id: string, detail: string, actor: string): true {
    const now = this.opts.now();
    this.db.transaction(() => this.repo.transition(id, 'prepared', 'unknown', { detail, nextAt: now }, actor, now))();
    return true;
  }

  private finish<P, O>(
    movement: Movement<P, O>,
    ctx: IntentContext<P>,
    from: IntentState,
    final: FinalState,
    output: O | undefined,
    actor: string,
    detail: string,
  ): void {
    const now = this.opts.now();
    this.db.transaction(() => {
      this.repo.transition(ctx.id, from, final, { ...(output === undefined ? {} : { result: output }), detail, nextAt: null }, actor, now);
      movement.settle(this.db, ctx, { final, output, detail, direct: from === 'prepared' });
      this.opts.onFinal?.(this.db, { ...ctx, kind: movement.kind, final, output, actor, at: now });
    })();
    // A final state reached inside run() is its caller's to act on; one reached later is announced.
    if (from === 'prepared') return;
    this.changed();
    this.opts.events?.finished?.({ id: ctx.id, kind: movement.kind, orderId: ctx.orderId, final });
  }

  private changed(): void {
    const counts = this.repo.openCounts();
    this.opts.events?.changed?.({ inDoubt: counts.prepared + counts.unknown + counts.compensating, escalated: counts.escalated });
  }

  private movement<P, O>(kind: string): Movement<P, O> {
    const m = this.movements.get(kind);
    if (!m) throw new Error(`no movement registered for kind ${kind}`);
    return m as Movement<P, O>;
  }
}
