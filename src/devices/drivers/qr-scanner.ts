/**
 * A serial (USB-CDC / RS-232) QR scan box: keeps the port open, turns bytes into codes, and survives unplugs.
 *
 * Connection handling follows Odoo IoT's SerialBaseDriver states (connecting / connected / disconnected /
 * error) but trusts no close event (serialport #2351): while connected it polls the transport for the device
 * every `pollMs`, and any read error, close event, vanished or replaced device leads to the same path —
 * drop the connection and its partial frame, then reopen with a short backoff. Each open gets a fresh
 * connection and parser state, so a code can neither arrive twice nor be glued to bytes from before the drop.
 *
 * A scanner only listens. Drivers that also send commands (buzzer, light, prompt screen) will put writes
 * behind a per-device queue so that one command and its answer are in flight at a time.
 */
import { DelimiterParser, type FrameDrop } from '../parsers/delimiter-parser';
import type { SerialScannerModel } from '../models';
import { type Disposable, DisposableStore, Emitter } from '../events';
import type { SerialConnection, SerialSettings, SerialTransport } from '../transports/serial-transport';
import type { DeviceState, DeviceStatusView } from '../../shared/domain';
import { DeviceStatus } from './device-status';
import type { DeviceWarning, ScannerDriver } from './device-driver';

export interface ReconnectTiming {
  /** how often a connected device is checked for presence */
  pollMs: number;
  /** waits between failed open attempts; the last one repeats */
  retryDelaysMs: readonly number[];
}

/** Unplug is seen within pollMs (+ one stat); a returning device is reopened within 500 ms of appearing. */
export const DEFAULT_RECONNECT_TIMING: ReconnectTiming = { pollMs: 250, retryDelaysMs: [50, 100, 250, 500] };

export interface SerialQrScannerOptions {
  id: string;
  model: SerialScannerModel;
  path: string;
  /** overrides the model's baud rate */
  baudRate?: number;
  transport: SerialTransport;
  timing?: Partial<ReconnectTiming>;
  /** monotonic ms for receivedAt and the idle timeout; performance.now by default */
  monotonicNow?: () => number;
  /** wall clock for status and warning times; Date.now by default */
  wallNow?: () => number;
}

export const SCANNER_TEXT = {
  notStarted: '尚未连接',
  connecting: '正在连接',
  connected: '已连接',
  notFound: '未找到设备，等待接入',
  lost: '设备已断开，正在重连',
  busy: '串口被其他程序占用，正在重试',
  denied: '无权限打开串口，请联系管理员',
  openFailed: (reason: string) => `无法打开串口（${reason}），正在重试`,
  dropped: {
    'control-byte': '收到无效数据（含控制字符），已丢弃',
    'invalid-utf8': '收到无效数据（编码错误），已丢弃',
    'too-long': '收到超长数据，已丢弃',
    'idle-timeout': '条码数据不完整（设备中途停止发送），已丢弃',
    interrupted: '设备断开时条码数据不完整，已丢弃',
  } satisfies Record<FrameDrop['reason'], string>,
} as const;

interface ActiveConnection {
  connection: SerialConnection;
  fingerprint: string;
  listeners: DisposableStore;
}

export class SerialQrScanner implements ScannerDriver {
  readonly id: string;
  private readonly codes = new Emitter<{ code: string; receivedAt: number }>();
  private readonly warnings = new Emitter<DeviceWarning>();
  private readonly status: DeviceStatus;
  private readonly parser: DelimiterParser;
  private readonly settings: SerialSettings;
  private readonly timing: ReconnectTiming;
  private readonly transport: SerialTransport;
  private readonly path: string;
  private readonly monotonicNow: () => number;
  private readonly wallNow: () => number;

  private active: ActiveConnection | undefined;
  private stepTimer: ReturnType<typeof setTimeout> | undefined; // the next poll or reconnect attempt
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private retryIndex = 0;
  private everConnected = false;
  private started = false;
  private disposed = false;
  private disposal: Promise<void> | undefined;
  /** async work (open, locate, close) that dispose() must wait for */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** timestamp of the chunk being parsed, handed to onCode */
  private chunkReceivedAt = 0;

  readonly onCode = (listener: (code: string, receivedAt: number) => void): Disposable =>
    this.codes.event(({ code, receivedAt }) => listener(code, receivedAt));
  readonly onWarning = this.warnings.event;
  readonly onStatus: (listener: (status: DeviceStatusView) => void) => Disposable;

  constructor(options: SerialQrScannerOptions) {
    const { model } = options;
    this.id = options.id;
    this.transport = options.transport;
    this.path = options.path;
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.wallNow = options.wallNow ?? Date.now;
    this.timing = { ...DEFAULT_RECONNECT_TIMING, ...options.timing };
    if (this.timing.retryDelaysMs.length === 0) throw new RangeError('retryDelaysMs needs at least one delay');
    this.settings = {
      baudRate: options.baudRate ?? model.baudRate,
      dataBits: model.dataBits,
      parity: model.parity,
      stopBits: model.stopBits,
    };
    this.status = new DeviceStatus(
      { id: options.id, role: model.role, model: model.label, path: options.path },
      { state: 'disconnected', detail: SCANNER_TEXT.notStarted },
      this.wallNow,
    );
    this.onStatus = this.status.onChange;
    this.parser = new DelimiterParser({
      maxFrameBytes: model.maxFrameBytes,
      idleMs: model.idleMs,
      onFrame: (code) => this.codes.fire({ code, receivedAt: this.chunkReceivedAt }),
      onDrop: (drop) => this.warn(SCANNER_TEXT.dropped[drop.reason]),
    });
  }

  statusView(): DeviceStatusView {
    return this.status.view;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.status.update('connecting', SCANNER_TEXT.connecting);
    this.track(this.connect());
  }

  /** Closes the port and stops every timer; resolves once nothing of this driver is left running. */
  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    this.clearTimers();
    this.dropConnection();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.codes.dispose();
    this.warnings.dispose();
    this.status.dispose();
  }

  private async connect(): Promise<void> {
    let fingerprint: string | null;
    try {
      fingerprint = await this.transport.locate(this.path);
    } catch (error) {
      return this.retryAfter('error', SCANNER_TEXT.openFailed(reasonOf(error)));
    }
    if (this.disposed) return;
    if (fingerprint === null) return this.retryAfter('disconnected', this.notThereText());

    let connection: SerialConnection;
    try {
      connection = await this.transport.open(this.path, this.settings);
    } catch (error) {
      if (this.disposed) return;
      const { state, detail } = this.describeOpenFailure(error);
      return this.retryAfter(state, detail);
    }
    if (this.disposed) return void (await connection.close());
    try {
      this.attach(connection, fingerprint);
    } catch (error) {
      // An open port left behind would hold the lock and make every retry fail as "busy".
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private attach(connection: SerialConnection, fingerprint: string): void {
    const listeners = new DisposableStore();
    const active: ActiveConnection = { connection, fingerprint, listeners };
    // dropConnection() disposes these first, so a late event of a dropped connection reaches nobody.
    listeners.add(connection.onData((chunk) => this.receive(chunk)));
    listeners.add(connection.onClose(() => this.connectionLost()));
    listeners.add(connection.onError(() => this.connectionLost()));
    this.active = active;
    this.retryIndex = 0;
    this.everConnected = true;
    this.status.update('connected', SCANNER_TEXT.connected);
    this.schedule(this.timing.pollMs, () => this.poll(active));
  }

  private receive(chunk: Uint8Array): void {
    this.chunkReceivedAt = this.monotonicNow();
    this.parser.push(chunk, this.chunkReceivedAt);
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const deadline = this.parser.idleDeadline();
    if (deadline === undefined) return;
    this.idleTimer = setTimeout(
      () => {
        this.idleTimer = undefined;
        this.parser.expireIdle(this.monotonicNow());
        this.armIdleTimer(); // fired early by a ms or two: wait for the rest
      },
      Math.max(0, deadline - this.monotonicNow()),
    );
  }

  private async poll(active: ActiveConnection): Promise<void> {
    let fingerprint: string | null;
    try {
      fingerprint = await this.transport.locate(this.path);
    } catch {
      fingerprint = active.fingerprint; // enumeration hiccup: the port's own errors will tell
    }
    if (this.active !== active) return;
    if (fingerprint !== active.fingerprint) return this.connectionLost();
    this.schedule(this.timing.pollMs, () => this.poll(active));
  }

  private connectionLost(): void {
    this.dropConnection();
    this.retryAfter('disconnected', SCANNER_TEXT.lost);
  }

  private dropConnection(): void {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    active.listeners.dispose();
    // Its tail will never come: a new connection starts a new frame.
    this.parser.reset();
    this.armIdleTimer();
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
    this.retryAfter('error', SCANNER_TEXT.openFailed(reasonOf(error)));
  }

  private warn(message: string): void {
    if (this.disposed) return;
    this.warnings.fire({ message, at: new Date(this.wallNow()).toISOString() });
    this.status.update(this.status.state, message);
  }

  /** After the first connection, absence means "unplugged" rather than "never plugged in". */
  private notThereText(): string {
    return this.everConnected ? SCANNER_TEXT.lost : SCANNER_TEXT.notFound;
  }

  private describeOpenFailure(error: unknown): { state: DeviceState; detail: string } {
    const reason = reasonOf(error);
    if (/ENOENT|No such file|File not found/i.test(reason)) return { state: 'disconnected', detail: this.notThereText() };
    if (/EACCES|Permission denied/i.test(reason)) return { state: 'error', detail: SCANNER_TEXT.denied };
    // Linux: our flock failed; Windows: "Access denied" is how a COM port held by another program answers.
    if (/Cannot lock port|EBUSY|Resource busy|Access denied/i.test(reason)) return { state: 'error', detail: SCANNER_TEXT.busy };
    return { state: 'error', detail: SCANNER_TEXT.openFailed(reason) };
  }

  private clearTimers(): void {
    if (this.stepTimer) clearTimeout(this.stepTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stepTimer = undefined;
    this.idleTimer = undefined;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
