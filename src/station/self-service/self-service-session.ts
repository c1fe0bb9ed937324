/**
 * One patient's self-service session at a face terminal (HX-T1), as a state machine driven by what the patient
 * does at the terminal (session events) and by the outpatient core (SelfServicePort):
 *
 *   verifying → identifying → listing ─ none → "没有待缴费用" → end
 *     → confirming-orders → for each order, one at a time:
 *         pre-settling → confirming-split → settling
 *           → no cash share: done
 *           → cash share: awaiting-paycode → paying → paid (done) | failed → once more → cancelling (2208)
 *     → result → end
 *
 * Cancel, walk-away or a step's timeout before the settlement: nothing to undo (pre-settlement books nothing).
 * After the settlement, while the cash share is unpaid: the settlement is cancelled — it must not stay booked
 * without its cash. Whatever may have moved money without a known outcome (OUTCOME_UNKNOWN, an order in
 * doubt, a payment that threw) is never undone here: the patient is sent to the window and the outbox
 * resolves it (an unpaid settlement left 'awaiting-payment' is cancelled when its pay window expires).
 */
import { maskName } from '../../devices/masking';
import type { FaceSessionEvent, SessionCancelReason, SessionEndReason, SessionScreen } from '../../devices/parsers/face-messages';
import { isDeviceError } from '../../devices/errors';
import type { OperatorView, OrderState, OrderView } from '../../shared/domain';
import { StationError } from '../../shared/result';
import type { SelfServiceDevices, SelfServicePort } from './ports';
import { clip, orderLabel, SELF_SERVICE_TEXT, splitLines, sum } from './self-service-text';

export { SELF_SERVICE_TEXT } from './self-service-text';
export { SELF_SERVICE_PHASES, type SelfServiceOutcome, type SelfServicePhase, type SelfServiceReport } from './self-service-report';
import type { SelfServiceOutcome, SelfServicePhase, SelfServiceReport } from './self-service-report';

export interface SelfServiceSessionOptions {
  deviceId: string;
  sessionId: string;
  devices: SelfServiceDevices;
  port: SelfServicePort;
  operator: OperatorView;
  /** how long the patient has for each screen and for the payment code */
  stepTimeoutMs: number;
  outBizNo: () => string;
  now: () => Date;
}

/** Why the patient's part of a step did not come: they cancelled or left, the step timed out, the terminal is gone, the station stops. */
type Interruption = SessionCancelReason | 'timeout' | 'terminal-lost' | 'shutdown';

interface Ending {
  outcome: Exclude<SelfServiceOutcome, 'busy'>;
  screen: SessionScreen;
}

/** How many payment codes the patient may present for one order: the first, and one retry. */
const PAY_ATTEMPTS = 2;

export class SelfServiceSession {
  readonly deviceId: string;
  readonly sessionId: string;
  private phaseNow: SelfServicePhase = 'verifying';
  private readonly inbox: FaceSessionEvent[] = [];
  private interruption: Interruption | undefined;
  private wake: (() => void) | undefined;
  private readonly touched = new Map<string, OrderState>();
  private readonly paid: OrderView[] = [];

  constructor(private readonly o: SelfServiceSessionOptions) {
    this.deviceId = o.deviceId;
    this.sessionId = o.sessionId;
  }

  get phase(): SelfServicePhase {
    return this.phaseNow;
  }

  /** A session event from this session's terminal, for this session. */
  deliver(event: FaceSessionEvent): void {
    if (event.type === 'session.cancel') this.interruption ??= event.reason;
    else {
      this.inbox.push(event);
      if (this.inbox.length > 16) this.inbox.shift();
    }
    this.wake?.();
  }

  /** The station stops: whatever waits for the patient gives up now (and undoes an unpaid settlement). */
  abort(): void {
    this.interruption ??= 'shutdown';
    this.wake?.();
  }

  /** Runs the session to its end (never rejects); the terminal has been sent the last screen and `session.end`. */
  async run(): Promise<SelfServiceReport> {
    const startedAt = this.o.now().toISOString();
    let ending: Ending;
    try {
      ending = await this.flow();
    } catch (error) {
      // Only a bug gets here: every port call and device command is handled where it happens.
      ending = this.failure(error);
    }
    this.phaseNow = 'ending';
    await this.show(ending.screen);
    await this.send({ type: 'session.end', sessionId: this.sessionId, reason: endReason(ending.outcome) });
    this.phaseNow = 'ended';
    return {
      deviceId: this.deviceId,
      sessionId: this.sessionId,
      outcome: ending.outcome,
      detail: ending.screen.message ?? ending.screen.title,
      orders: [...this.touched].map(([orderId, state]) => ({ orderId, state })),
      startedAt,
      endedAt: this.o.now().toISOString(),
    };
  }

  private async flow(): Promise<Ending> {
    const { port, operator } = this.o;
    const T = SELF_SERVICE_TEXT;

    this.phaseNow = 'verifying';
    let identity;
    try {
      ({ identity } = await this.o.devices.faceVerify(this.deviceId, { outBizNo: this.o.outBizNo() }));
    } catch (error) {
      const reason = isDeviceError(error) ? error.message : T.internal;
      return {
        outcome: isDeviceError(error, 'timeout') ? 'timeout' : 'failed',
        screen: { screen: 'error', title: T.verifyFailed, message: clip(reason, 200) },
      };
    }
    if (this.interruption) return this.cancelledBeforeSettle(this.interruption);

    this.phaseNow = 'identifying';
    let patient: { identificationId: string; name: string };
    let orders: OrderView[];
    try {
      patient = await port.identifyByFace(identity, operator);
      this.phaseNow = 'listing';
      orders = (await port.listOrders(operator, patient.identificationId)).filter((o) => o.state === 'open' || o.state === 'previewed');
    } catch (error) {
      return this.failure(error);
    }
    if (orders.length === 0)
      return { outcome: 'no-orders', screen: { screen: 'result', title: T.noOrders.title, message: T.noOrders.message } };

    this.phaseNow = 'confirming-orders';
    const confirmed = await this.confirm({
      screen: 'orders',
      title: T.ordersTitle,
      lines: orders.slice(0, 20).map((o) => ({ label: orderLabel(o), amountFen: o.totalFen })),
      totalFen: sum(orders.map((o) => o.totalFen)),
      message: clip(T.ordersMessage(maskName(patient.name), orders.length), 200),
    });
    if (confirmed !== true) return this.cancelledBeforeSettle(confirmed);

    for (const [index, order] of orders.entries()) {
      const ending = await this.settleOne(order, index + 1, orders.length);
      if (ending) return ending;
    }
    return this.done();
  }

  /** One order from pre-settlement to paid; an Ending when the session stops here, undefined when paid. */
  private async settleOne(order: OrderView, index: number, count: number): Promise<Ending | undefined> {
    const { port, operator } = this.o;
    const T = SELF_SERVICE_TEXT;
    if (this.interruption) return this.cancelledBeforeSettle(this.interruption);

    this.phaseNow = 'pre-settling';
    await this.show({ screen: 'paying', title: T.preSettling.title, message: T.preSettling.message });
    let preview: OrderView;
    try {
      preview = this.touch(await port.preSettle(operator, order.id));
    } catch (error) {
      return this.failure(error);
    }
    if (this.interruption) return this.cancelledBeforeSettle(this.interruption);
    const split = preview.split;
    if (!split) return this.failure(new StationError('INTERNAL', '预结算没有给出结算明细'));

    this.phaseNow = 'confirming-split';
    const confirmed = await this.confirm({
      screen: 'split',
      title: T.splitTitle(index, count),
      lines: splitLines(split),
      totalFen: split.totalFen,
      cashFen: split.cashFen,
      message: split.cashFen > 0 ? T.splitWithCash : T.splitWithoutCash,
    });
    if (confirmed !== true) return this.cancelledBeforeSettle(confirmed);

    this.phaseNow = 'settling';
    await this.show({ screen: 'paying', title: T.settling.title, message: T.settling.message });
    let settled: OrderView;
    try {
      settled = this.touch(await port.settle(operator, order.id));
    } catch (error) {
      return this.failure(error);
    }
    if (settled.state === 'completed' || settled.state === 'insurance-settled') {
      this.paid.push(settled);
      return undefined;
    }
    if (settled.state !== 'awaiting-payment') return this.unknown();
    return this.collectCash(settled);
  }

  /** The cash share of a settled order: a payment code, one retry, else the settlement is cancelled. */
  private async collectCash(order: OrderView): Promise<Ending | undefined> {
    const { port, operator } = this.o;
    const T = SELF_SERVICE_TEXT;
    const cashFen = order.split?.cashFen ?? 0;
    let failure = '';
    for (let attempt = 1; attempt <= PAY_ATTEMPTS; attempt++) {
      if (this.interruption) return this.undoSettlement(order, this.interruption);
      this.phaseNow = 'awaiting-paycode';
      const seq = await this.send({
        type: 'session.paycode',
        sessionId: this.sessionId,
        amountFen: cashFen,
        timeoutS: Math.max(1, Math.ceil(this.o.stepTimeoutMs / 1000)),
        message: clip(attempt === 1 ? T.payCode : T.payRetry(failure), 200),
      });
      const presented = await this.waitFor(seq, (e) => (e.type === 'session.paycode.result' && e.seq === seq ? e : undefined));
      if (!presented.ok) return this.undoSettlement(order, presented.why);
      if (!presented.value.ok) return this.undoSettlement(order, presented.value.reason === 'timeout' ? 'timeout' : 'cancelled');

      this.phaseNow = 'paying';
      await this.show({ screen: 'paying', title: T.paying.title, message: T.paying.message });
      let after: OrderView;
      try {
        after = this.touch(await port.payByCode(operator, order.id, presented.value.code));
      } catch (error) {
        // Not a payment code, or an expired one: nothing was charged, the patient may try again.
        if (error instanceof StationError && (error.code === 'INVALID_ARGUMENT' || error.code === 'SCAN_EXPIRED')) {
          failure = error.message;
          continue;
        }
        // Anything else may have charged the patient: never cancel the settlement on a guess.
        return this.failure(error, { unknown: true });
      }
      if (after.state === 'completed' || after.state === 'insurance-settled') {
        this.paid.push(after);
        return undefined;
      }
      failure = after.detail || '付款失败';
      // The core may undo the settlement itself after a failed payment (HX-28): then there is nothing to retry or cancel.
      if (after.state === 'open' || after.state === 'reversed') return this.paymentFailed(failure, T.paymentFailed);
      if (after.state === 'reversing' || after.state === 'expiring') return this.paymentFailed(failure, T.paymentFailedUndoing);
      if (after.state !== 'awaiting-payment') return this.unknown();
    }
    return this.undoSettlement(order, 'payment-failed', failure);
  }

  private async undoSettlement(order: OrderView, why: Interruption | 'payment-failed', failure = ''): Promise<Ending> {
    const T = SELF_SERVICE_TEXT;
    this.phaseNow = 'cancelling';
    await this.show({ screen: 'paying', title: T.cancelling.title, message: T.cancelling.message });
    let view: OrderView;
    try {
      view = this.touch(await this.o.port.cancelSettlement(this.o.operator, order.id, '自助机：患者未完成付款'));
    } catch (error) {
      return this.failure(error, { unknown: true });
    }
    // 'reversing': a step's answer was lost; the sweep finishes the undo, but the patient cannot be told it is done.
    if (view.state !== 'open') return this.unknown();
    if (why === 'payment-failed') return this.paymentFailed(failure, T.paymentFailed);
    return this.cancelled(why, T.cancelledAfterSettle);
  }

  private paymentFailed(failure: string, text: (detail: string) => string): Ending {
    return {
      outcome: 'failed',
      screen: { screen: 'error', title: SELF_SERVICE_TEXT.paymentFailedTitle, message: clip(text(clip(failure, 80)), 200) },
    };
  }

  private cancelledBeforeSettle(why: Interruption): Ending {
    return this.cancelled(why, SELF_SERVICE_TEXT.cancelledBeforeSettle);
  }

  private cancelled(why: Interruption, message: string): Ending {
    const T = SELF_SERVICE_TEXT;
    const paidNote = this.paid.length > 0 ? T.paidBefore(this.paid.length) : '';
    return {
      outcome: why === 'timeout' ? 'timeout' : 'cancelled',
      screen: { screen: 'result', title: why === 'timeout' ? T.timedOutTitle : T.cancelledTitle, message: `${message}${paidNote}` },
    };
  }

  private done(): Ending {
    const T = SELF_SERVICE_TEXT;
    const splits = this.paid.map((o) => o.split).filter((s) => s !== null);
    const pickup = this.paid.find((o) => o.his?.pickupWindow)?.his?.pickupWindow ?? null;
    return {
      outcome: 'completed',
      screen: {
        screen: 'result',
        title: T.doneTitle,
        lines: [
          { label: T.doneLines.fund, amountFen: sum(splits.map((s) => s.fundFen)) },
          { label: T.doneLines.account, amountFen: sum(splits.map((s) => s.accountFen)) },
          { label: T.doneLines.cash, amountFen: sum(splits.map((s) => s.cashFen)) },
        ],
        totalFen: sum(splits.map((s) => s.totalFen)),
        cashFen: sum(splits.map((s) => s.cashFen)),
        message: clip(T.doneMessage(pickup && clip(pickup, 40)), 200),
      },
    };
  }

  private unknown(): Ending {
    const { title, message } = SELF_SERVICE_TEXT.unknown;
    return { outcome: 'unknown', screen: { screen: 'error', title, message } };
  }

  /** A port error: OUTCOME_UNKNOWN (or, where money may have moved, any error) → resolving; else it says why. */
  private failure(error: unknown, { unknown = false } = {}): Ending {
    if (unknown || (error instanceof StationError && error.code === 'OUTCOME_UNKNOWN')) return this.unknown();
    const reason = error instanceof StationError ? error.message : SELF_SERVICE_TEXT.internal;
    return {
      outcome: 'failed',
      screen: { screen: 'error', title: SELF_SERVICE_TEXT.failedTitle, message: clip(SELF_SERVICE_TEXT.failed(clip(reason, 120)), 200) },
    };
  }

  private touch(view: OrderView): OrderView {
    this.touched.set(view.id, view.state);
    return view;
  }

  /** Shows a screen that waits for the patient: true when confirmed, else why not. */
  private async confirm(screen: SessionScreen): Promise<true | Interruption> {
    if (this.interruption) return this.interruption;
    const seq = await this.show(screen);
    const answer = await this.waitFor(seq, (e) => (e.type === 'session.confirm' && e.seq === seq ? true : undefined));
    return answer.ok ? true : answer.why;
  }

  private show(screen: SessionScreen): Promise<number | undefined> {
    return this.send({ type: 'session.show', sessionId: this.sessionId, screen });
  }

  /** Sends a session command; undefined when the terminal could not be reached (the wait that follows says so). */
  private async send(command: Parameters<SelfServiceDevices['faceSession']>[1]): Promise<number | undefined> {
    try {
      return await this.o.devices.faceSession(this.deviceId, command);
    } catch {
      return undefined;
    }
  }

  /**
   * Waits for the patient's answer to the command `seq`: the first event `match` takes (it may already have
   * come while the command was being written), unless they cancel, leave, or the step times out.
   */
  private waitFor<T>(
    seq: number | undefined,
    match: (event: FaceSessionEvent) => T | undefined,
  ): Promise<{ ok: true; value: T } | { ok: false; why: Interruption }> {
    if (seq === undefined) return Promise.resolve({ ok: false, why: 'terminal-lost' });
    return new Promise((resolve) => {
      const finish = (result: { ok: true; value: T } | { ok: false; why: Interruption }) => {
        clearTimeout(timer);
        if (this.wake === check) this.wake = undefined;
        resolve(result);
      };
      const check = () => {
        if (this.interruption) return finish({ ok: false, why: this.interruption });
        for (const [i, event] of this.inbox.entries()) {
          const value = match(event);
          if (value === undefined) continue;
          this.inbox.splice(i, 1);
          return finish({ ok: true, value });
        }
      };
      const timer = setTimeout(() => finish({ ok: false, why: 'timeout' }), this.o.stepTimeoutMs);
      this.wake = check;
      check();
    });
  }
}

function endReason(outcome: Ending['outcome']): SessionEndReason {
  switch (outcome) {
    case 'completed':
    case 'no-orders':
      return 'completed';
    case 'cancelled':
      return 'cancelled';
    case 'timeout':
      return 'timeout';
    case 'failed':
    case 'unknown':
      return 'failed';
  }
}
