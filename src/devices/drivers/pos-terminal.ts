/**
 * A bank-card POS terminal over a serial line (our UnionPay-style protocol: parsers/pos-frame.ts and
 * pos-messages.ts). One command at a time (the command queue); each answer is taken only by the command of its
 * type and REF, so a late answer to a sale the station gave up on is never credited to another. Every good
 * frame is ACKed and a damaged one NAKed (the terminal sends it again).
 *
 * The driver says what the terminal answered; what a timed-out sale means is the caller's to find out by 查询
 * under the same REF — never by a second sale (the terminal refuses a REF it has seen anyway).
 */
import { DeviceError } from '../errors';
import type { SerialPosTerminalModel } from '../models';
import { encodePosFrame, POS_BYTES, PosFrameParser, type PosFrameDropReason, type PosFrameEvent } from '../parsers/pos-frame';
import { decodePosAnswer, encodePosRequest, type PosAnswer, type PosRequest, type PosType } from '../parsers/pos-messages';
import { SerialCommandDriver } from './serial-command-driver';
import type { SerialDeviceOptions } from './serial-link';

export const POS_TERMINAL_TEXT = {
  ready: (firmware: string) => `已连接（${firmware}）`,
  noAnswer: '银行卡终端无应答（型号或波特率是否正确？）',
  disconnected: '银行卡终端已断开',
  unsolicited: '收到未请求的应答，已丢弃',
  invalid: (problem: string) => `收到无法识别的应答（${problem}），已丢弃`,
  dropped: {
    noise: '收到无效数据，已丢弃',
    'bad-length': '收到长度错误的数据帧，已丢弃',
    'bad-end': '收到不完整的数据帧，已丢弃',
    'bad-lrc': '收到校验错误的数据帧，已请终端重发',
    'idle-timeout': '数据帧不完整（终端中途停止发送），已丢弃',
    interrupted: '终端断开时数据帧不完整，已丢弃',
  } satisfies Record<PosFrameDropReason, string>,
} as const;

const MAX_WAITING_COMMANDS = 2;

export type SerialPosTerminalOptions = SerialDeviceOptions<SerialPosTerminalModel>;

export class SerialPosTerminal extends SerialCommandDriver<PosAnswer> {
  private readonly model: SerialPosTerminalModel;
  protected readonly parser: PosFrameParser;
  private firmware: string | undefined;
  private statusSeq = Math.floor(Math.random() * 1_000_000);

  constructor(options: SerialPosTerminalOptions) {
    super(options, MAX_WAITING_COMMANDS, POS_TERMINAL_TEXT);
    this.model = options.model;
    this.parser = new PosFrameParser(this.model.maxPayloadBytes, (event) => this.frameEvent(event), this.model.idleMs);
  }

  /** Who the terminal is (asked after every connect). */
  async whoAreYou(): Promise<string> {
    this.statusSeq = (this.statusSeq + 1) % 1_000_000;
    const answer = await this.send({ type: 'status', ref: `ST${this.statusSeq}`, amountFen: 0 }, this.model.commandTimeoutMs);
    this.firmware = answer.message;
    this.setState('connected', POS_TERMINAL_TEXT.ready(answer.message));
    return answer.message;
  }

  /** 消费: charges the card `amountFen` under the station's REF. A timeout leaves the outcome unknown (ask by query). */
  sale(ref: string, amountFen: number): Promise<PosAnswer> {
    return this.send({ type: 'sale', ref, amountFen }, this.model.saleTimeoutMs);
  }

  /** 查询: what the terminal did under `ref` (code 25: nothing). */
  query(ref: string): Promise<PosAnswer> {
    return this.send({ type: 'query', ref, amountFen: 0 }, this.model.commandTimeoutMs);
  }

  /** 撤销 (same day, before settlement) of the sale `origRef`, under its own REF. */
  void(ref: string, origRef: string, amountFen: number): Promise<PosAnswer> {
    return this.send({ type: 'void', ref, amountFen, origRef }, this.model.commandTimeoutMs);
  }

  /** 退货 of the sale `origRef` (any day), under its own REF. */
  refund(ref: string, origRef: string, amountFen: number): Promise<PosAnswer> {
    return this.send({ type: 'refund', ref, amountFen, origRef }, this.model.commandTimeoutMs);
  }

  protected identify(): Promise<string> {
    return this.whoAreYou();
  }

  protected readyDetail(): string | undefined {
    return this.firmware && POS_TERMINAL_TEXT.ready(this.firmware);
  }

  private send(request: PosRequest, timeoutMs: number): Promise<PosAnswer> {
    const type: PosType = request.type;
    return this.request(
      () => ({ bytes: encodePosFrame(encodePosRequest(request)), accepts: (a) => a.type === type && a.ref === request.ref }),
      timeoutMs,
    );
  }

  private frameEvent(event: PosFrameEvent): void {
    if (event.kind === 'ack' || event.kind === 'nak') return; // the terminal took (or asks again for) our frame
    if (event.kind === 'drop') {
      if (event.reason === 'bad-lrc') this.write(Uint8Array.of(POS_BYTES.NAK));
      return this.warn(POS_TERMINAL_TEXT.dropped[event.reason]);
    }
    this.write(Uint8Array.of(POS_BYTES.ACK));
    const decoded = decodePosAnswer(event.payload);
    if (!decoded.ok) return this.warn(POS_TERMINAL_TEXT.invalid(decoded.problem));
    this.answerArrived(decoded.answer);
  }

  private write(bytes: Uint8Array): void {
    const connection = this.link.connection;
    if (!connection) throw new DeviceError('offline', POS_TERMINAL_TEXT.disconnected);
    void connection.write(bytes).catch(() => this.link.lost());
  }
}
