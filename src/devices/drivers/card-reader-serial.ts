/**
 * A social-security card reader that speaks a framed command protocol over a serial line (USB-CDC): each
 * request is one frame (command + data), each answer one frame (command echoed + status + data), checked by
 * the pure LengthPrefixedParser. Commands, answers and the probe after every (re)connect are those of every
 * serial command driver (serial-command-driver.ts); an answer is taken for the command whose code it echoes.
 */
import { DeviceError } from '../errors';
import type { SerialCardReaderModel } from '../models';
import { parseCardBas, parseResidentIdCard, type ResidentIdCard, type SocialSecurityCard } from '../parsers/card-info';
import { encodeLengthPrefixedFrame, LengthPrefixedParser, type LengthFrameDropReason } from '../parsers/length-prefixed-parser';
import { CARD_OUTPUT_TEXT, cardFromOutput, type CardParser } from './card-reader-output';
import type { CardReaderDriver } from './device-driver';
import { SerialCommandDriver } from './serial-command-driver';
import type { SerialDeviceOptions } from './serial-link';

export const SERIAL_READER_TEXT = {
  ready: (firmware: string) => `已连接（${firmware}）`,
  noAnswer: '读卡器无应答（型号或波特率是否正确？）',
  unsolicited: '收到未请求的应答，已丢弃',
  garbled: CARD_OUTPUT_TEXT.garbled,
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

export type SerialCardReaderOptions = SerialDeviceOptions<SerialCardReaderModel>;

interface Answer {
  command: number;
  status: number;
  data: Uint8Array;
}

export class SerialCardReader extends SerialCommandDriver<Answer> implements CardReaderDriver {
  private readonly model: SerialCardReaderModel;
  protected readonly parser: LengthPrefixedParser;
  private firmware = '—';

  constructor(options: SerialCardReaderOptions) {
    const { model } = options;
    super(options, MAX_WAITING_COMMANDS, { ...SERIAL_READER_TEXT, disconnected: '读卡器已断开' });
    this.model = model;
    this.parser = new LengthPrefixedParser({
      spec: model.frame,
      idleMs: model.idleMs,
      onFrame: (body) => this.frameArrived(body),
      onDrop: (drop) => this.warn(SERIAL_READER_TEXT.dropped[drop.reason]),
    });
  }

  /** Asks the reader who it is; the answer (its firmware) becomes the status detail. */
  async probe(): Promise<string> {
    const answer = await this.command(this.model.commands.probe, new Uint8Array(0), this.model.probeTimeoutMs);
    this.firmware =
      Buffer.from(answer.data)
        .toString('latin1')
        .replace(/[^\x20-\x7e]/g, '')
        .trim() || '—';
    this.setState('connected', SERIAL_READER_TEXT.ready(this.firmware));
    return this.firmware;
  }

  readCard(): Promise<SocialSecurityCard> {
    return this.read(this.model.commands.readCardBas, parseCardBas);
  }

  readIdCard(): Promise<ResidentIdCard> {
    return this.read(this.model.commands.readIdCard, parseResidentIdCard);
  }

  protected identify(): Promise<string> {
    return this.probe();
  }

  protected readyDetail(): string {
    return SERIAL_READER_TEXT.ready(this.firmware);
  }

  private async read<T>(command: number, parse: CardParser<T>): Promise<T> {
    const answer = await this.command(command, Uint8Array.of(ANY_CARD_SLOT), this.model.readTimeoutMs);
    const outcome = this.model.statusCodes[answer.status];
    if (outcome === undefined) throw new DeviceError('device-error', SERIAL_READER_TEXT.unknownStatus(answer.status));
    if (outcome !== 'ok') throw new DeviceError(outcome);
    return cardFromOutput(answer.data, this.model.textEncoding, parse, (message) => this.warn(message));
  }

  private command(command: number, data: Uint8Array, timeoutMs: number): Promise<Answer> {
    return this.request(
      () => ({
        bytes: encodeLengthPrefixedFrame(this.model.frame, Uint8Array.of(command, ...data)),
        accepts: (candidate) => candidate.command === command,
      }),
      timeoutMs,
    );
  }

  private frameArrived(body: Uint8Array): void {
    if (body.length < 2) return this.warn(SERIAL_READER_TEXT.garbled('应答过短'));
    this.answerArrived({ command: body[0]!, status: body[1]!, data: body.subarray(2) });
  }
}
