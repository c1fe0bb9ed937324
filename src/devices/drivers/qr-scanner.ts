/**
 * A serial (USB-CDC / RS-232) QR scan box: keeps the port open through a ReconnectingLink and turns bytes
 * into codes with the pure DelimiterParser. A connection that drops takes its partial frame with it, so a
 * code can neither arrive twice nor be glued to bytes from before the drop.
 *
 * A scanner only listens; drivers that also send commands put them behind a CommandQueue.
 */
import { DelimiterParser, type FrameDrop } from '../parsers/delimiter-parser';
import type { SerialScannerModel } from '../models';
import type { SerialConnection } from '../transports/serial-transport';
import { NOT_STARTED_TEXT } from './driver-base';
import { LinkedScanner } from './linked-scanner';
import type { ReconnectingLink } from './reconnecting-link';
import { createSerialLink, SERIAL_LINK_TEXT, serialIdentity, type SerialDeviceOptions } from './serial-link';

export { DEFAULT_RECONNECT_TIMING, type ReconnectTiming } from './reconnecting-link';

export type SerialQrScannerOptions = SerialDeviceOptions<SerialScannerModel>;

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

export class SerialQrScanner extends LinkedScanner<SerialConnection> {
  protected readonly parser: DelimiterParser;
  protected readonly link: ReconnectingLink<SerialConnection>;

  constructor(options: SerialQrScannerOptions) {
    const { model } = options;
    super(serialIdentity(options), options);
    this.parser = new DelimiterParser({
      maxFrameBytes: model.maxFrameBytes,
      idleMs: model.idleMs,
      onFrame: (code) => this.scanned(code),
      onDrop: (drop) => this.warn(SCANNER_TEXT.dropped[drop.reason]),
    });
    this.link = createSerialLink(options, {
      status: this.status,
      onConnected: (connection, listeners) => listeners.add(connection.onData((chunk) => this.receive(chunk))),
      onDropped: () => this.dropped(),
    });
  }
}
