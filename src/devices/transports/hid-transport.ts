/**
 * The HID edge: an interface drivers are written against (a report-level fake runs them in tests and training
 * mode) and its `node-hid` implementation (async API: enumeration and reads off the main thread).
 *
 * node-hid has no attach events (node-hid #199) and an unplug shows up only as a read error, so drivers find
 * their device by enumerating (`list`, shared between devices) and compare what they find each poll.
 */
import type { HIDAsync } from 'node-hid';
import { type Disposable, Emitter } from '../../shared/lifecycle';
import { shareRecentResult } from './shared-enumeration';

export interface HidDeviceInfo {
  /** OS handle to open the device with (/dev/hidraw3, a Windows device path); not stable across replugs */
  path: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** top-level collection: 0x8C for HID POS scanners, 0x01 (usage 0x06) for keyboards */
  usagePage?: number;
  usage?: number;
  interface?: number;
}

export interface HidConnection {
  /** Each input report, report id first for numbered reports. */
  onReport(listener: (report: Uint8Array) => void): Disposable;
  /** A read failed — also how an unplugged device shows. */
  onError(listener: (error: Error) => void): Disposable;
  write(report: Uint8Array): Promise<void>;
  /** Idempotent; resolves when the handle is released. */
  close(): Promise<void>;
}

export interface HidTransport {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidConnection>;
}

/** Which enumerated device a configured one is: ids, and optionally the interface and the unit. */
export interface HidDeviceMatch {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  /** picks one interface of a composite device (a scanner that is both keyboard and HID POS) */
  usagePage?: number;
}

export function findHidDevice(devices: readonly HidDeviceInfo[], match: HidDeviceMatch): HidDeviceInfo | undefined {
  return devices.find(
    (device) =>
      device.vendorId === match.vendorId &&
      device.productId === match.productId &&
      (match.serialNumber === undefined || device.serialNumber === match.serialNumber) &&
      // hidapi builds that do not report usage pages (older libusb back ends) still match
      (match.usagePage === undefined || device.usagePage === undefined || device.usagePage === match.usagePage),
  );
}

/** What identifies one plugged-in unit between polls: a replug (even at the same path) gives a new one. */
export function hidFingerprint(device: HidDeviceInfo): string {
  return `${device.path}|${device.serialNumber ?? ''}|${device.interface ?? ''}`;
}

export interface NodeHidTransportOptions {
  /** how long one enumeration answers for every device that asks */
  listMaxAgeMs?: number;
}

export function createNodeHidTransport(options: NodeHidTransportOptions = {}): HidTransport {
  // Loaded on first use: a station without HID devices never loads the native addon.
  let hid: ReturnType<typeof loadNodeHid> | undefined;
  const load = () => (hid ??= loadNodeHid());
  const list = shareRecentResult(async (): Promise<HidDeviceInfo[]> => {
    const devices = await (await load()).devicesAsync();
    return devices.flatMap((device) => (device.path ? [{ ...device, path: device.path }] : []));
  }, options.listMaxAgeMs ?? 200);
  return {
    list,
    async open(path) {
      // Exclusive where the OS supports it (macOS): a second reader would steal reports.
      const device = await (await load()).HIDAsync.open(path, { nonExclusive: false });
      return new NodeHidConnection(device);
    },
  };
}

function loadNodeHid() {
  return import('node-hid');
}

class NodeHidConnection implements HidConnection {
  private readonly reports = new Emitter<Uint8Array>();
  private readonly errors = new Emitter<Error>();
  private closing: Promise<void> | undefined;

  readonly onReport = this.reports.event;
  readonly onError = this.errors.event;

  constructor(private readonly device: HIDAsync) {
    // Adding the first "data" listener starts node-hid's read thread.
    device.on('data', (report: Buffer) => this.reports.fire(report));
    device.on('error', (error: unknown) => this.errors.fire(error instanceof Error ? error : new Error(String(error))));
  }

  async write(report: Uint8Array): Promise<void> {
    await this.device.write(Buffer.from(report));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // A device that vanished may fail to close cleanly; it is released either way.
      await this.device.close().catch(() => undefined);
      this.reports.dispose();
      this.errors.dispose();
    })();
    return this.closing;
  }
}
