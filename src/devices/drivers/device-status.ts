/**
 * The operator-facing status every driver keeps: state, a Chinese detail line and when the state last changed.
 * Fires only on a real change, so a device retrying every half second does not flood the screens.
 */
import type { DeviceRole, DeviceState, DeviceStatusView } from '../../shared/domain';
import { Emitter } from '../../shared/lifecycle';

export interface DeviceIdentity {
  id: string;
  role: DeviceRole;
  /** the model's label (DeviceModel.label), as operators and admins know it */
  model: string;
  path: string;
}

export class DeviceStatus {
  private readonly changed = new Emitter<DeviceStatusView>();
  readonly onChange = this.changed.event;
  private current: DeviceStatusView;

  constructor(
    identity: DeviceIdentity,
    initial: { state: DeviceState; detail: string },
    private readonly wallNow: () => number = Date.now,
  ) {
    this.current = { ...identity, ...initial, since: new Date(this.wallNow()).toISOString() };
  }

  get view(): DeviceStatusView {
    return { ...this.current };
  }

  get state(): DeviceState {
    return this.current.state;
  }

  update(state: DeviceState, detail: string): void {
    if (state === this.current.state && detail === this.current.detail) return;
    const since = state === this.current.state ? this.current.since : new Date(this.wallNow()).toISOString();
    this.current = { ...this.current, state, detail, since };
    this.changed.fire(this.view);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
