/**
 * A face-recognition terminal on the far end of a pty cable, speaking the JSON-lines protocol of
 * docs/devices.md, written independently of the app's driver. Tests script each verification (an identity,
 * a refusal, or no answer at all) and push self-service starts as a patient at the terminal would.
 */
import { PtyDevicePort } from './pty-device-port';

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

  sendRaw(bytes: Uint8Array | string): Promise<void> {
    return this.port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  async close(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
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
      this.requests.push(request);
      this.handle(request);
    }
  }

  private handle(request: Record<string, unknown>): void {
    const seq = request.seq;
    if (typeof seq !== 'number') return;
    switch (request.type) {
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

  private answer(seq: number, outcome: Exclude<VerificationOutcome, { hang: true }>): Promise<void> {
    if ('raw' in outcome) return this.port.write(Buffer.from(`${outcome.raw(seq)}\n`, 'utf8'));
    if ('identity' in outcome) return this.send({ type: 'verify.result', seq, ok: true, ...outcome.identity });
    return this.send({ type: 'verify.result', seq, ok: false, reason: outcome.refuse, ...(outcome.message ? { message: outcome.message } : {}) });
  }

  private send(message: Record<string, unknown>): Promise<void> {
    return this.port.write(Buffer.from(`${JSON.stringify(message)}\n`, 'utf8'));
  }
}
