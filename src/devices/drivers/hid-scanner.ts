/**
 * A USB HID scan box — HID POS (usage page 0x8C) or keyboard wedge — found by its USB ids, kept open
 * through a ReconnectingLink, its reports turned into codes by a pure decoder. Produces the same `onCode`
 * as the serial scan box, so the station cannot tell them apart.
 */
import { HidPosAssembler, type HidPosDropReason } from '../parsers/hid-pos-report';
import { BootKeyboardReader, KeyboardWedgeDecoder, type WedgeDropReason } from '../parsers/keyboard-wedge';
import { formatUsbId, type HidPosScannerModel, type KeyboardWedgeScannerModel, type UsbMatch } from '../models';
import type { HidConnection, HidDeviceMatch, HidTransport } from '../transports/hid-transport';
import { createHidLink } from './hid-link';
import type { DriverClocks, StreamParser } from './linked-driver';
import { LinkedScanner } from './linked-scanner';
import type { ReconnectingLink, ReconnectTiming } from './reconnecting-link';

export type HidScannerModel = HidPosScannerModel | KeyboardWedgeScannerModel;

export const HID_SCANNER_TEXT = {
  dropped: {
    malformed: '收到无法识别的扫码数据，已丢弃',
    'too-long': '收到超长数据，已丢弃',
    'control-byte': '收到无效数据（含控制字符），已丢弃',
    'invalid-utf8': '收到无效数据（编码错误），已丢弃',
    'idle-timeout': '条码数据不完整（设备中途停止发送），已丢弃',
    interrupted: '设备断开时条码数据不完整，已丢弃',
    typing: '按键速度不像扫码（是否配置成了普通键盘？），已忽略',
    'unknown-key': '条码中含有无法识别的按键，已丢弃',
    'invalid-char': '条码中含有无法识别的汉字编码，已丢弃',
  } satisfies Record<HidPosDropReason | WedgeDropReason, string>,
  // Windows keeps keyboards to itself: no program may open one for reading.
  windowsKeyboard: 'Windows 不允许直接读取键盘模式的扫码墩，请将其设置为 HID POS 或 USB 虚拟串口模式',
} as const;

export interface HidQrScannerOptions extends DriverClocks {
  id: string;
  model: HidScannerModel;
  /** the configuration's USB ids / serial number, instead of the model's */
  usb?: UsbMatch;
  transport: HidTransport;
  timing?: Partial<ReconnectTiming>;
  /** the platform the station runs on (process.platform); injectable for tests */
  platform?: NodeJS.Platform;
}

/** Both HID report formats behind one face: reports in, codes and drops out. */
type ReportDecoder = StreamParser;

export class HidQrScanner extends LinkedScanner<HidConnection> {
  protected readonly parser: ReportDecoder;
  protected readonly link: ReconnectingLink<HidConnection>;

  constructor(options: HidQrScannerOptions) {
    const { model } = options;
    const match: HidDeviceMatch = { ...model.usb, ...options.usb, usagePage: model.usagePage };
    const where = `${formatUsbId(match)}${match.serialNumber ? ` #${match.serialNumber}` : ''}`;
    super({ id: options.id, role: model.role, model: model.label, path: where }, options);
    const onCode = (code: string) => this.scanned(code);
    const onDrop = ({ reason }: { reason: HidPosDropReason | WedgeDropReason }) => this.warn(HID_SCANNER_TEXT.dropped[reason]);
    this.parser = model.transport === 'hid-pos' ? hidPosDecoder(model, onCode, onDrop) : wedgeDecoder(model, onCode, onDrop);
    const keyboardOnWindows = model.transport === 'hid-keyboard' && (options.platform ?? process.platform) === 'win32';
    this.link = createHidLink({
      transport: options.transport,
      match,
      status: this.status,
      timing: options.timing,
      describeOpenFailure: () => (keyboardOnWindows ? { state: 'error', detail: HID_SCANNER_TEXT.windowsKeyboard } : undefined),
      onConnected: (connection, listeners) => listeners.add(connection.onReport((report) => this.receive(report))),
      onDropped: () => this.dropped(),
    });
  }
}

function hidPosDecoder(
  model: HidPosScannerModel,
  onCode: (code: string) => void,
  onDrop: (drop: { reason: HidPosDropReason }) => void,
): ReportDecoder {
  return new HidPosAssembler({ layout: model.report, maxCodeBytes: model.maxCodeBytes, idleMs: model.idleMs, onCode, onDrop });
}

function wedgeDecoder(
  model: KeyboardWedgeScannerModel,
  onCode: (code: string) => void,
  onDrop: (drop: { reason: WedgeDropReason }) => void,
): ReportDecoder {
  const reader = new BootKeyboardReader(model.reportId);
  const decoder = new KeyboardWedgeDecoder({
    maxKeyGapMs: model.maxKeyGapMs,
    minCodeLength: model.minCodeLength,
    maxCodeLength: model.maxCodeLength,
    onCode,
    onDrop,
  });
  return {
    push(report, now) {
      for (const event of reader.read(report)) decoder.feed(event, now);
    },
    reset() {
      reader.reset();
      decoder.reset();
    },
    idleDeadline: () => decoder.idleDeadline(),
    expireIdle: (now) => decoder.expireIdle(now),
  };
}
