/**
 * Runs patient self-service on the station's face terminals (HX-T1): a `self-service` start from a terminal
 * begins a session (SelfServiceSession), the terminal's session events go to the session they name, and each
 * terminal runs one session at a time — a second start while one runs is answered at once on the terminal
 * with an error screen "终端忙" and `session.end` (reason `busy`) for the new session id, and reported as
 * outcome `busy`; a repeated start of the running session id is ignored.
 */
import { outBizNo } from '../workflows';
import { DisposableStore, Emitter, type Disposable } from '../../shared/lifecycle';
import type { OperatorView } from '../../shared/domain';
import { SELF_SERVICE_OPERATOR, type SelfServiceDevices, type SelfServicePort } from './ports';
import { SELF_SERVICE_TEXT, SelfServiceSession, type SelfServicePhase, type SelfServiceReport } from './self-service-session';

export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

export interface SelfServiceRunnerOptions {
  devices: SelfServiceDevices;
  port: SelfServicePort;
  /** the institution code the face verification's outBizNo starts with */
  institutionCode: string;
  /** default SELF_SERVICE_OPERATOR (zz001 自助终端) */
  operator?: OperatorView;
  /** how long the patient has for each screen and for the payment code; default 60 s */
  stepTimeoutMs?: number;
  now?: () => Date;
  /** the centre's zone, for the outBizNo's date; default Asia/Shanghai */
  timeZone?: string;
  /** default: institution code + yyyyMMdd (China time) + 9 random digits */
  newOutBizNo?: () => string;
}

export interface ActiveSelfService {
  deviceId: string;
  sessionId: string;
  phase: SelfServicePhase;
}

export class SelfServiceRunner implements Disposable {
  private readonly running = new Map<string, { session: SelfServiceSession; done: Promise<SelfServiceReport> }>();
  private readonly finished = new Emitter<SelfServiceReport>();
  private readonly subscriptions = new DisposableStore();
  private readonly operator: OperatorView;
  private readonly stepTimeoutMs: number;
  private readonly now: () => Date;
  private readonly newOutBizNo: () => string;
  private disposed = false;
  private started = false;

  /** Every session's end, with its outcome and the orders it acted on (no personal data). */
  readonly onFinished = this.finished.event;

  constructor(private readonly options: SelfServiceRunnerOptions) {
    this.operator = options.operator ?? SELF_SERVICE_OPERATOR;
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
    this.newOutBizNo = options.newOutBizNo ?? (() => outBizNo(options.institutionCode, this.now(), options.timeZone ?? 'Asia/Shanghai'));
  }

  /** Listens to the terminals: self-service starts and session events. Idempotent. */
  start(): void {
    if (this.disposed || this.started) return;
    this.started = true;
    const { devices } = this.options;
    this.subscriptions.add(devices.onSelfService(({ deviceId, sessionId }) => void this.begin(deviceId, sessionId)));
    this.subscriptions.add(
      devices.onFaceSession(({ deviceId, ...event }) => {
        const current = this.running.get(deviceId);
        if (current?.session.sessionId === event.sessionId) current.session.deliver(event);
      }),
    );
  }

  /** Starts a session for a patient at terminal `deviceId` (what a `self-service` start does); resolves when it ended. */
  begin(deviceId: string, sessionId: string): Promise<SelfServiceReport> {
    const current = this.running.get(deviceId);
    if (current?.session.sessionId === sessionId) return current.done;
    if (current || this.disposed) return this.refuseBusy(deviceId, sessionId);
    const session = new SelfServiceSession({
      deviceId,
      sessionId,
      devices: this.options.devices,
      port: this.options.port,
      operator: this.operator,
      stepTimeoutMs: this.stepTimeoutMs,
      outBizNo: this.newOutBizNo,
      now: this.now,
    });
    const done = session.run().then((report) => {
      this.running.delete(deviceId);
      this.finished.fire(report);
      return report;
    });
    this.running.set(deviceId, { session, done });
    return done;
  }

  active(): ActiveSelfService[] {
    return [...this.running.values()].map(({ session }) => ({
      deviceId: session.deviceId,
      sessionId: session.sessionId,
      phase: session.phase,
    }));
  }

  /**
   * Stops listening and ends the running sessions: what waits for a patient gives up (an unpaid settlement is
   * cancelled through the port), port calls under way finish. Resolves when every session has ended — dispose
   * the runner before the outpatient core it calls.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.subscriptions.dispose();
    const sessions = [...this.running.values()];
    for (const { session } of sessions) session.abort();
    await Promise.all(sessions.map(({ done }) => done));
    this.finished.dispose();
  }

  private async refuseBusy(deviceId: string, sessionId: string): Promise<SelfServiceReport> {
    const at = this.now().toISOString();
    const { devices } = this.options;
    const { title, message } = SELF_SERVICE_TEXT.busy;
    await devices
      .faceSession(deviceId, { type: 'session.show', sessionId, screen: { screen: 'error', title, message } })
      .catch(() => undefined);
    await devices.faceSession(deviceId, { type: 'session.end', sessionId, reason: 'busy' }).catch(() => undefined);
    const report: SelfServiceReport = {
      deviceId,
      sessionId,
      outcome: 'busy',
      detail: message,
      orders: [],
      startedAt: at,
      endedAt: this.now().toISOString(),
    };
    this.finished.fire(report);
    return report;
  }
}
