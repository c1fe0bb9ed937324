/**
 * What the DeviceManager needs from any driver, whatever its transport (serial, HID, FFI). Each role adds
 * its own commands and events.
 */
import type { DeviceStatusView } from '../../shared/domain';
import type { Disposable } from '../../shared/lifecycle';
import type { ResidentIdCard, SocialSecurityCard } from '../parsers/card-info';
import type { FaceIdentity, FaceSessionEvent, FaceTerminalInfo, SelfServiceStart, SessionCommand } from '../parsers/face-messages';

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

/**
 * A social-security card reader. Commands run one at a time; they reject with a DeviceError (no card, needs
 * the security module, timeout, garbled answer …), never with a half-read card.
 */
export interface CardReaderDriver extends DeviceDriver {
  readCard(): Promise<SocialSecurityCard>;
  readIdCard(): Promise<ResidentIdCard>;
}

/** A face-recognition terminal: verifications on the station's request, and self-service the patient starts. */
export interface FaceTerminalDriver extends DeviceDriver {
  verify(request: { outBizNo: string }): Promise<FaceIdentity>;
  /** Asks the terminal who it is: the panel's test, and a liveness check. */
  ping(): Promise<FaceTerminalInfo>;
  onSelfService(listener: (start: SelfServiceStart) => void): Disposable;
  /** Self-service (HX-T1): a screen, a payment-code request or the end; resolves with the seq it carried. */
  sendSession(command: SessionCommand): Promise<number>;
  /** Self-service (HX-T1): what the patient did at the terminal (confirm, cancel, payment code). */
  onSessionEvent(listener: (event: FaceSessionEvent) => void): Disposable;
}
