/**
 * A report-level HID transport for tests and training mode: devices are plugged and unplugged by hand, and
 * each one delivers the reports an emulator sends (`sendReport` is what the emulators write into). An unplug
 * fails the open handles' reads, as node-hid reports it.
 */
import { type Disposable, Emitter } from '../../shared/lifecycle';
import type { HidConnection, HidDeviceInfo, HidTransport } from './hid-transport';

export class FakeHidTransport implements HidTransport {
  private readonly devices = new Map<string, FakeHidDevice>();
  private readonly openFailures = new Map<string, Error[]>();
  private generation = 0;
  /** every enumeration and open, for tests that count them */
  listCalls = 0;
  readonly openAttempts: string[] = [];

  /** Plugs a device in; each plug gets a fresh path, as a replugged device gets a new hidraw node. */
  plug(info: Omit<HidDeviceInfo, 'path'>): FakeHidDevice {
    const device = new FakeHidDevice({ ...info, path: `/dev/fake-hidraw${++this.generation}` });
    this.devices.set(device.info.path, device);
    return device;
  }

  /** Removes the device. With `silently`, open handles get no read error: only enumeration can tell. */
  unplug(device: FakeHidDevice, { silently = false } = {}): void {
    this.devices.delete(device.info.path);
    if (!silently) device.disconnect();
  }

  /** The next open of `device` fails with `error` (e.g. permission denied without a udev rule). */
  failNextOpen(device: FakeHidDevice, error: Error): void {
    const path = device.info.path;
    this.openFailures.set(path, [...(this.openFailures.get(path) ?? []), error]);
  }

  async list(): Promise<HidDeviceInfo[]> {
    this.listCalls++;
    return [...this.devices.values()].map((device) => ({ ...device.info }));
  }

  async open(path: string): Promise<HidConnection> {
    this.openAttempts.push(path);
    await Promise.resolve(); // opening is never synchronous for real
    const failure = this.openFailures.get(path)?.shift();
    if (failure) throw failure;
    const device = this.devices.get(path);
    if (!device) throw new Error(`cannot open device with path ${path}`);
    return device.connect();
  }
}

export class FakeHidDevice {
  private readonly connections = new Set<FakeHidConnection>();
  /** reports the host wrote to the device */
  readonly written: Uint8Array[] = [];

  constructor(readonly info: HidDeviceInfo) {}

  get openConnectionCount(): number {
    return this.connections.size;
  }

  /** The device sends an input report to every open handle. */
  sendReport(report: Uint8Array): void {
    for (const connection of this.connections) connection.deliver(report);
  }

  connect(): FakeHidConnection {
    const connection = new FakeHidConnection(
      (report) => this.written.push(report),
      () => this.connections.delete(connection),
    );
    this.connections.add(connection);
    return connection;
  }

  disconnect(): void {
    for (const connection of [...this.connections]) connection.fail(new Error('could not read from HID device'));
  }
}

class FakeHidConnection implements HidConnection {
  private readonly reports = new Emitter<Uint8Array>();
  private readonly errors = new Emitter<Error>();
  private isOpen = true;

  readonly onReport: (listener: (report: Uint8Array) => void) => Disposable = this.reports.event;
  readonly onError: (listener: (error: Error) => void) => Disposable = this.errors.event;

  constructor(
    private readonly record: (report: Uint8Array) => void,
    private readonly release: () => void,
  ) {}

  deliver(report: Uint8Array): void {
    if (this.isOpen) this.reports.fire(report);
  }

  fail(error: Error): void {
    if (this.isOpen) this.errors.fire(error);
  }

  async write(report: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new Error('HID device is closed');
    this.record(report);
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.release();
  }
}
