/**
 * All devices of one station, built from its configuration: one driver per configured device, their events
 * merged into one stream each (status, warnings, scans). Scans carry the raw code and its kind; what leaves the
 * main process is the caller's decision (the renderer only ever sees a scan id and a kind).
 */
import type { DeviceStatusView, ScanKind } from '../shared/domain';
import { classifyCode, type ClassifyRules } from './classify';
import type { DeviceDriver, ScannerDriver } from './drivers/device-driver';
import { SerialQrScanner, type ReconnectTiming } from './drivers/qr-scanner';
import { DisposableStore, Emitter } from './events';
import { DeviceConfigListSchema, findDeviceModel, type DeviceConfig } from './models';
import type { SerialTransport } from './transports/serial-transport';

/** One transport per kind of link; HID and FFI join here as their drivers arrive. */
export interface DeviceTransports {
  serial: SerialTransport;
}

export interface DeviceManagerOptions {
  /** validated here with DeviceConfigListSchema; an invalid list throws (a ZodError naming the field) */
  devices: readonly DeviceConfig[];
  transports: DeviceTransports;
  classifyRules?: Partial<ClassifyRules>;
  timing?: Partial<ReconnectTiming>;
  monotonicNow?: () => number;
  wallNow?: () => number;
}

export interface DeviceWarningEvent {
  deviceId: string;
  message: string;
  at: string;
}

export interface DeviceScan {
  deviceId: string;
  /** the raw code: stays in the main process */
  code: string;
  kind: ScanKind;
  /** monotonic ms (performance.now) when the code's last byte was read */
  receivedAt: number;
}

export class DeviceManager {
  private readonly statuses = new Emitter<DeviceStatusView>();
  private readonly warnings = new Emitter<DeviceWarningEvent>();
  private readonly scans = new Emitter<DeviceScan>();
  private readonly drivers: DeviceDriver[];
  private readonly subscriptions = new DisposableStore();
  private started = false;
  private disposed = false;
  private disposal: Promise<void> | undefined;

  readonly onStatus = this.statuses.event;
  readonly onWarning = this.warnings.event;
  readonly onScan = this.scans.event;

  constructor(options: DeviceManagerOptions) {
    const configs = DeviceConfigListSchema.parse(options.devices);
    this.drivers = configs.map((config) => this.createDriver(config, options));
  }

  /** Opens every device; status events report how each one fares. */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    for (const driver of this.drivers) driver.start();
  }

  list(): DeviceStatusView[] {
    return this.drivers.map((driver) => driver.statusView());
  }

  /** Closes every device; resolves when all ports are closed and no timer is left. Idempotent. */
  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    this.subscriptions.dispose();
    await Promise.all(this.drivers.map((driver) => driver.dispose()));
    this.statuses.dispose();
    this.warnings.dispose();
    this.scans.dispose();
  }

  private createDriver(config: DeviceConfig, options: DeviceManagerOptions): DeviceDriver {
    // The schema has checked that the model exists and fits the role. New roles and transports (HID-POS,
    // keyboard wedge, FFI readers) branch here on model.transport / config.role.
    const model = findDeviceModel(config.model)!;
    const scanner = new SerialQrScanner({
      id: config.id,
      model,
      path: config.path,
      transport: options.transports.serial,
      baudRate: config.baudRate,
      timing: options.timing,
      monotonicNow: options.monotonicNow,
      wallNow: options.wallNow,
    });
    this.forwardCommonEvents(scanner);
    this.forwardScans(scanner, options.classifyRules);
    return scanner;
  }

  private forwardCommonEvents(driver: DeviceDriver): void {
    const deviceId = driver.id;
    this.subscriptions.add(driver.onStatus((status) => this.statuses.fire(status)));
    this.subscriptions.add(driver.onWarning(({ message, at }) => this.warnings.fire({ deviceId, message, at })));
  }

  private forwardScans(scanner: ScannerDriver, rules: Partial<ClassifyRules> | undefined): void {
    const deviceId = scanner.id;
    this.subscriptions.add(
      scanner.onCode((code, receivedAt) => this.scans.fire({ deviceId, code, kind: classifyCode(code, rules), receivedAt })),
    );
  }
}
