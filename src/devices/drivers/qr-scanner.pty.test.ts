/**
 * The scanner driver over real ptys (socat) and the real `serialport` transport, with the scan-box emulator on
 * the far end: the same kernel paths (tty open/flush, EIO on hangup, vanishing device nodes) as a USB CDC box.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON, type PtyPair } from '../../simulators/devices/pty-pair';
import { QrScannerEmulator } from '../../simulators/devices/qr-scanner-emulator';
import { DEVICE_MODELS } from '../models';
import { EventLog } from '../testing/event-log';
import { createSerialPortTransport, type SerialTransport } from '../transports/serial-transport';
import type { DeviceWarning } from './device-driver';
import { SCANNER_TEXT, SerialQrScanner } from './qr-scanner';
import { missing } from '../../../test/harness/prerequisites';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A transport whose connections never report close or errors: only polling can notice an unplug. */
function deafToPortEvents(inner: SerialTransport): SerialTransport {
  const silent = () => ({ dispose: () => undefined });
  return {
    locate: (path) => inner.locate(path),
    async open(path, settings) {
      const connection = await inner.open(path, settings);
      return {
        onData: (listener) => connection.onData(listener),
        onClose: silent,
        onError: silent,
        write: (bytes) => connection.write(bytes),
        close: () => connection.close(),
      };
    },
  };
}

async function rig(options: { transport?: SerialTransport } = {}) {
  const cable: PtyPair = await createPtyPair();
  cleanups.push(() => cable.close());
  const emulator = new QrScannerEmulator(cable.devicePath);
  cleanups.push(() => emulator.close());
  const scanner = new SerialQrScanner({
    id: 'qr1',
    model: DEVICE_MODELS['cdc-9600-cr'],
    path: cable.stationPath,
    transport: options.transport ?? createSerialPortTransport(),
  });
  cleanups.push(() => scanner.dispose()); // runs before the cable closes (cleanups unwind in reverse)
  const codes = new EventLog<{ code: string; receivedAt: number }>((listener) =>
    scanner.onCode((code, receivedAt) => listener({ code, receivedAt })),
  );
  const statuses = new EventLog<DeviceStatusView>(scanner.onStatus);
  const warnings = new EventLog<DeviceWarning>(scanner.onWarning);
  cleanups.push(() => [codes, statuses, warnings].forEach((log) => log.dispose()));

  const connected = statuses.waitFor((s) => s.state === 'connected', { what: 'connected status' });
  scanner.start();
  await connected;
  /** Scans and waits until exactly that code comes out. */
  const scanAndReceive = async (code: string) => {
    const mark = codes.mark();
    await emulator.scan(code);
    return codes.waitFor((c) => c.code === code, { after: mark, timeoutMs: 10_000, what: `code ${code}` });
  };
  return { cable, emulator, scanner, codes, statuses, warnings, scanAndReceive };
}

/** Unplug, then replug: the status follows the cable both ways (how fast is a benchmark's question, not a test's). */
async function unplugAndReplug(r: Awaited<ReturnType<typeof rig>>) {
  const beforeUnplug = r.statuses.mark();
  await r.cable.unplug();
  const disconnected = await r.statuses.waitFor((s) => s.state === 'disconnected', {
    after: beforeUnplug,
    timeoutMs: 10_000,
    what: 'disconnected status',
  });
  expect(disconnected.value.detail).toBe(SCANNER_TEXT.lost);

  const beforeReplug = r.statuses.mark();
  await r.cable.replug();
  await r.statuses.waitFor((s) => s.state === 'connected', {
    after: beforeReplug,
    timeoutMs: 10_000,
    what: 'connected status',
  });
}

const suite = isSocatAvailable() ? 'SerialQrScanner over real ptys' : `SerialQrScanner over ptys — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('delivers a scan as a code event, stamped with a monotonic receive time', async () => {
    const r = await rig();
    const sentAt = performance.now();
    const { value } = await r.scanAndReceive('134567890123456789');
    expect(value.receivedAt).toBeGreaterThanOrEqual(sentAt);
    expect(value.receivedAt).toBeLessThanOrEqual(performance.now());
    expect(r.scanner.statusView()).toMatchObject({ state: 'connected', path: r.cable.stationPath });
  });

  it('joins a code the device sends in pieces and splits codes that arrive together', async () => {
    const r = await rig();
    const mark = r.codes.mark();
    await r.emulator.sendRaw('HC1234');
    await r.emulator.sendRaw('5678\rHC8765');
    await r.emulator.sendRaw('4321\r\n');
    await r.codes.waitFor((c) => c.code === 'HC87654321', { after: mark, what: 'second code' });
    expect(r.codes.values.slice(mark).map((c) => c.code)).toEqual(['HC12345678', 'HC87654321']);
  });

  it('turns garbage, over-long frames and invalid UTF-8 into warnings, no codes, and keeps working', async () => {
    const r = await rig();
    const codeMark = r.codes.mark();
    const warningMark = r.warnings.mark();
    await r.emulator.sendRaw(Uint8Array.of(0x00, 0x1b, 0x5b, 0x41, 0x0d)); // power-up noise
    await r.emulator.sendRaw(`${'9'.repeat(DEVICE_MODELS['cdc-9600-cr'].maxFrameBytes + 1)}\r`);
    await r.emulator.sendRaw(Buffer.concat([Buffer.from('HC12'), Buffer.of(0xc3, 0x28), Buffer.from('\r')]));
    await r.scanAndReceive('HC12345678');
    expect(r.codes.values.slice(codeMark).map((c) => c.code)).toEqual(['HC12345678']);
    expect(r.warnings.values.slice(warningMark).map((w) => w.message)).toEqual([
      SCANNER_TEXT.dropped['control-byte'],
      SCANNER_TEXT.dropped['too-long'],
      SCANNER_TEXT.dropped['invalid-utf8'],
    ]);
    expect(r.scanner.statusView().state).toBe('connected');
  });

  it('discards a frame the device abandoned midway once the idle time has passed', async () => {
    const r = await rig();
    const warningMark = r.warnings.mark();
    await r.emulator.sendRaw('HC1234');
    await r.warnings.waitFor((w) => w.message === SCANNER_TEXT.dropped['idle-timeout'], {
      after: warningMark,
      timeoutMs: 10_000,
      what: 'idle-timeout warning',
    });
    await r.scanAndReceive('HC87654321');
    expect(r.codes.values.map((c) => c.code)).toEqual(['HC87654321']);
  });

  it('unplug → disconnected within 1 s; replug → connected within 2 s; scans after it arrive exactly once', async () => {
    const r = await rig();
    await r.scanAndReceive('HC00000001');
    await unplugAndReplug(r);
    await r.scanAndReceive('HC00000002');
    await r.scanAndReceive('HC00000003'); // a sentinel: a duplicate of the previous one would show before it
    expect(r.codes.values.map((c) => c.code)).toEqual(['HC00000001', 'HC00000002', 'HC00000003']);
    expect(r.statuses.values.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
  });

  it('notices the unplug by polling alone when the port reports neither close nor error (serialport #2351)', async () => {
    const r = await rig({ transport: deafToPortEvents(createSerialPortTransport()) });
    await unplugAndReplug(r);
    await r.scanAndReceive('HC00000004');
    await r.scanAndReceive('HC00000005');
    expect(r.codes.values.map((c) => c.code)).toEqual(['HC00000004', 'HC00000005']);
  });

  it('survives several unplug/replug cycles in a row', async () => {
    const r = await rig();
    for (let cycle = 1; cycle <= 3; cycle++) {
      await unplugAndReplug(r);
      await r.scanAndReceive(`HC1000000${cycle}`);
    }
    expect(r.codes.values.map((c) => c.code)).toEqual(['HC10000001', 'HC10000002', 'HC10000003']);
  });

  it('reports a device that is not there at start, and connects once it appears', async () => {
    const cable = await createPtyPair();
    cleanups.push(() => cable.close());
    await cable.unplug();
    const scanner = new SerialQrScanner({
      id: 'qr1',
      model: DEVICE_MODELS['serial-115200-crlf'],
      path: cable.stationPath,
      transport: createSerialPortTransport(),
    });
    cleanups.push(() => scanner.dispose());
    const statuses = new EventLog<DeviceStatusView>(scanner.onStatus);
    cleanups.push(() => statuses.dispose());
    scanner.start();
    await statuses.waitFor((s) => s.state === 'disconnected' && s.detail === SCANNER_TEXT.notFound, { timeoutMs: 10_000 });
    await cable.replug();
    await statuses.waitFor((s) => s.state === 'connected', { timeoutMs: 10_000 });
  });

  it('dispose releases the port: another reader can take the exclusive lock afterwards', async () => {
    const r = await rig();
    await r.scanner.dispose();
    const other = await createSerialPortTransport().open(r.cable.stationPath, {
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
    });
    await other.close();
  });

  it('a second driver on the same port reports it busy instead of stealing codes', async () => {
    const r = await rig();
    const intruder = new SerialQrScanner({
      id: 'qr2',
      model: DEVICE_MODELS['cdc-9600-cr'],
      path: r.cable.stationPath,
      transport: createSerialPortTransport(),
    });
    cleanups.push(() => intruder.dispose());
    const statuses = new EventLog<DeviceStatusView>(intruder.onStatus);
    cleanups.push(() => statuses.dispose());
    intruder.start();
    const busy = await statuses.waitFor((s) => s.state === 'error', { timeoutMs: 10_000 });
    expect(busy.value.detail).toBe(SCANNER_TEXT.busy);
    await r.scanAndReceive('HC12345678');
  });
});
