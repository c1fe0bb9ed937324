/**
 * A ReconnectingLink over a serial port (USB-CDC, RS-232, a pty in tests), with what every serial device
 * shares (scan boxes, card readers, face terminals): its options and identity, the operator texts and the
 * open-failure reading.
 */
import type { DeviceRole, DeviceState } from '../../shared/domain';
import { reasonOf } from '../errors';
import type { SerialConnection, SerialSettings, SerialTransport } from '../transports/serial-transport';
import type { SerialLineSettings } from '../models';
import type { DeviceIdentity } from './device-status';
import type { DriverClocks } from './linked-driver';
import { ReconnectingLink, type ReconnectingLinkOptions, type ReconnectTiming } from './reconnecting-link';

export const SERIAL_LINK_TEXT = {
  connecting: '正在连接',
  connected: '已连接',
  notFound: '未找到设备，等待接入',
  lost: '设备已断开，正在重连',
  busy: '串口被其他程序占用，正在重试',
  denied: '无权限打开串口，请联系管理员',
  openFailed: (reason: string) => `无法打开串口（${reason}），正在重试`,
} as const;

/** What every serial driver is given: its model (with the line settings), where it is, the transport and clocks. */
export interface SerialDeviceOptions<M extends SerialLineSettings> extends DriverClocks {
  id: string;
  model: M;
  path: string;
  /** overrides the model's baud rate */
  baudRate?: number;
  transport: SerialTransport;
  timing?: Partial<ReconnectTiming>;
}

/** A serial device's model: its line settings, and the role and label its status shows. */
export interface SerialDeviceModel extends SerialLineSettings {
  role: DeviceRole;
  label: string;
}

export function serialIdentity(device: SerialDeviceOptions<SerialDeviceModel>): DeviceIdentity {
  return { id: device.id, role: device.model.role, model: device.model.label, path: device.path };
}

export type SerialLinkWiring = Pick<ReconnectingLinkOptions<SerialConnection>, 'status' | 'onConnected' | 'onDropped'>;

/** The link to the device at `device.path`, opened with the model's line settings (and the configured baud rate). */
export function createSerialLink(
  device: SerialDeviceOptions<SerialLineSettings>,
  wiring: SerialLinkWiring,
): ReconnectingLink<SerialConnection> {
  const { transport, path, model } = device;
  const settings: SerialSettings = {
    baudRate: device.baudRate ?? model.baudRate,
    dataBits: model.dataBits,
    parity: model.parity,
    stopBits: model.stopBits,
  };
  return new ReconnectingLink({
    ...wiring,
    timing: device.timing,
    texts: SERIAL_LINK_TEXT,
    endpoint: {
      locate: () => transport.locate(path),
      open: () => transport.open(path, settings),
      describeOpenFailure: (error, { notThere }) => describeSerialOpenFailure(error, notThere),
    },
  });
}

export function describeSerialOpenFailure(error: unknown, notThere: string): { state: DeviceState; detail: string } {
  const reason = reasonOf(error);
  if (/ENOENT|No such file|File not found/i.test(reason)) return { state: 'disconnected', detail: notThere };
  if (/EACCES|Permission denied/i.test(reason)) return { state: 'error', detail: SERIAL_LINK_TEXT.denied };
  // Linux: our flock failed; Windows: "Access denied" is how a COM port held by another program answers.
  if (/Cannot lock port|EBUSY|Resource busy|Access denied/i.test(reason)) return { state: 'error', detail: SERIAL_LINK_TEXT.busy };
  return { state: 'error', detail: SERIAL_LINK_TEXT.openFailed(reason) };
}
