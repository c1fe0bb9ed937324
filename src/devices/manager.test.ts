import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatusView } from '../shared/domain';
import { SCANNER_TEXT } from './drivers/qr-scanner';
import { DeviceManager, type DeviceScan, type DeviceWarningEvent } from './manager';
import type { DeviceConfig } from './models';
import { FakeSerialTransport } from './transports/fake-serial-transport';

const DEVICES: DeviceConfig[] = [
  { id: 'qr-window-1', role: 'qr-scanner', model: 'cdc-9600-cr', path: '/dev/ttyACM0' },
  { id: 'qr-window-2', role: 'qr-scanner', model: 'serial-115200-crlf', path: '/dev/ttyUSB0', baudRate: 57600 },
];

function setup(options: { classifyRules?: { hospitalCard: RegExp } } = {}) {
  const transport = new FakeSerialTransport();
  const manager = new DeviceManager({ devices: DEVICES, transports: { serial: transport }, ...options });
  const statuses: DeviceStatusView[] = [];
  const warnings: DeviceWarningEvent[] = [];
  const scans: DeviceScan[] = [];
  manager.onStatus((s) => statuses.push(s));
  manager.onWarning((w) => warnings.push(w));
  manager.onScan((s) => scans.push(s));
  return { transport, manager, statuses, warnings, scans };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeviceManager', () => {
  it('lists every configured device before and after start, in configuration order', async () => {
    const t = setup();
    expect(t.manager.list()).toEqual([
      expect.objectContaining({
        id: 'qr-window-1',
        role: 'qr-scanner',
        path: '/dev/ttyACM0',
        state: 'disconnected',
        detail: SCANNER_TEXT.notStarted,
      }),
      expect.objectContaining({ id: 'qr-window-2', role: 'qr-scanner', path: '/dev/ttyUSB0', state: 'disconnected' }),
    ]);
    expect(t.manager.list()[0]?.model).toContain('9600');

    t.transport.plug('/dev/ttyACM0');
    t.manager.start();
    await settle();
    expect(t.manager.list().map((d) => [d.id, d.state])).toEqual([
      ['qr-window-1', 'connected'],
      ['qr-window-2', 'disconnected'],
    ]);
    const statesOf = (id: string) => t.statuses.filter((s) => s.id === id).map((s) => s.state);
    expect(statesOf('qr-window-1')).toEqual(['connecting', 'connected']);
    expect(statesOf('qr-window-2')).toEqual(['connecting', 'disconnected']);
    await t.manager.dispose();
  });

  it('opens each device with its model settings and the configured baud-rate override', async () => {
    const t = setup();
    t.transport.plug('/dev/ttyACM0');
    t.transport.plug('/dev/ttyUSB0');
    t.manager.start();
    await settle();
    expect(t.transport.openAttempts.map((a) => [a.path, a.settings.baudRate])).toEqual([
      ['/dev/ttyACM0', 9600],
      ['/dev/ttyUSB0', 57600],
    ]);
    await t.manager.dispose();
  });

  it('merges scans from all devices with their device id, kind and raw code', async () => {
    const t = setup();
    const window1 = t.transport.plug('/dev/ttyACM0');
    const window2 = t.transport.plug('/dev/ttyUSB0');
    t.manager.start();
    await settle();
    window1.send('134567890123456789\r');
    window2.send('2812345678901234\r\n');
    window1.send('HC12345678\r');
    window2.send(`${'E'.repeat(64)}\r\n`);
    window1.send('hello\r');
    expect(t.scans.map(({ deviceId, kind, code }) => [deviceId, kind, code.slice(0, 18)])).toEqual([
      ['qr-window-1', 'wechat-pay', '134567890123456789'],
      ['qr-window-2', 'alipay-pay', '2812345678901234'],
      ['qr-window-1', 'hospital-card', 'HC12345678'],
      ['qr-window-2', 'nhsa-ec', 'E'.repeat(18)],
      ['qr-window-1', 'unknown', 'hello'],
    ]);
    expect(t.scans.every((s) => typeof s.receivedAt === 'number')).toBe(true);
    await t.manager.dispose();
  });

  it('classifies with the hospital-card rule from configuration', async () => {
    const t = setup({ classifyRules: { hospitalCard: /JZK\d{6}/ } });
    const port = t.transport.plug('/dev/ttyACM0');
    t.manager.start();
    await settle();
    port.send('JZK123456\rHC12345678\r');
    expect(t.scans.map((s) => s.kind)).toEqual(['hospital-card', 'unknown']);
    await t.manager.dispose();
  });

  it('forwards warnings with the device id', async () => {
    const t = setup();
    const port = t.transport.plug('/dev/ttyUSB0');
    t.manager.start();
    await settle();
    port.send(Uint8Array.of(0x00, 0x0d));
    expect(t.warnings).toEqual([
      { deviceId: 'qr-window-2', message: SCANNER_TEXT.dropped['control-byte'], at: '2026-03-02T08:00:00.000Z' },
    ]);
    expect(t.scans).toEqual([]);
    await t.manager.dispose();
  });

  it('rejects an invalid configuration with the reason', () => {
    const transports = { serial: new FakeSerialTransport() };
    const build = (devices: unknown[]) => () => new DeviceManager({ devices: devices as DeviceConfig[], transports });
    const base = { id: 'qr1', role: 'qr-scanner', model: 'cdc-9600-cr', path: '/dev/ttyACM0' };
    expect(build([{ ...base, model: 'no-such-model' }])).toThrow(/未知设备型号：no-such-model/);
    expect(build([base, { ...base, path: '/dev/ttyACM1' }])).toThrow(/设备编号重复：qr1/);
    expect(build([{ ...base, baudRate: 12345 }])).toThrow(/不支持的波特率/);
    expect(build([{ ...base, id: 'QR 1' }])).toThrow(/设备编号/);
    expect(build([{ ...base, extra: true }])).toThrow();
    expect(build([base])).not.toThrow();
  });

  it('dispose closes every device, leaves no timer and stops all events', async () => {
    const t = setup();
    const port = t.transport.plug('/dev/ttyACM0');
    t.manager.start();
    await settle();
    await t.manager.dispose();
    expect(port.openConnectionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    const before = t.statuses.length;
    port.send('HC12345678\r');
    t.transport.plug('/dev/ttyUSB0');
    await settle(5000);
    expect(t.scans).toEqual([]);
    expect(t.statuses.length).toBe(before);
    await t.manager.dispose(); // idempotent
  });
});
