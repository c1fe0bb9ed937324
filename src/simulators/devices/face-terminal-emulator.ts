/**
 * A face-recognition terminal on the far end of a pty cable, speaking the JSON-lines protocol of
 * docs/devices.md, written independently of the app's driver. Tests script each verification (an identity,
 * a refusal, or no answer at all) and push self-service starts as a patient at the terminal would.
 *
 * Self-service (HX-T1): a scripted patient answers the station's session frames — confirms each screen that
 * asks for it (or cancels, walks away, stays silent at a given one), presents a payment code when asked (or
 * refuses, lets it time out) — and every `session.*` frame is kept, so a test can assert what the patient saw.
 */
import { PtyDevicePort } from './pty-device-port';
import { appendBounded } from '../bounded-log';

export interface EmulatedIdentity {
  authNo: string;
  ecToken: string;
  idNo: string;
  userName: string;
  insuOrg: string;
}

export type VerificationOutcome =
  | { identity: EmulatedIdentity; afterMs?: number }
  | { refuse: 'refused' | 'cancelled' | 'timeout' | 'liveness-failed' | 'busy'; message?: string; afterMs?: number }
  | { hang: true } // the patient walked away and the terminal never answers
  | { raw: (seq: number) => string; afterMs?: number }; // this line (without the LF) instead of a result

/** What the patient does at a screen that waits for them (`orders`, `split`). */
export type ScreenAnswer = 'confirm' | 'cancel' | 'walk-away' | 'silent';

/** What the patient does when the station asks for a payment code. */
export type PayCodeAnswer =
  | { code: string } // the terminal's scanner reads this code
  | { refuse: 'cancelled' | 'timeout' | 'unreadable' } // the terminal answers without a code
  | { walkAway: true } // the terminal reports the patient gone (session.cancel walked-away)
  | { silent: true } // nothing at all: the station's own deadline decides
  | { raw: (seq: number, sessionId: string) => string }; // this line (without the LF) instead

export interface PatientScript {
  /** answers to successive confirmable screens, in order; once used up, `thenScreens` (default 'confirm') */
  screens?: ScreenAnswer[];
  thenScreens?: ScreenAnswer;
  /** answers to successive payment-code requests; once used up, `{refuse: 'timeout'}` */
  payCodes?: PayCodeAnswer[];
  /** how long the patient takes for each answer (default 10 ms) */
  delayMs?: number;
}

/** A `session.show` frame as the terminal received it. */
export interface EmulatedScreen {
  type: 'session.show';
  seq: number;
  sessionId: string;
  screen: 'orders' | 'split' | 'paying' | 'result' | 'error';
  title: string;
  lines: { label: string; amountFen: number }[];
  totalFen?: number;
  cashFen?: number;
  message?: string;
}

const CONFIRMABLE = new Set(['orders', 'split']);

export interface FaceTerminalEmulatorOptions {
  model?: string;
  firmware?: string;
  serial?: string;
}

export class FaceTerminalEmulator {
  private readonly port: PtyDevicePort;
  private readonly info: { model: string; firmware: string; serial: string };
  private received = '';
  private readonly outcomes: VerificationOutcome[] = [];
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly patientTimers = new Set<ReturnType<typeof setTimeout>>();
  private patient: Required<PatientScript> = { screens: [], thenScreens: 'confirm', payCodes: [], delayMs: 10 };
  /** every request the station sent, parsed */
  readonly requests: Record<string, unknown>[] = [];

  constructor(devicePath: string, options: FaceTerminalEmulatorOptions = {}) {
    this.info = {
      model: options.model ?? 'SIM-FACE-T1',
      firmware: options.firmware ?? '1.0.0',
      serial: options.serial ?? 'SIMFACE0001',
    };
    this.port = new PtyDevicePort(devicePath, { onData: (chunk) => this.receive(chunk) });
  }

  /** How the next verification ends (queue several for several). */
  nextVerification(outcome: VerificationOutcome): void {
    this.outcomes.push(outcome);
  }

  /** A patient starts self-service at the terminal. */
  startSelfService(sessionId: string): Promise<void> {
    return this.send({ type: 'self-service', sessionId });
  }

  /** How the patient of the next self-service session(s) behaves; replaces the previous script. */
  scriptPatient(script: PatientScript): void {
    this.patient = {
      screens: [...(script.screens ?? [])],
      thenScreens: script.thenScreens ?? 'confirm',
      payCodes: [...(script.payCodes ?? [])],
      delayMs: script.delayMs ?? 10,
    };
  }

  /** Every `session.*` frame the station sent (optionally for one session), in order. */
  sessionFrames(sessionId?: string): Record<string, unknown>[] {
    return this.requests.filter(
      (r) => typeof r.type === 'string' && r.type.startsWith('session.') && (sessionId === undefined || r.sessionId === sessionId),
    );
  }

  /** The screens shown (optionally for one session), in order: what the patient saw. */
  screens(sessionId?: string): EmulatedScreen[] {
    return this.sessionFrames(sessionId).filter((r) => r.type === 'session.show') as unknown as EmulatedScreen[];
  }

  /** The patient presses 取消 (or leaves: 'walked-away') right now. */
  cancelSession(sessionId: string, reason: 'cancelled' | 'walked-away' = 'cancelled'): Promise<void> {
    return this.send({ type: 'session.cancel', sessionId, reason });
  }

  /** The patient presses 确认 for the screen `seq` right now. */
  confirmScreen(sessionId: string, seq: number): Promise<void> {
    return this.send({ type: 'session.confirm', sessionId, seq });
  }

  sendRaw(bytes: Uint8Array | string): Promise<void> {
    return this.port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  async close(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const timer of this.patientTimers) clearTimeout(timer);
    this.patientTimers.clear();
    await this.port.close();
  }

  private receive(chunk: Buffer): void {
    this.received += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.received.indexOf('\n')) >= 0) {
      const line = this.received.slice(0, newline);
      this.received = this.received.slice(newline + 1);
      let request: Record<string, unknown>;
      try {
        request = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // a real terminal ignores what it cannot read
      }
      appendBounded(this.requests, request);
      this.handle(request);
    }
  }

  private handle(request: Record<string, unknown>): void {
    const seq = request.seq;
    if (typeof seq !== 'number') return;
    const sessionId = typeof request.sessionId === 'string' ? request.sessionId : undefined;
    switch (request.type) {
      case 'session.show':
        if (sessionId && typeof request.screen === 'string' && CONFIRMABLE.has(request.screen)) this.answerScreen(sessionId, seq);
        return;
      case 'session.paycode':
        if (sessionId) this.answerPayCode(sessionId, seq);
        return;
      case 'ping':
        void this.send({ type: 'pong', seq, ...this.info }).catch(() => undefined);
        return;
      case 'verify': {
        const outcome = this.outcomes.shift() ?? { refuse: 'timeout', message: '未检测到人脸' };
        if ('hang' in outcome) return;
        const timer = setTimeout(() => {
          this.timers.delete(seq);
          void this.answer(seq, outcome).catch(() => undefined);
        }, outcome.afterMs ?? 10);
        this.timers.set(seq, timer);
        return;
      }
      case 'cancel':
        clearTimeout(this.timers.get(seq));
        this.timers.delete(seq);
        return;
    }
  }

  private answerScreen(sessionId: string, seq: number): void {
    const answer = this.patient.screens.shift() ?? this.patient.thenScreens;
    if (answer === 'silent') return;
    this.later(() => {
      if (answer === 'confirm') return { type: 'session.confirm', sessionId, seq };
      return { type: 'session.cancel', sessionId, reason: answer === 'cancel' ? 'cancelled' : 'walked-away' };
    });
  }

  private answerPayCode(sessionId: string, seq: number): void {
    const answer = this.patient.payCodes.shift() ?? { refuse: 'timeout' };
    if ('silent' in answer) return;
    this.later(() => {
      if ('raw' in answer) return answer.raw(seq, sessionId);
      if ('walkAway' in answer) return { type: 'session.cancel', sessionId, reason: 'walked-away' };
      if ('code' in answer) return { type: 'session.paycode.result', sessionId, seq, ok: true, code: answer.code };
      return { type: 'session.paycode.result', sessionId, seq, ok: false, reason: answer.refuse };
    });
  }

  /** Sends what the patient does after their delay; a string is a raw line. */
  private later(message: () => Record<string, unknown> | string): void {
    const timer = setTimeout(() => {
      this.patientTimers.delete(timer);
      const m = message();
      const line = typeof m === 'string' ? m : JSON.stringify(m);
      void this.port.write(Buffer.from(`${line}\n`, 'utf8')).catch(() => undefined);
    }, this.patient.delayMs);
    this.patientTimers.add(timer);
  }

  private answer(seq: number, outcome: Exclude<VerificationOutcome, { hang: true }>): Promise<void> {
    if ('raw' in outcome) return this.port.write(Buffer.from(`${outcome.raw(seq)}\n`, 'utf8'));
    if ('identity' in outcome) return this.send({ type: 'verify.result', seq, ok: true, ...outcome.identity });
    return this.send({
      type: 'verify.result',
      seq,
      ok: false,
      reason: outcome.refuse,
      ...(outcome.message ? { message: outcome.message } : {}),
    });
  }

  private send(message: Record<string, unknown>): Promise<void> {
    return this.port.write(Buffer.from(`${JSON.stringify(message)}\n`, 'utf8'));
  }
}
