/**
 * A ReconnectingLink over a HID device found by enumeration (vendor/product id, optionally serial number and
 * usage page): the device's path changes with every replug, so the link looks it up again each time.
 */
import type { DeviceState } from '../../shared/domain';
import { reasonOf } from '../errors';
import { findHidDevice, hidFingerprint, type HidConnection, type HidDeviceMatch, type HidTransport } from '../transports/hid-transport';
import { ReconnectingLink, type ReconnectingLinkOptions } from './reconnecting-link';

export const HID_LINK_TEXT = {
  connecting: '正在连接',
  connected: '已连接',
  notFound: '未找到USB设备，等待接入',
  lost: 'USB设备已拔出，正在重连',
  denied: '无权限打开USB设备，请联系管理员（Linux 需安装 udev 规则）',
  openFailed: (reason: string) => `无法打开USB设备（${reason}），正在重试`,
} as const;

export interface HidLinkOptions extends Omit<ReconnectingLinkOptions<HidConnection>, 'endpoint' | 'texts'> {
  transport: HidTransport;
  match: HidDeviceMatch;
  /** a driver's own reading of open failures, before the generic one */
  describeOpenFailure?: (error: unknown) => { state: DeviceState; detail: string } | undefined;
}

export function createHidLink(options: HidLinkOptions): ReconnectingLink<HidConnection> {
  const { transport, match, describeOpenFailure, ...rest } = options;
  let located: string | undefined;
  return new ReconnectingLink({
    ...rest,
    texts: HID_LINK_TEXT,
    endpoint: {
      async locate() {
        const device = findHidDevice(await transport.list(), match);
        located = device?.path;
        return device ? hidFingerprint(device) : null;
      },
      open() {
        if (located === undefined) return Promise.reject(new Error('device not located'));
        return transport.open(located);
      },
      describeOpenFailure: (error) => describeOpenFailure?.(error) ?? describeHidOpenFailure(error),
    },
  });
}

function describeHidOpenFailure(error: unknown): { state: DeviceState; detail: string } {
  const reason = reasonOf(error);
  if (/EACCES|Permission denied/i.test(reason)) return { state: 'error', detail: HID_LINK_TEXT.denied };
  return { state: 'error', detail: HID_LINK_TEXT.openFailed(reason) };
}
