/**
 * A serial (USB-CDC / RS-232) QR scan box: keeps the port open through a ReconnectingLink and turns bytes
 * into codes with the pure DelimiterParser. A connection that drops takes its partial frame with it, so a
 * code can neither arrive twice nor be glued to bytes from before the drop.
 *
 * A scanner only listens; drivers that also send commands put them behind a CommandQueue.
 */
import { DelimiterParser, type FrameDrop } from '../parsers/delimiter-parser';
import type { SerialScannerModel } from '../models';
import { type Disposable, Emitter } from '../../shared/lifecycle';
import type { SerialConnection, SerialSettings, SerialTransport } from '../transports/serial-transport';
import type { ScannerDriver } from './device-driver';
import { DriverBase, NOT_STARTED_TEXT } from './driver-base';
import { IdleTimer } from './idle-timer';
import type { ReconnectingLink, ReconnectTiming } from './reconnecting-link';
import { createSerialLink, SERIAL_LINK_TEXT } from './serial-link';

export { DEFAULT_RECONNECT_TIMING, type ReconnectTiming } from './reconnecting-link';

export interface SerialQrScannerOptions {
  id: string;
  model: SerialScannerModel;
  path: string;
  /** overrides the model's baud rate */
  baudRate?: number;
  transport: SerialTransport;
  timing?: Partial<ReconnectTiming>;
  /** monotonic ms for receivedAt and the idle timeout; performance.now by default */
  monotonicNow?: () => number;
  /** wall clock for status and warning times; Date.now by default */
  wallNow?: () => number;
}

export const SCANNER_TEXT = {
  notStarted: NOT_STARTED_TEXT,
  ...SERIAL_LINK_TEXT,
  dropped: {
    'control-byte': '收到无效数据（含控制字符），已丢弃',
    'invalid-utf8': '收到无效数据（编码错误），已丢弃',
    'too-long': '收到超长数据，已丢弃',
    'idle-timeout': '条码数据不完整（设备中途停止发送），已丢弃',
    interrupted: '设备断开时条码数据不完整，已丢弃',
  } satisfies Record<FrameDrop['reason'], string>,
} as const;

export class SerialQrScanner extends DriverBase implements ScannerDriver {
  private readonly codes = new Emitter<{ code: string; receivedAt: number }>();
  private readonly parser: DelimiterParser;
  private readonly idleTimer: IdleTimer;
  private readonly link: ReconnectingLink<SerialConnection>;
  private readonly monotonicNow: () => number;
  private disposal: Promise<void> | undefined;
  /** timestamp of the chunk being parsed, handed to onCode */
  private chunkReceivedAt = 0;

  readonly onCode = (listener: (code: string, receivedAt: number) => void): Disposable =>
    this.codes.event(({ code, receivedAt }) => listener(code, receivedAt));

  constructor(options: SerialQrScannerOptions) {
    const { model } = options;
    super({ id: options.id, role: model.role, model: model.label, path: options.path }, options.wallNow);
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.parser = new DelimiterParser({
      maxFrameBytes: model.maxFrameBytes,
      idleMs: model.idleMs,
      onFrame: (code) => this.codes.fire({ code, receivedAt: this.chunkReceivedAt }),
      onDrop: (drop) => this.warn(SCANNER_TEXT.dropped[drop.reason]),
    });
    this.idleTimer = new IdleTimer(this.parser, this.monotonicNow);
    const settings: SerialSettings = {
      baudRate: options.baudRate ?? model.baudRate,
      dataBits: model.dataBits,
      parity: model.parity,
      stopBits: model.stopBits,
    };
    this.link = createSerialLink({
      transport: options.transport,
      path: options.path,
      settings,
      status: this.status,
      timing: options.timing,
      onConnected: (connection, listeners) => listeners.add(connection.onData((chunk) => this.receive(chunk))),
      onDropped: () => {
        // Its tail will never come: a new connection starts a new frame.
        this.parser.reset();
        this.idleTimer.arm();
      },
    });
  }

  start(): void {
    if (!this.disposed) this.link.start();
  }

  /** Closes the port and stops every timer; resolves once nothing of this driver is left running. */
  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    await this.link.dispose();
    this.idleTimer.clear();
    this.codes.dispose();
    this.disposeEvents();
  }

  private receive(chunk: Uint8Array): void {
    this.chunkReceivedAt = this.monotonicNow();
    this.parser.push(chunk, this.chunkReceivedAt);
    this.idleTimer.arm();
  }
}
