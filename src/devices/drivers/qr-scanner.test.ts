/** The driver's state machine over the in-memory transport, on fake timers (the pty suite covers real I/O). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { DEVICE_MODELS } from '../models';
import { FakeSerialTransport } from '../transports/fake-serial-transport';
import type { DeviceWarning } from './device-driver';
import { SCANNER_TEXT, SerialQrScanner } from './qr-scanner';

const PATH = '/dev/ttyACM0';

function setup(options: { plugged?: boolean; baudRate?: number } = {}) {
  const transport = new FakeSerialTransport();
  if (options.plugged ?? true) transport.plug(PATH);
  const scanner = new SerialQrScanner({
    id: 'qr1',
    model: DEVICE_MODELS['cdc-9600-cr'],
    path: PATH,
    transport,
    monotonicNow: () => Date.now(), // faked along with the timers
    baudRate: options.baudRate,
  });
  const codes: { code: string; receivedAt: number }[] = [];
  const statuses: DeviceStatusView[] = [];
  const warnings: DeviceWarning[] = [];
  scanner.onCode((code, receivedAt) => codes.push({ code, receivedAt }));
  scanner.onStatus((status) => statuses.push(status));
  scanner.onWarning((warning) => warnings.push(warning));
  const device = () => {
    const port = transport.port(PATH);
    if (!port) throw new Error('no device plugged');
    return port;
  };
  return { transport, scanner, codes, statuses, warnings, device, states: () => statuses.map((s) => s.state) };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SerialQrScanner', () => {
  it('connects with the model settings and turns frames into codes', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    expect(t.states()).toEqual(['connecting', 'connected']);
    expect(t.scanner.statusView()).toMatchObject({ id: 'qr1', role: 'qr-scanner', path: PATH, detail: '已连接' });
    expect(t.transport.openAttempts[0]?.settings).toEqual({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });

    t.device().send('1345678');
    await settle(5);
    t.device().send('90123456789\rHC12345678\r');
    expect(t.codes).toEqual([
      { code: '134567890123456789', receivedAt: Date.now() },
      { code: 'HC12345678', receivedAt: Date.now() },
    ]);
    await t.scanner.dispose();
  });

  it('applies a configured baud-rate override', async () => {
    const t = setup({ baudRate: 115200 });
    t.scanner.start();
    await settle();
    expect(t.transport.openAttempts[0]?.settings.baudRate).toBe(115200);
    await t.scanner.dispose();
  });

  it('warns about garbage, keeps it out of the codes and keeps working', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    t.device().send(Uint8Array.of(0x00, 0xff, 0x41, 0x0d));
    t.device().send(`${'9'.repeat(2000)}\r`);
    t.device().send('HC12345678\r');
    expect(t.codes.map((c) => c.code)).toEqual(['HC12345678']);
    expect(t.warnings.map((w) => w.message)).toEqual([SCANNER_TEXT.dropped['control-byte'], SCANNER_TEXT.dropped['too-long']]);
    expect(t.warnings[0]?.at).toBe('2026-03-02T08:00:00.000Z');
    expect(t.scanner.statusView()).toMatchObject({ state: 'connected', detail: SCANNER_TEXT.dropped['too-long'] });
    await t.scanner.dispose();
  });

  it('discards a frame the device stopped sending midway, after the model idle time', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    t.device().send('HC1234');
    await settle(DEVICE_MODELS['cdc-9600-cr'].idleMs - 1);
    expect(t.warnings).toEqual([]);
    await settle(1);
    expect(t.warnings.map((w) => w.message)).toEqual([SCANNER_TEXT.dropped['idle-timeout']]);
    t.device().send('5678\rHC87654321\r');
    expect(t.codes.map((c) => c.code)).toEqual(['5678', 'HC87654321']);
    await t.scanner.dispose();
  });

  it('notices a silent unplug (no close event) by polling, and reconnects when the device returns', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    t.transport.unplug(PATH, { silently: true });
    await settle(250);
    expect(t.scanner.statusView()).toMatchObject({ state: 'disconnected', detail: SCANNER_TEXT.lost });

    await settle(3000); // stays down, retrying at most every 500 ms, without re-announcing itself
    expect(t.states()).toEqual(['connecting', 'connected', 'disconnected']);
    const attemptsWhileAway = t.transport.openAttempts.length;

    const port = t.transport.plug(PATH);
    await settle(500);
    expect(t.scanner.statusView().state).toBe('connected');
    expect(t.transport.openAttempts.length).toBe(attemptsWhileAway + 1);
    port.send('HC12345678\r');
    expect(t.codes.map((c) => c.code)).toEqual(['HC12345678']);
    expect(port.openConnectionCount).toBe(1);
    await t.scanner.dispose();
  });

  it('reacts to a close event at once, without waiting for the poll', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    t.transport.unplug(PATH);
    await settle(0);
    expect(t.scanner.statusView().state).toBe('disconnected');
    await t.scanner.dispose();
  });

  it('reopens after a read error, with a fresh connection and no duplicate codes', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    const port = t.device();
    port.send('HC11111111\r');
    port.failRead(new Error('EIO: i/o error, read'));
    await settle(500);
    expect(t.states()).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
    expect(port.openConnectionCount).toBe(1);
    port.send('HC22222222\r');
    expect(t.codes.map((c) => c.code)).toEqual(['HC11111111', 'HC22222222']);
    await t.scanner.dispose();
  });

  it('reopens when another device took the same path between two polls', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    const before = t.transport.openAttempts.length;
    t.transport.unplug(PATH, { silently: true });
    const replacement = t.transport.plug(PATH); // same name, new device node
    await settle(250 + 500);
    expect(t.transport.openAttempts.length).toBe(before + 1);
    expect(t.scanner.statusView().state).toBe('connected');
    replacement.send('HC33333333\r');
    expect(t.codes.map((c) => c.code)).toEqual(['HC33333333']);
    await t.scanner.dispose();
  });

  it('drops a partial frame cut by the unplug instead of emitting it later', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    t.device().send('HC1234');
    t.transport.unplug(PATH);
    await settle(0);
    expect(t.warnings.map((w) => w.message)).toEqual([SCANNER_TEXT.dropped.interrupted]);
    const port = t.transport.plug(PATH);
    await settle(500);
    port.send('HC87654321\r');
    expect(t.codes.map((c) => c.code)).toEqual(['HC87654321']);
    await t.scanner.dispose();
  });

  it('waits for a device that is not plugged in at start', async () => {
    const t = setup({ plugged: false });
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'disconnected', detail: SCANNER_TEXT.notFound });
    t.transport.plug(PATH);
    await settle(500);
    expect(t.scanner.statusView()).toMatchObject({ state: 'connected', detail: SCANNER_TEXT.connected });
    await t.scanner.dispose();
  });

  it('reports a port held by another program as an error and retries until it is free', async () => {
    const t = setup();
    t.transport.failNextOpen(PATH, new Error('Error Resource temporarily unavailable Cannot lock port'));
    t.transport.failNextOpen(PATH, new Error('Error Resource temporarily unavailable Cannot lock port'));
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'error', detail: SCANNER_TEXT.busy });
    await settle(1000);
    expect(t.scanner.statusView().state).toBe('connected');
    expect(t.transport.openAttempts.length).toBe(3);
    await t.scanner.dispose();
  });

  it('reports a permission problem in words the operator can act on', async () => {
    const t = setup();
    t.transport.failNextOpen(PATH, new Error('Error: Permission denied, cannot open /dev/ttyACM0'));
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'error', detail: SCANNER_TEXT.denied });
    await t.scanner.dispose();
  });

  it('recovers from a connection that breaks in an unforeseen way while being set up', async () => {
    const t = setup();
    const open = t.transport.open.bind(t.transport);
    let broken = true;
    t.transport.open = async (path, settings) => {
      const connection = await open(path, settings);
      if (!broken) return connection;
      broken = false;
      return {
        onData: () => {
          throw new Error('listener table corrupted');
        },
        onClose: (listener) => connection.onClose(listener),
        onError: (listener) => connection.onError(listener),
        write: (bytes) => connection.write(bytes),
        close: () => connection.close(),
      };
    };
    t.scanner.start();
    await settle();
    expect(t.scanner.statusView()).toMatchObject({ state: 'error', detail: SCANNER_TEXT.openFailed('listener table corrupted') });
    await settle(500);
    expect(t.scanner.statusView().state).toBe('connected');
    expect(t.device().openConnectionCount).toBe(1); // the broken one was closed
    t.device().send('HC12345678\r');
    expect(t.codes.map((c) => c.code)).toEqual(['HC12345678']);
    await t.scanner.dispose();
  });

  it('keeps `since` at the last state change while only the detail changes', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    const connectedSince = t.scanner.statusView().since;
    await settle(60_000);
    t.device().send(Uint8Array.of(0x07, 0x0d));
    expect(t.scanner.statusView().since).toBe(connectedSince);
    t.transport.unplug(PATH);
    await settle(0);
    expect(t.scanner.statusView().since).toBe('2026-03-02T08:01:00.000Z');
    await t.scanner.dispose();
  });

  it('dispose closes the port, leaves no timer and fires nothing more', async () => {
    const t = setup();
    t.scanner.start();
    await settle();
    t.device().send('HC12'); // arms the idle timer
    const port = t.device();
    await t.scanner.dispose();
    expect(port.openConnectionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    port.send('34567890\r');
    t.transport.unplug(PATH);
    await settle(5000);
    expect(t.codes).toEqual([]);
    expect(t.warnings).toEqual([]);
    expect(t.states()).toEqual(['connecting', 'connected']);
    await t.scanner.dispose(); // idempotent
  });

  it('dispose during an open in flight closes the port that opens late', async () => {
    const t = setup();
    t.scanner.start();
    const disposed = t.scanner.dispose();
    await settle();
    await disposed;
    expect(t.device().openConnectionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(t.states()).toEqual(['connecting']);
  });

  it('a throwing listener does not stop the others nor the driver', async () => {
    const t = setup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    t.scanner.onCode(() => {
      throw new Error('listener bug');
    });
    const after: string[] = [];
    t.scanner.onCode((code) => after.push(code));
    t.scanner.start();
    await settle();
    t.device().send('HC12345678\rHC87654321\r');
    expect(after).toEqual(['HC12345678', 'HC87654321']);
    expect(errors).toHaveBeenCalledTimes(2);
    errors.mockRestore();
    await t.scanner.dispose();
  });
});
