/**
 * What every driver shares: its identity and operator-facing status, and warnings — which also become the
 * status detail, so the badge on the cashier's screen says what just went wrong without changing state.
 */
import type { DeviceStatusView } from '../../shared/domain';
import { type Disposable, Emitter } from '../../shared/lifecycle';
import type { DeviceDriver, DeviceWarning } from './device-driver';
import { type DeviceIdentity, DeviceStatus } from './device-status';

export const NOT_STARTED_TEXT = '尚未连接';

export abstract class DriverBase implements DeviceDriver {
  readonly id: string;
  protected readonly status: DeviceStatus;
  protected readonly wallNow: () => number;
  protected disposed = false;
  private readonly warnings = new Emitter<DeviceWarning>();

  readonly onWarning = this.warnings.event;
  readonly onStatus: (listener: (status: DeviceStatusView) => void) => Disposable;

  constructor(identity: DeviceIdentity, wallNow: () => number = Date.now) {
    this.id = identity.id;
    this.wallNow = wallNow;
    this.status = new DeviceStatus(identity, { state: 'disconnected', detail: NOT_STARTED_TEXT }, wallNow);
    this.onStatus = this.status.onChange;
  }

  statusView(): DeviceStatusView {
    return this.status.view;
  }

  abstract start(): void;
  abstract dispose(): Promise<void>;

  protected warn(message: string): void {
    if (this.disposed) return;
    this.warnings.fire({ message, at: new Date(this.wallNow()).toISOString() });
    this.status.update(this.status.state, message);
  }

  protected disposeEvents(): void {
    this.warnings.dispose();
    this.status.dispose();
  }
}
