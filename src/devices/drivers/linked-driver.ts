/**
 * What every driver that keeps its device on a ReconnectingLink shares (serial and HID scan boxes, serial card
 * readers, face terminals): start, a dispose that runs once, and the receiving path — each chunk or report
 * stamped with the monotonic time it arrived and pushed into a pure parser, whose stale partial frame an
 * IdleTimer expires and which a dropped connection resets.
 */
import type { DeviceState } from '../../shared/domain';
import type { DeviceIdentity } from './device-status';
import { DriverBase } from './driver-base';
import { type IdleExpiring, IdleTimer } from './idle-timer';
import type { LinkConnection, ReconnectingLink } from './reconnecting-link';

/** A pure parser: data in, frames and drops out through its own callbacks. */
export interface StreamParser extends IdleExpiring {
  push(data: Uint8Array, now: number): void;
  reset(): void;
}

export interface DriverClocks {
  /** monotonic ms for receivedAt and the idle timeout; performance.now by default */
  monotonicNow?: () => number;
  /** wall clock for status and warning times; Date.now by default */
  wallNow?: () => number;
}

export abstract class LinkedDriver<C extends LinkConnection> extends DriverBase {
  protected readonly monotonicNow: () => number;
  /** when the data being parsed arrived (monotonic): the frames it completes were received then */
  protected receivedAt = 0;
  protected abstract readonly link: ReconnectingLink<C>;
  protected abstract readonly parser: StreamParser;
  private readonly idleTimer: IdleTimer;
  private disposal: Promise<void> | undefined;

  constructor(identity: DeviceIdentity, clocks: DriverClocks) {
    super(identity, clocks.wallNow);
    this.monotonicNow = clocks.monotonicNow ?? (() => performance.now());
    // The subclass creates its parser after this constructor: the timer asks for it only once armed.
    const parser: IdleExpiring = {
      idleDeadline: () => this.parser.idleDeadline(),
      expireIdle: (now) => this.parser.expireIdle(now),
    };
    this.idleTimer = new IdleTimer(parser, this.monotonicNow);
  }

  start(): void {
    if (!this.disposed) this.link.start();
  }

  /** Closes the connection and stops every timer; resolves once nothing of this driver is left running. */
  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  /** Called first when the driver is disposed, before the connection closes: refuse and end commands. */
  protected stopCommands(): void {}

  protected receive(data: Uint8Array): void {
    this.receivedAt = this.monotonicNow();
    this.parser.push(data, this.receivedAt);
    this.idleTimer.arm();
  }

  /** The connection is gone: its partial frame will never be completed, a new connection starts a new one. */
  protected dropped(): void {
    this.parser.reset();
    this.idleTimer.arm();
  }

  /** Changes the status only while connected: after dispose or a drop the link's own status stands. */
  protected setState(state: DeviceState, detail: string): void {
    if (!this.disposed && this.link.connection) this.status.update(state, detail);
  }

  private async release(): Promise<void> {
    this.disposed = true;
    this.stopCommands();
    await this.link.dispose();
    this.idleTimer.clear();
    this.disposeEvents();
  }
}
