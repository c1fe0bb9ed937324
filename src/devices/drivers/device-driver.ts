/**
 * What the DeviceManager needs from any driver, whatever its transport (serial today; HID-POS, keyboard wedge,
 * FFI card readers and face terminals later). Role-specific events extend it.
 */
import type { DeviceStatusView } from '../../shared/domain';
import type { Disposable } from '../events';

export interface DeviceWarning {
  /** Chinese, for the operator */
  message: string;
  /** ISO time */
  at: string;
}

export interface DeviceDriver {
  readonly id: string;
  statusView(): DeviceStatusView;
  onStatus(listener: (status: DeviceStatusView) => void): Disposable;
  onWarning(listener: (warning: DeviceWarning) => void): Disposable;
  /** Begins connecting; status events follow. Idempotent. */
  start(): void;
  /** Releases the device and every timer; resolves when nothing is left running. Idempotent. */
  dispose(): Promise<void>;
}

/** A code reader: scan box, scan gun, or the scan module of a multi-function terminal. */
export interface ScannerDriver extends DeviceDriver {
  /** `receivedAt` is monotonic ms (performance.now) when the code's last byte was read. */
  onCode(listener: (code: string, receivedAt: number) => void): Disposable;
}
