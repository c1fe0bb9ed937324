/**
 * A social-security card reader that speaks a framed command protocol over a serial line (USB-CDC): each
 * request is one frame (command + data), each answer one frame (command echoed + status + data), checked by
 * the pure LengthPrefixedParser. One command at a time (CommandQueue); an answer that is not for the running
 * command is reported and dropped, so a late answer never passes for a new read.
 *
 * After every (re)connect the reader is probed, which also tells a wrong model or baud rate apart from a
 * working reader.
 */
import type { DeviceState } from '../../shared/domain';
import { CommandQueue } from '../command-queue';
import { DeviceError, isDeviceError } from '../errors';
import type { SerialCardReaderModel } from '../models';
import {
  parseCardBas,
  parseReaderOutput,
  parseResidentIdCard,
  type ParsedCard,
  type ResidentIdCard,
  type SocialSecurityCard,
} from '../parsers/card-info';
import { encodeLengthPrefixedFrame, LengthPrefixedParser, type LengthFrameDropReason } from '../parsers/length-prefixed-parser';
import type { SerialConnection, SerialTransport } from '../transports/serial-transport';
import type { CardReaderDriver } from './device-driver';
import { DriverBase } from './driver-base';
import { IdleTimer } from './idle-timer';
import { PendingAnswer } from './pending-answer';
import type { ReconnectingLink, ReconnectTiming } from './reconnecting-link';
import { createSerialLink } from './serial-link';

export const SERIAL_READER_TEXT = {
  ready: (firmware: string) => `已连接（${firmware}）`,
  noAnswer: '读卡器无应答（型号或波特率是否正确？）',
  unsolicited: '收到未请求的应答，已丢弃',
  garbled: (problem: string) => `读卡器返回的数据无法识别（${problem}），已丢弃`,
  unknownStatus: (status: number) => `读卡器返回未知状态 0x${status.toString(16).padStart(2, '0')}`,
  dropped: {
    noise: '收到无效数据，已丢弃',
    'bad-length': '收到长度错误的数据帧，已丢弃',
    'bad-checksum': '收到校验错误的数据帧，已丢弃',
    'bad-end': '收到结尾错误的数据帧，已丢弃',
    'idle-timeout': '应答不完整（设备中途停止发送），已丢弃',
    interrupted: '设备断开时应答不完整，已丢弃',
  } satisfies Record<LengthFrameDropReason, string>,
} as const;

/** the card slot argument of a read: 0x03 = contact chip first, then contactless */
const ANY_CARD_SLOT = 0x03;
const MAX_WAITING_COMMANDS = 4;

export interface SerialCardReaderOptions {
  id: string;
  model: SerialCardReaderModel;
  path: string;
  baudRate?: number;
  transport: SerialTransport;
  timing?: Partial<ReconnectTiming>;
  monotonicNow?: () => number;
  wallNow?: () => number;
}

interface Answer {
  command: number;
  status: number;
  data: Uint8Array;
}

export class SerialCardReader extends DriverBase implements CardReaderDriver {
  private readonly model: SerialCardReaderModel;
  private readonly parser: LengthPrefixedParser;
  private readonly idleTimer: IdleTimer;
  private readonly link: ReconnectingLink<SerialConnection>;
  private readonly queue = new CommandQueue({ maxWaiting: MAX_WAITING_COMMANDS });
  private readonly pending = new PendingAnswer<Answer>();
  private readonly monotonicNow: () => number;
  private disposal: Promise<void> | undefined;
  private firmware = '—';

  constructor(options: SerialCardReaderOptions) {
    const { model } = options;
    super({ id: options.id, role: model.role, model: model.label, path: options.path }, options.wallNow);
    this.model = model;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.parser = new LengthPrefixedParser({
      spec: model.frame,
      idleMs: model.idleMs,
      onFrame: (body) => this.answerArrived(body),
      onDrop: (drop) => this.warn(SERIAL_READER_TEXT.dropped[drop.reason]),
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
        // After the link has recorded the connection: the probe writes through it.
        queueMicrotask(() => void this.probe().catch(() => undefined));
      },
      onDropped: () => {
        this.parser.reset();
        this.idleTimer.arm();
        this.pending.fail(new DeviceError('offline', '读卡器已断开'));
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

  /** Asks the reader who it is; the answer (its firmware) becomes the status detail. */
  async probe(): Promise<string> {
    const answer = await this.request(this.model.commands.probe, new Uint8Array(0), this.model.probeTimeoutMs);
    this.firmware = Buffer.from(answer.data).toString('latin1').replace(/[^\x20-\x7e]/g, '').trim() || '—';
    this.setState('connected', SERIAL_READER_TEXT.ready(this.firmware));
    return this.firmware;
  }

  readCard(): Promise<SocialSecurityCard> {
    return this.read(this.model.commands.readCardBas, parseCardBas);
  }

  readIdCard(): Promise<ResidentIdCard> {
    return this.read(this.model.commands.readIdCard, parseResidentIdCard);
  }

  private async release(): Promise<void> {
    this.disposed = true;
    this.queue.dispose();
    await this.link.dispose();
    this.idleTimer.clear();
    this.disposeEvents();
  }

  private async read<T>(command: number, parse: (text: string) => ParsedCard<T>): Promise<T> {
    const answer = await this.request(command, Uint8Array.of(ANY_CARD_SLOT), this.model.readTimeoutMs);
    const outcome = this.model.statusCodes[answer.status];
    if (outcome === undefined) throw new DeviceError('device-error', SERIAL_READER_TEXT.unknownStatus(answer.status));
    if (outcome !== 'ok') throw new DeviceError(outcome);
    const parsed = parseReaderOutput(answer.data, this.model.textEncoding, parse);
    if (!parsed.ok) {
      const message = SERIAL_READER_TEXT.garbled(parsed.problem);
      this.warn(message);
      throw new DeviceError('garbled', message);
    }
    return parsed.card;
  }

  private request(command: number, data: Uint8Array, timeoutMs: number): Promise<Answer> {
    if (this.disposed) return Promise.reject(new DeviceError('disposed'));
    return this.queue.run(
      async (signal) => {
        const connection = this.link.connection;
        if (!connection) throw new DeviceError('offline', this.status.view.detail);
        const answer = this.pending.wait((candidate) => candidate.command === command, signal);
        // Handled below once the write is done; it may reject (abort, dispose) while the write is still pending.
        answer.catch(() => undefined);
        try {
          await connection.write(encodeLengthPrefixedFrame(this.model.frame, Uint8Array.of(command, ...data)));
        } catch (error) {
          this.pending.fail(error);
          this.link.lost();
        }
        try {
          return await answer;
        } catch (error) {
          if (isDeviceError(error, 'timeout')) this.setState('error', SERIAL_READER_TEXT.noAnswer);
          throw isDeviceError(error) ? error : new DeviceError('offline', '读卡器已断开', { cause: error });
        }
      },
      { timeoutMs },
    );
  }

  private receive(chunk: Uint8Array): void {
    this.parser.push(chunk, this.monotonicNow());
    this.idleTimer.arm();
  }

  private answerArrived(body: Uint8Array): void {
    if (body.length < 2) return this.warn(SERIAL_READER_TEXT.garbled('应答过短'));
    const answer: Answer = { command: body[0]!, status: body[1]!, data: body.subarray(2) };
    if (!this.pending.offer(answer)) return this.warn(SERIAL_READER_TEXT.unsolicited);
    if (this.status.state === 'error') this.setState('connected', SERIAL_READER_TEXT.ready(this.firmware));
  }

  private setState(state: DeviceState, detail: string): void {
    if (!this.disposed && this.link.connection) this.status.update(state, detail);
  }
}
