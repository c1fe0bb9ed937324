/**
 * A ReconnectingLink over a serial port (USB-CDC, RS-232, a pty in tests), with the operator texts and the
 * open-failure reading shared by every serial device (scan boxes, card readers, face terminals).
 */
import type { DeviceState } from '../../shared/domain';
import { reasonOf } from '../errors';
import type { SerialConnection, SerialSettings, SerialTransport } from '../transports/serial-transport';
import { ReconnectingLink, type ReconnectingLinkOptions } from './reconnecting-link';

export const SERIAL_LINK_TEXT = {
  connecting: '正在连接',
  connected: '已连接',
  notFound: '未找到设备，等待接入',
  lost: '设备已断开，正在重连',
  busy: '串口被其他程序占用，正在重试',
  denied: '无权限打开串口，请联系管理员',
  openFailed: (reason: string) => `无法打开串口（${reason}），正在重试`,
} as const;

export interface SerialLinkOptions
  extends Omit<ReconnectingLinkOptions<SerialConnection>, 'endpoint' | 'texts'> {
  transport: SerialTransport;
  path: string;
  settings: SerialSettings;
}

export function createSerialLink(options: SerialLinkOptions): ReconnectingLink<SerialConnection> {
  const { transport, path, settings, ...rest } = options;
  return new ReconnectingLink({
    ...rest,
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
