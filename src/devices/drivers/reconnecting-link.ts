/**
 * Keeps one device connection open and survives unplugs, whatever carries it (serial port, HID device).
 *
 * Connection handling follows Odoo IoT's SerialBaseDriver states (connecting / connected / disconnected /
 * error) but trusts no close event (serialport #2351) and waits for no attach event (node-hid #199): while
 * connected it asks the endpoint every `pollMs` which device is at the address, and any read error, close
 * event, vanished or replaced device leads to the same path — drop the connection, then reopen with a short
 * backoff. Each open gets a fresh connection and its own listeners, so nothing of a dropped connection can
 * reach the driver.
 */
import type { DeviceState } from '../../shared/domain';
import { reasonOf } from '../errors';
import { type Disposable, DisposableStore } from '../../shared/lifecycle';
import type { DeviceStatus } from './device-status';

export interface ReconnectTiming {
  /** how often a connected device is checked for presence */
  pollMs: number;
  /** waits between failed open attempts; the last one repeats */
  retryDelaysMs: readonly number[];
}

/** Unplug is seen within pollMs (+ one lookup); a returning device is reopened within 500 ms of appearing. */
export const DEFAULT_RECONNECT_TIMING: ReconnectTiming = { pollMs: 250, retryDelaysMs: [50, 100, 250, 500] };

export interface LinkConnection {
  /** Optional: HID handles report an unplug as a read error only. */
  onClose?(listener: (error?: Error) => void): Disposable;
  onError(listener: (error: Error) => void): Disposable;
  /** Idempotent; resolves when released (or already gone). */
  close(): Promise<void>;
}

export interface LinkTexts {
  connecting: string;
  connected: string;
  /** never seen since start */
  notFound: string;
  /** was connected, now gone */
  lost: string;
  openFailed: (reason: string) => string;
}

export interface LinkEndpoint<C extends LinkConnection> {
  /**
   * A fingerprint of the device now at the configured address, or null when nothing is there. A changed
   * fingerprint means the device was replaced (replugged under the same name) even if no event said so.
   */
  locate(): Promise<string | null>;
  open(): Promise<C>;
  /** How an open failure is shown; absent → error with texts.openFailed. */
  describeOpenFailure?(error: unknown, texts: { notThere: string }): { state: DeviceState; detail: string };
}

export interface ReconnectingLinkOptions<C extends LinkConnection> {
  endpoint: LinkEndpoint<C>;
  status: DeviceStatus;
  texts: LinkTexts;
  timing?: Partial<ReconnectTiming>;
  /** Wires a fresh connection's listeners into `listeners`, which are disposed first when it drops. */
  onConnected(connection: C, listeners: DisposableStore): void;
  /** The connection is gone: whatever was half-received from it will never be completed. */
  onDropped(): void;
}

interface Active<C> {
  connection: C;
  fingerprint: string;
  listeners: DisposableStore;
}

export class ReconnectingLink<C extends LinkConnection> {
  private readonly endpoint: LinkEndpoint<C>;
  private readonly status: DeviceStatus;
  private readonly texts: LinkTexts;
  private readonly timing: ReconnectTiming;
  private readonly onConnected: (connection: C, listeners: DisposableStore) => void;
  private readonly onDropped: () => void;

  private active: Active<C> | undefined;
  private stepTimer: ReturnType<typeof setTimeout> | undefined; // the next poll or reconnect attempt
  private retryIndex = 0;
  private everConnected = false;
  private started = false;
  private disposed = false;
  private disposal: Promise<void> | undefined;
  /** async work (open, locate, close) that dispose() must wait for */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: ReconnectingLinkOptions<C>) {
    this.endpoint = options.endpoint;
    this.status = options.status;
    this.texts = options.texts;
    this.timing = { ...DEFAULT_RECONNECT_TIMING, ...options.timing };
    if (this.timing.retryDelaysMs.length === 0) throw new RangeError('retryDelaysMs needs at least one delay');
    this.onConnected = options.onConnected;
    this.onDropped = options.onDropped;
  }

  /** The open connection, if any. */
  get connection(): C | undefined {
    return this.active?.connection;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.status.update('connecting', this.texts.connecting);
    this.track(this.connect());
  }

  /** The driver found the connection unusable (e.g. a write failed): drop it and reconnect. */
  lost(): void {
    if (this.active) this.connectionLost();
  }

  /** Closes the connection and stops every timer; resolves once nothing of this link is left running. */
  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    if (this.stepTimer) clearTimeout(this.stepTimer);
    this.stepTimer = undefined;
    this.dropConnection();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async connect(): Promise<void> {
    let fingerprint: string | null;
    try {
      fingerprint = await this.endpoint.locate();
    } catch (error) {
      return this.retryAfter('error', this.texts.openFailed(reasonOf(error)));
    }
    if (this.disposed) return;
    if (fingerprint === null) return this.retryAfter('disconnected', this.notThereText());

    let connection: C;
    try {
      connection = await this.endpoint.open();
    } catch (error) {
      if (this.disposed) return;
      const { state, detail } = this.endpoint.describeOpenFailure?.(error, { notThere: this.notThereText() }) ?? {
        state: 'error',
        detail: this.texts.openFailed(reasonOf(error)),
      };
      return this.retryAfter(state, detail);
    }
    if (this.disposed) return void (await connection.close());
    try {
      this.attach(connection, fingerprint);
    } catch (error) {
      // An open handle left behind would hold the device and make every retry fail as "busy".
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private attach(connection: C, fingerprint: string): void {
    const listeners = new DisposableStore();
    try {
      // dropConnection() disposes these first, so a late event of a dropped connection reaches nobody.
      if (connection.onClose) listeners.add(connection.onClose(() => this.connectionLost()));
      listeners.add(connection.onError(() => this.connectionLost()));
      this.onConnected(connection, listeners);
    } catch (error) {
      listeners.dispose();
      throw error;
    }
    const active: Active<C> = { connection, fingerprint, listeners };
    this.active = active;
    this.retryIndex = 0;
    this.everConnected = true;
    this.status.update('connected', this.texts.connected);
    this.schedule(this.timing.pollMs, () => this.poll(active));
  }

  private async poll(active: Active<C>): Promise<void> {
    let fingerprint: string | null;
    try {
      fingerprint = await this.endpoint.locate();
    } catch {
      fingerprint = active.fingerprint; // enumeration hiccup: the connection's own errors will tell
    }
    if (this.active !== active) return;
    if (fingerprint !== active.fingerprint) return this.connectionLost();
    this.schedule(this.timing.pollMs, () => this.poll(active));
  }

  private connectionLost(): void {
    this.dropConnection();
    this.retryAfter('disconnected', this.texts.lost);
  }

  private dropConnection(): void {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    active.listeners.dispose();
    this.onDropped();
    this.track(active.connection.close().catch(() => undefined));
  }

  private retryAfter(state: DeviceState, detail: string): void {
    if (this.disposed) return;
    this.status.update(state, detail);
    const delays = this.timing.retryDelaysMs;
    const delay = delays[Math.min(this.retryIndex, delays.length - 1)]!;
    this.retryIndex++;
    this.schedule(delay, () => this.connect());
  }

  private schedule(delayMs: number, step: () => Promise<void>): void {
    if (this.disposed) return;
    if (this.stepTimer) clearTimeout(this.stepTimer);
    this.stepTimer = setTimeout(() => {
      this.stepTimer = undefined;
      this.track(step());
    }, delayMs);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.recover(error));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  /** A step failed in a way no branch foresaw: never leave the device stranded without a next attempt. */
  private recover(error: unknown): void {
    if (this.disposed || this.stepTimer) return;
    if (this.active) return this.connectionLost();
    this.retryAfter('error', this.texts.openFailed(reasonOf(error)));
  }

  /** After the first connection, absence means "unplugged" rather than "never plugged in". */
  private notThereText(): string {
    return this.everConnected ? this.texts.lost : this.texts.notFound;
  }
}
