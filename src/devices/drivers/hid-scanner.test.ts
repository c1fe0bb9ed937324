/** HID scan boxes over the report-level fake transport, driven by the HID emulators, on fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { HidPosScannerEmulator, KeyboardWedgeEmulator } from '../../simulators/devices/hid-scanner-emulator';
import { DEVICE_MODELS, type UsbMatch } from '../models';
import { FakeHidTransport } from '../transports/fake-hid-transport';
import type { DeviceWarning } from './device-driver';
import { HID_LINK_TEXT } from './hid-link';
import { HID_SCANNER_TEXT, HidQrScanner, type HidScannerModel } from './hid-scanner';

const POS = DEVICE_MODELS['hidpos-honeywell-1400g'];
const WEDGE = DEVICE_MODELS['wedge-newland-fm430'];

function setup(model: HidScannerModel, options: { usb?: UsbMatch; platform?: NodeJS.Platform } = {}) {
  const transport = new FakeHidTransport();
  const scanner = new HidQrScanner({ id: 'hid1', model, transport, monotonicNow: () => Date.now(), ...options });
  const codes: string[] = [];
  const statuses: DeviceStatusView[] = [];
  const warnings: DeviceWarning[] = [];
  scanner.onCode((code) => codes.push(code));
  scanner.onStatus((status) => statuses.push(status));
  scanner.onWarning((warning) => warnings.push(warning));
  const plug = (extra: { serialNumber?: string } = {}) =>
    transport.plug({ ...model.usb, usagePage: model.usagePage, product: model.label, ...extra });
  return { transport, scanner, codes, statuses, warnings, plug, states: () => statuses.map((s) => s.state) };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('HidQrScanner (HID POS)', () => {
  it('finds the device by its USB ids and reads codes, multi-report ones included', async () => {
    const t = setup(POS);
    const device = t.plug();
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'connected', path: 'USB 0c2e:0b8f', role: 'qr-scanner' });
    const box = new HidPosScannerEmulator(device);
    box.scan('134567890123456789');
    box.scan(`https://ec.example.cn/v?c=${'Q'.repeat(150)}`);
    expect(t.codes).toEqual(['134567890123456789', `https://ec.example.cn/v?c=${'Q'.repeat(150)}`]);
    await t.scanner.dispose();
  });

  it('picks the HID POS interface of a composite device and honours a configured serial number', async () => {
    const t = setup(POS, { usb: { ...POS.usb, serialNumber: 'SN-2' } });
    t.transport.plug({ ...POS.usb, usagePage: 0x01, serialNumber: 'SN-2' }); // its keyboard interface
    t.plug({ serialNumber: 'SN-1' }); // another unit
    const mine = t.plug({ serialNumber: 'SN-2' });
    t.scanner.start();
    await settle();
    expect(t.transport.openAttempts).toEqual([mine.info.path]);
    expect(t.scanner.statusView().path).toBe('USB 0c2e:0b8f #SN-2');
    await t.scanner.dispose();
  });

  it('warns about a malformed report and a code cut short, and keeps reading', async () => {
    const t = setup(POS);
    const device = t.plug();
    t.scanner.start();
    await settle();
    const box = new HidPosScannerEmulator(device);
    device.sendReport(Uint8Array.of(0x02, 200, 0, 0, 0));
    const [first] = box.reportsFor('X'.repeat(100));
    device.sendReport(first!);
    await settle(POS.idleMs);
    box.scan('HC12345678');
    expect(t.warnings.map((w) => w.message)).toEqual([HID_SCANNER_TEXT.dropped.malformed, HID_SCANNER_TEXT.dropped['idle-timeout']]);
    expect(t.codes).toEqual(['HC12345678']);
    await t.scanner.dispose();
  });

  it('unplug → disconnected within one poll; replug (new path) → connected; each code once', async () => {
    const t = setup(POS);
    const first = t.plug();
    t.scanner.start();
    await settle();
    new HidPosScannerEmulator(first).scan('HC00000001');
    t.transport.unplug(first);
    await settle(0);
    expect(t.scanner.statusView()).toMatchObject({ state: 'disconnected', detail: HID_LINK_TEXT.lost });
    await settle(2000);
    const second = t.plug();
    await settle(500);
    expect(t.scanner.statusView().state).toBe('connected');
    new HidPosScannerEmulator(second).scan('HC00000002');
    expect(t.codes).toEqual(['HC00000001', 'HC00000002']);
    expect(t.states()).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
    expect(first.openConnectionCount + second.openConnectionCount).toBe(1);
    await t.scanner.dispose();
  });

  it('notices a device that vanished from enumeration even without a read error', async () => {
    const t = setup(POS);
    const device = t.plug();
    t.scanner.start();
    await settle();
    t.transport.unplug(device, { silently: true });
    await settle(250);
    expect(t.scanner.statusView().state).toBe('disconnected');
    await t.scanner.dispose();
  });

  it('reports a permission problem in words the admin can act on', async () => {
    const t = setup(POS);
    const device = t.plug();
    t.transport.failNextOpen(device, new Error('cannot open device: Permission denied'));
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'error', detail: HID_LINK_TEXT.denied });
    await settle(100);
    expect(t.scanner.statusView().state).toBe('connected');
    await t.scanner.dispose();
  });

  it('dispose closes the device, leaves no timer and fires nothing more', async () => {
    const t = setup(POS);
    const device = t.plug();
    t.scanner.start();
    await settle();
    device.sendReport(new HidPosScannerEmulator(device).reportsFor('Y'.repeat(80))[0]!); // arms the idle timer
    await t.scanner.dispose();
    expect(device.openConnectionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    new HidPosScannerEmulator(device).scan('HC12345678');
    await settle(5000);
    expect(t.codes).toEqual([]);
    expect(t.warnings).toEqual([]);
  });
});

describe('HidQrScanner (keyboard wedge)', () => {
  it('reads codes typed by the scanner, 汉字 included, and ignores nothing it should read', async () => {
    const t = setup(WEDGE);
    const device = t.plug();
    t.scanner.start();
    await settle();
    const box = new KeyboardWedgeEmulator(device);
    const scanned = box.scan('HC12345678').then(() => box.scan('医保凭证AB12'));
    await settle(1000);
    await scanned;
    expect(t.codes).toEqual(['HC12345678', '医保凭证AB12']);
    expect(t.warnings).toEqual([]);
    await t.scanner.dispose();
  });

  it('warns when the "scanner" types like a person (a keyboard configured by mistake)', async () => {
    const t = setup(WEDGE);
    const device = t.plug();
    t.scanner.start();
    await settle();
    const typed = new KeyboardWedgeEmulator(device).type('HC12345678');
    await settle(5000);
    await typed;
    expect(t.codes).toEqual([]);
    expect(new Set(t.warnings.map((w) => w.message))).toEqual(new Set([HID_SCANNER_TEXT.dropped.typing]));
    await t.scanner.dispose();
  });

  it('drops a code cut by an unplug, and reads the next one after the replug', async () => {
    const t = setup(WEDGE);
    const first = t.plug();
    t.scanner.start();
    await settle();
    void new KeyboardWedgeEmulator(first).play(new KeyboardWedgeEmulator(first).reportsFor('HC1234', { enter: false }));
    await settle(100);
    t.transport.unplug(first);
    await settle(0);
    const second = t.plug();
    await settle(500);
    const scanned = new KeyboardWedgeEmulator(second).scan('HC87654321');
    await settle(500);
    await scanned;
    expect(t.codes).toEqual(['HC87654321']);
    await t.scanner.dispose();
  });

  it('explains on Windows why a keyboard-mode scanner cannot be opened', async () => {
    const t = setup(WEDGE, { platform: 'win32' });
    const device = t.plug();
    t.transport.failNextOpen(device, new Error('cannot open device with path \\\\?\\hid#vid_1eab'));
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'error', detail: HID_SCANNER_TEXT.windowsKeyboard });
    await t.scanner.dispose();
  });
});
