/**
 * A face-recognition terminal over a serial line, speaking JSON lines (parsers/face-messages.ts). The
 * station asks it to verify the patient in front of the window (`verify`, with the business's outBizNo) and
 * gets the e-voucher authorisation back, or a refusal; a patient can also start at the terminal, which the
 * driver passes on as a self-service start (HX-T1).
 *
 * During a self-service session the station drives the terminal's screen (`session.show`, `session.paycode`,
 * `session.end`) and the patient's answers come back as session events (`session.confirm`, `session.cancel`,
 * `session.paycode.result`). Session commands are not request/answer pairs: they are written at once, beside
 * whatever command the queue runs, and the patient's answer may come minutes later — the workflow matches it
 * by session id and sequence number (src/station/self-service).
 *
 * Requests carry a sequence number and answers must carry the same one: an answer to a verification the
 * station already gave up on (and cancelled) is reported and dropped, never credited to the next patient.
 */
import type { DeviceState } from '../../shared/domain';
import { CommandQueue } from '../command-queue';
import { DeviceError, isDeviceError } from '../errors';
import { type Disposable, Emitter } from '../../shared/lifecycle';
import type { SerialFaceTerminalModel } from '../models';
import { DelimiterParser, LF, type FrameDropReason } from '../parsers/delimiter-parser';
import {
  decodeTerminalMessage,
  encodeStationMessage,
  identityOf,
  isSessionEvent,
  sessionMessage,
  type FaceIdentity,
  type FaceSessionEvent,
  type FaceTerminalInfo,
  type SelfServiceStart,
  type SessionCommand,
  type StationMessage,
  type TerminalMessage,
  type VerifyRefusal,
} from '../parsers/face-messages';
import type { SerialConnection, SerialTransport } from '../transports/serial-transport';
import type { FaceTerminalDriver } from './device-driver';
import { DriverBase } from './driver-base';
import { IdleTimer } from './idle-timer';
import { PendingAnswer } from './pending-answer';
import type { ReconnectingLink, ReconnectTiming } from './reconnecting-link';
import { createSerialLink } from './serial-link';

export const FACE_TERMINAL_TEXT = {
  ready: (info: FaceTerminalInfo) => `已连接（${info.model} ${info.firmware}）`,
  noAnswer: '刷脸终端无应答（型号或波特率是否正确？）',
  invalid: (problem: string) => `收到无法识别的消息（${problem}），已丢弃`,
  unsolicited: '收到未请求的应答，已丢弃',
  invalidCommand: (problem: string) => `自助会话指令无效（${problem}），未发送`,
  refusals: {
    refused: '人脸核验未通过',
    cancelled: '患者已取消刷脸',
    timeout: '刷脸超时，未检测到人脸',
    'liveness-failed': '活体检测未通过，请患者正对摄像头重试',
    busy: '刷脸终端正忙（自助业务进行中）',
  } satisfies Record<VerifyRefusal, string>,
  dropped: {
    'control-byte': '收到无效数据（含控制字符），已丢弃',
    'invalid-utf8': '收到无效数据（编码错误），已丢弃',
    'too-long': '收到超长消息，已丢弃',
    'idle-timeout': '消息不完整（设备中途停止发送），已丢弃',
    interrupted: '设备断开时消息不完整，已丢弃',
  } satisfies Record<FrameDropReason, string>,
} as const;

const REFUSAL_CODES: Record<VerifyRefusal, 'refused' | 'timeout' | 'busy'> = {
  refused: 'refused',
  cancelled: 'refused',
  timeout: 'timeout',
  'liveness-failed': 'refused',
  busy: 'busy',
};

const MAX_WAITING_COMMANDS = 2;
type Answer = Extract<TerminalMessage, { type: 'pong' | 'verify.result' }>;

export interface SerialFaceTerminalOptions {
  id: string;
  model: SerialFaceTerminalModel;
  path: string;
  baudRate?: number;
  transport: SerialTransport;
  timing?: Partial<ReconnectTiming>;
  monotonicNow?: () => number;
  wallNow?: () => number;
}

export class SerialFaceTerminal extends DriverBase implements FaceTerminalDriver {
  private readonly model: SerialFaceTerminalModel;
  private readonly parser: DelimiterParser;
  private readonly idleTimer: IdleTimer;
  private readonly link: ReconnectingLink<SerialConnection>;
  private readonly queue = new CommandQueue({ maxWaiting: MAX_WAITING_COMMANDS });
  private readonly pending = new PendingAnswer<Answer>();
  private readonly selfService = new Emitter<SelfServiceStart>();
  private readonly sessionEvents = new Emitter<FaceSessionEvent>();
  private readonly monotonicNow: () => number;
  private disposal: Promise<void> | undefined;
  /** starts anywhere, so a restarted station cannot take an answer meant for its previous run */
  private seq = Math.floor(Math.random() * 1_000_000);
  private info: FaceTerminalInfo | undefined;

  readonly onSelfService = (listener: (start: SelfServiceStart) => void): Disposable => this.selfService.event(listener);
  readonly onSessionEvent = (listener: (event: FaceSessionEvent) => void): Disposable => this.sessionEvents.event(listener);

  constructor(options: SerialFaceTerminalOptions) {
    const { model } = options;
    super({ id: options.id, role: model.role, model: model.label, path: options.path }, options.wallNow);
    this.model = model;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.parser = new DelimiterParser({
      terminators: [LF],
      maxFrameBytes: model.maxFrameBytes,
      idleMs: model.idleMs,
      onFrame: (line) => this.messageArrived(line),
      onDrop: (drop) => this.warn(FACE_TERMINAL_TEXT.dropped[drop.reason]),
    });
    this.idleTimer = new IdleTimer(this.parser, this.monotonicNow);
    this.link = createSerialLink({
      transport: options.transport,
      path: options.path,
      settings: { baudRate: options.baudRate ?? model.baudRate, dataBits: model.dataBits, parity: model.parity, stopBits: model.stopBits },
      status: this.status,
      timing: options.timing,
      onConnected: (connection, listeners) => {
        listeners.add(connection.onData((chunk) => this.receive(chunk)));
        queueMicrotask(() => void this.ping().catch(() => undefined));
      },
      onDropped: () => {
        this.parser.reset();
        this.idleTimer.arm();
        this.pending.fail(new DeviceError('offline', '刷脸终端已断开'));
      },
    });
  }

  start(): void {
    if (!this.disposed) this.link.start();
  }

  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  async ping(): Promise<FaceTerminalInfo> {
    const answer = await this.request((seq) => ({ type: 'ping', seq }), this.model.pingTimeoutMs);
    if (answer.type !== 'pong') throw new DeviceError('garbled', FACE_TERMINAL_TEXT.unsolicited);
    const { model, firmware, serial } = answer;
    this.info = { model, firmware, serial };
    this.setState('connected', FACE_TERMINAL_TEXT.ready(this.info));
    return this.info;
  }

  /** Verifies the patient at the terminal for the business `outBizNo`; rejects with a DeviceError otherwise. */
  async verify({ outBizNo }: { outBizNo: string }): Promise<FaceIdentity> {
    const timeoutS = Math.ceil(this.model.verifyTimeoutMs / 1000);
    const answer = await this.request((seq) => ({ type: 'verify', seq, outBizNo, timeoutS }), this.model.verifyTimeoutMs, {
      cancelOnAbort: true,
    });
    if (answer.type !== 'verify.result') throw new DeviceError('garbled', FACE_TERMINAL_TEXT.unsolicited);
    if (answer.ok) return identityOf(answer);
    throw new DeviceError(REFUSAL_CODES[answer.reason], answer.message ?? FACE_TERMINAL_TEXT.refusals[answer.reason]);
  }

  /**
   * Sends a self-service session command (a screen, a payment-code request, the end) and resolves with the
   * sequence number it carried once written — a `session.confirm` or `session.paycode.result` names it. Not
   * queued behind a running verification; rejects with `offline` when the terminal is not there and with
   * `device-error` (nothing written) when the command does not fit the protocol.
   */
  async sendSession(command: SessionCommand): Promise<number> {
    if (this.disposed) throw new DeviceError('disposed');
    const connection = this.link.connection;
    if (!connection) throw new DeviceError('offline', this.status.view.detail);
    const seq = this.nextSeq();
    const checked = sessionMessage(command, seq);
    if (!checked.ok) throw new DeviceError('device-error', FACE_TERMINAL_TEXT.invalidCommand(checked.problem));
    try {
      await connection.write(encodeStationMessage(checked.message));
    } catch (error) {
      this.link.lost();
      throw new DeviceError('offline', '刷脸终端已断开', { cause: error });
    }
    return seq;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    this.queue.dispose();
    await this.link.dispose();
    this.idleTimer.clear();
    this.selfService.dispose();
    this.sessionEvents.dispose();
    this.disposeEvents();
  }

  private request(
    build: (seq: number) => StationMessage,
    timeoutMs: number,
    { cancelOnAbort = false } = {},
  ): Promise<Answer> {
    if (this.disposed) return Promise.reject(new DeviceError('disposed'));
    return this.queue.run(
      async (signal) => {
        const connection = this.link.connection;
        if (!connection) throw new DeviceError('offline', this.status.view.detail);
        const seq = this.nextSeq();
        const answer = this.pending.wait((candidate) => candidate.seq === seq, signal);
        // Handled below once the write is done; it may reject (abort, dispose) while the write is still pending.
        answer.catch(() => undefined);
        try {
          await connection.write(encodeStationMessage(build(seq)));
        } catch (error) {
          this.pending.fail(error);
          this.link.lost();
        }
        try {
          return await answer;
        } catch (error) {
          // The patient may still be at the camera: tell the terminal to stop, so it does not verify for nobody.
          if (cancelOnAbort && signal.aborted) void connection.write(encodeStationMessage({ type: 'cancel', seq })).catch(() => undefined);
          if (isDeviceError(error, 'timeout') && !cancelOnAbort) this.setState('error', FACE_TERMINAL_TEXT.noAnswer);
          throw isDeviceError(error) ? error : new DeviceError('offline', '刷脸终端已断开', { cause: error });
        }
      },
      { timeoutMs },
    );
  }

  private receive(chunk: Uint8Array): void {
    this.parser.push(chunk, this.monotonicNow());
    this.idleTimer.arm();
  }

  private messageArrived(line: string): void {
    const decoded = decodeTerminalMessage(line);
    if (!decoded.ok) return this.warn(FACE_TERMINAL_TEXT.invalid(decoded.problem));
    const message = decoded.message;
    if (message.type === 'self-service') return this.selfService.fire({ sessionId: message.sessionId });
    if (isSessionEvent(message)) return this.sessionEvents.fire(message);
    if (!this.pending.offer(message)) return this.warn(FACE_TERMINAL_TEXT.unsolicited);
    if (this.status.state === 'error' && this.info) this.setState('connected', FACE_TERMINAL_TEXT.ready(this.info));
  }

  private nextSeq(): number {
    this.seq = this.seq >= 2 ** 31 - 1 ? 1 : this.seq + 1;
    return this.seq;
  }

  private setState(state: DeviceState, detail: string): void {
    if (!this.disposed && this.link.connection) this.status.update(state, detail);
  }
}
