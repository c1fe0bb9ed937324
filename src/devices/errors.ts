/**
 * Why a device command (read a card, verify a face, test a device) did not produce a result. A closed set, so
 * the station can map each code to its own error code and the screen can tell the operator what to do; the
 * message is Chinese and names no personal data.
 */
export const DEVICE_ERROR_CODES = [
  'not-configured', // no device of that id or role in this station's configuration
  'wrong-role', // the device exists but cannot do this (e.g. a scan box asked to read a card)
  'offline', // the device is not connected
  'busy', // too many commands are waiting for this device
  'timeout', // the device did not answer in time (the command may still be running in the device)
  'no-card', // the reader holds no card
  'needs-security-module', // the card needs the reader's security module (加密机) step
  'card-unreadable', // the card or reader reported an error reading it
  'garbled', // the device answered, but not with anything we can trust
  'refused', // the patient or the device declined (face did not match, patient cancelled)
  'device-error', // any other failure the device or its library reported
  'disposed', // the station is shutting down
] as const;
export type DeviceErrorCode = (typeof DEVICE_ERROR_CODES)[number];

export const DEVICE_ERROR_TEXT: Record<DeviceErrorCode, string> = {
  'not-configured': '本工作站未配置该设备',
  'wrong-role': '该设备不支持此操作',
  offline: '设备未连接',
  busy: '设备忙，请稍后再试',
  timeout: '设备无响应（超时）',
  'no-card': '未检测到卡片，请插卡或放卡',
  'needs-security-module': '该卡需要加密机认证，当前读卡器无法直接读取',
  'card-unreadable': '读卡失败，请重新插卡',
  garbled: '设备返回的数据无法识别，已丢弃',
  refused: '核验未通过',
  'device-error': '设备故障',
  disposed: '设备已关闭',
};

export class DeviceError extends Error {
  override readonly name = 'DeviceError';

  constructor(
    readonly code: DeviceErrorCode,
    /** Chinese, for the operator; defaults to the code's standard text */
    message: string = DEVICE_ERROR_TEXT[code],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDeviceError(error: unknown, code?: DeviceErrorCode): error is DeviceError {
  return error instanceof DeviceError && (code === undefined || error.code === code);
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
