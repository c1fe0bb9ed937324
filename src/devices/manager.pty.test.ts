/** The station's wiring, end to end over real ptys: config → DeviceManager → serialport → socat → emulator. */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatusView } from '../shared/domain';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../simulators/devices/pty-pair';
import { QrScannerEmulator } from '../simulators/devices/qr-scanner-emulator';
import { DeviceManager, type DeviceScan } from './manager';
import { DEVICE_MODELS } from './models';
import { EventLog } from './testing/event-log';
import { createSerialPortTransport } from './transports/serial-transport';
import { missing } from '../../test/harness/prerequisites';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const suite = isSocatAvailable() ? 'DeviceManager over real ptys' : `DeviceManager over ptys — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('runs two scan boxes side by side and tells their scans apart', async () => {
    const [cable1, cable2] = await Promise.all([createPtyPair(), createPtyPair()]);
    cleanups.push(
      () => cable1.close(),
      () => cable2.close(),
    );
    const box1 = new QrScannerEmulator(cable1.devicePath, DEVICE_MODELS['cdc-9600-cr'].terminator);
    const box2 = new QrScannerEmulator(cable2.devicePath, DEVICE_MODELS['serial-115200-crlf'].terminator);
    cleanups.push(
      () => box1.close(),
      () => box2.close(),
    );

    const manager = new DeviceManager({
      devices: [
        { id: 'qr-a', role: 'qr-scanner', model: 'cdc-9600-cr', path: cable1.stationPath },
        { id: 'qr-b', role: 'qr-scanner', model: 'serial-115200-crlf', path: cable2.stationPath },
      ],
      transports: { serial: createSerialPortTransport() },
    });
    cleanups.push(() => manager.dispose());
    const statuses = new EventLog<DeviceStatusView>(manager.onStatus);
    const scans = new EventLog<DeviceScan>(manager.onScan);
    cleanups.push(
      () => statuses.dispose(),
      () => scans.dispose(),
    );

    const bothConnected = () =>
      Promise.all(['qr-a', 'qr-b'].map((id) => statuses.waitFor((s) => s.id === id && s.state === 'connected', { after: 0 })));
    manager.start();
    await bothConnected();
    expect(manager.list().map((d) => d.state)).toEqual(['connected', 'connected']);

    await box1.scan('134567890123456789');
    await box2.scan('HC12345678');
    await scans.waitFor((s) => s.deviceId === 'qr-a', { after: 0 });
    await scans.waitFor((s) => s.deviceId === 'qr-b', { after: 0 });
    expect(
      scans.values.map(({ deviceId, kind, code }) => ({ deviceId, kind, code })).sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    ).toEqual([
      { deviceId: 'qr-a', kind: 'wechat-pay', code: '134567890123456789' },
      { deviceId: 'qr-b', kind: 'hospital-card', code: 'HC12345678' },
    ]);

    // Unplugging one box leaves the other untouched.
    const beforeUnplug = statuses.mark();
    await cable1.unplug();
    await statuses.waitFor((s) => s.id === 'qr-a' && s.state === 'disconnected', { after: beforeUnplug, timeoutMs: 1000 });
    expect(manager.list().map((d) => d.state)).toEqual(['disconnected', 'connected']);
  });
});
