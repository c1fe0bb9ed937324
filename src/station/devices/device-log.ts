/**
 * The station's memory of recent device traffic, for the IT device panel: the last frames per device (codes
 * masked — an e-voucher QR or a payment code is a credential), the commands sent to it and its status changes.
 */
import type { DeviceFrameView, DeviceStatusView, ScanKind } from '../../shared/domain';
import { DEVICE_STATE_LABELS, SCAN_KIND_LABELS } from '../../shared/domain';

const PER_DEVICE = 200;

export function maskCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return `${code.slice(0, 4)}…${code.slice(-2)}（${code.length}位）`;
}

export class DeviceLog {
  private readonly frames = new Map<string, DeviceFrameView[]>();

  constructor(private readonly now: () => Date) {}

  scan(deviceId: string, code: string, kind: ScanKind): void {
    const masked = maskCode(code);
    this.push(deviceId, 'scan', `${SCAN_KIND_LABELS[kind]} ${masked}`);
  }

  warning(deviceId: string, message: string): void {
    this.push(deviceId, 'warning', message);
  }

  status(view: DeviceStatusView): void {
    this.push(view.id, 'status', `${DEVICE_STATE_LABELS[view.state]}${view.detail ? `：${view.detail}` : ''}`);
  }

  /** A command the station sent (card read, face verification) and how it went; already masked by the driver. */
  command(deviceId: string, ok: boolean, summary: string): void {
    this.push(deviceId, 'command', `${ok ? '成功' : '失败'}：${summary}`);
  }

  recent(deviceId: string, limit: number): DeviceFrameView[] {
    return (this.frames.get(deviceId) ?? []).slice(-limit).reverse();
  }

  private push(deviceId: string, kind: DeviceFrameView['kind'], summary: string): void {
    const list = this.frames.get(deviceId) ?? [];
    list.push({ at: this.now().toISOString(), deviceId, kind, summary });
    if (list.length > PER_DEVICE) list.splice(0, list.length - PER_DEVICE);
    this.frames.set(deviceId, list);
  }
}
