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
import { DeviceError } from '../errors';
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
import type { FaceTerminalDriver } from './device-driver';
import { SerialCommandDriver } from './serial-command-driver';
import type { SerialDeviceOptions } from './serial-link';

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

export type SerialFaceTerminalOptions = SerialDeviceOptions<SerialFaceTerminalModel>;

export class SerialFaceTerminal extends SerialCommandDriver<Answer> implements FaceTerminalDriver {
  private readonly model: SerialFaceTerminalModel;
  protected readonly parser: DelimiterParser;
  private readonly selfService = new Emitter<SelfServiceStart>();
  private readonly sessionEvents = new Emitter<FaceSessionEvent>();
  /** starts anywhere, so a restarted station cannot take an answer meant for its previous run */
  private seq = Math.floor(Math.random() * 1_000_000);
  private info: FaceTerminalInfo | undefined;

  readonly onSelfService = (listener: (start: SelfServiceStart) => void): Disposable => this.selfService.event(listener);
  readonly onSessionEvent = (listener: (event: FaceSessionEvent) => void): Disposable => this.sessionEvents.event(listener);

  constructor(options: SerialFaceTerminalOptions) {
    const { model } = options;
    super(options, MAX_WAITING_COMMANDS, { ...FACE_TERMINAL_TEXT, disconnected: '刷脸终端已断开' });
    this.model = model;
    this.parser = new DelimiterParser({
      terminators: [LF],
      maxFrameBytes: model.maxFrameBytes,
      idleMs: model.idleMs,
      onFrame: (line) => this.messageArrived(line),
      onDrop: (drop) => this.warn(FACE_TERMINAL_TEXT.dropped[drop.reason]),
    });
  }

  async ping(): Promise<FaceTerminalInfo> {
    const answer = await this.command((seq) => ({ type: 'ping', seq }), this.model.pingTimeoutMs);
    if (answer.type !== 'pong') throw new DeviceError('garbled', FACE_TERMINAL_TEXT.unsolicited);
    const { model, firmware, serial } = answer;
    this.info = { model, firmware, serial };
    this.setState('connected', FACE_TERMINAL_TEXT.ready(this.info));
    return this.info;
  }

  /** Verifies the patient at the terminal for the business `outBizNo`; rejects with a DeviceError otherwise. */
  async verify({ outBizNo }: { outBizNo: string }): Promise<FaceIdentity> {
    const timeoutS = Math.ceil(this.model.verifyTimeoutMs / 1000);
    const answer = await this.command((seq) => ({ type: 'verify', seq, outBizNo, timeoutS }), this.model.verifyTimeoutMs, {
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

  protected identify(): Promise<FaceTerminalInfo> {
    return this.ping();
  }

  protected readyDetail(): string | undefined {
    return this.info && FACE_TERMINAL_TEXT.ready(this.info);
  }

  protected override disposeEvents(): void {
    this.selfService.dispose();
    this.sessionEvents.dispose();
    super.disposeEvents();
  }

  /**
   * `cancelOnAbort`: the patient may still be at the camera when the caller gives up: tell the terminal to
   * stop, so it does not verify for nobody.
   */
  private command(build: (seq: number) => StationMessage, timeoutMs: number, { cancelOnAbort = false } = {}): Promise<Answer> {
    return this.request(() => {
      const seq = this.nextSeq();
      return {
        bytes: encodeStationMessage(build(seq)),
        accepts: (candidate) => candidate.seq === seq,
        ...(cancelOnAbort ? { cancel: encodeStationMessage({ type: 'cancel', seq }) } : {}),
      };
    }, timeoutMs);
  }

  private messageArrived(line: string): void {
    const decoded = decodeTerminalMessage(line);
    if (!decoded.ok) return this.warn(FACE_TERMINAL_TEXT.invalid(decoded.problem));
    const message = decoded.message;
    if (message.type === 'self-service') return this.selfService.fire({ sessionId: message.sessionId });
    if (isSessionEvent(message)) return this.sessionEvents.fire(message);
    this.answerArrived(message);
  }

  private nextSeq(): number {
    this.seq = this.seq >= 2 ** 31 - 1 ? 1 : this.seq + 1;
    return this.seq;
  }
}
