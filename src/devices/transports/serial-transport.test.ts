import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON } from '../../simulators/devices/pty-pair';
import { readPtyEnd } from '../../simulators/devices/pty-end-reader';
import { QrScannerEmulator } from '../../simulators/devices/qr-scanner-emulator';
import { EventLog } from '../testing/event-log';
import { createSerialPortTransport, type SerialSettings } from './serial-transport';
import { missing } from '../../../test/harness/prerequisites';

const SETTINGS: SerialSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('serialport transport: locate', () => {
  it('finds a device node by path and tells when it is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yibao-locate-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const transport = createSerialPortTransport();
    const path = join(dir, 'ttyFAKE0');
    expect(await transport.locate(path)).toBeNull();
    await writeFile(path, '');
    const first = await transport.locate(path);
    expect(first).toEqual(expect.any(String));
    expect(await transport.locate(path)).toBe(first); // stable while the same node is there
    // A new node under the same name (created before the old one goes, so it cannot reuse its inode).
    await writeFile(`${path}.new`, '');
    await rename(`${path}.new`, path);
    expect(await transport.locate(path)).not.toBe(first);
    await rm(path);
    expect(await transport.locate(path)).toBeNull();
  });

  it('finds Windows COM ports by enumeration, case-insensitively, fingerprinted by serial number', async () => {
    let ports = [{ path: 'COM3', serialNumber: 'A1B2', pnpId: 'USB\\VID_1EAB&PID_1A03' }];
    const transport = createSerialPortTransport({ listPorts: async () => ports, listMaxAgeMs: 0 });
    const first = await transport.locate('com3');
    expect(first).toContain('A1B2');
    expect(await transport.locate('COM4')).toBeNull();
    ports = [{ path: 'COM3', serialNumber: 'C3D4', pnpId: 'USB\\VID_1EAB&PID_1A03' }];
    expect(await transport.locate('COM3')).not.toBe(first);
    ports = [];
    expect(await transport.locate('COM3')).toBeNull();
  });

  it('shares one enumeration among the devices that ask within its age, and retries after a failure', async () => {
    let calls = 0;
    let failNext = false;
    const transport = createSerialPortTransport({
      listPorts: async () => {
        calls++;
        if (failNext) throw new Error('enumeration failed');
        return [{ path: 'COM3' }, { path: 'COM4' }];
      },
      listMaxAgeMs: 60_000,
    });
    failNext = true;
    await expect(transport.locate('COM3')).rejects.toThrow('enumeration failed');
    failNext = false;
    expect(await Promise.all([transport.locate('COM3'), transport.locate('COM4'), transport.locate('COM5')])).toEqual([
      expect.any(String),
      expect.any(String),
      null,
    ]);
    expect(calls).toBe(2);
  });
});

const suite = isSocatAvailable() ? 'serialport transport over a pty' : `serialport transport — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('reads and writes bytes untouched, reports the hang-up of an unplug, and closes idempotently', async () => {
    const cable = await createPtyPair();
    cleanups.push(() => cable.close());
    const deviceEnd = readPtyEnd(cable.devicePath);
    cleanups.push(() => deviceEnd.close());
    const connection = await createSerialPortTransport().open(cable.stationPath, SETTINGS);
    cleanups.push(() => connection.close());
    const data = new EventLog<Uint8Array>(connection.onData);
    const closes = new EventLog<Error | undefined>(connection.onClose);
    cleanups.push(
      () => data.dispose(),
      () => closes.dispose(),
    );

    const emulator = new QrScannerEmulator(cable.devicePath);
    cleanups.push(() => emulator.close());
    await emulator.sendRaw(Uint8Array.of(0x00, 0xff, 0x0d, 0x0a));
    const received = await data.waitFor(() => Buffer.concat(data.values).length >= 4, { after: 0, what: 'raw bytes' });
    expect(Buffer.concat(data.values.slice(0, data.events.indexOf(received) + 1))).toEqual(Buffer.of(0x00, 0xff, 0x0d, 0x0a));

    await connection.write(Buffer.from('TRIGGER\r'));
    await deviceEnd.waitFor((r) => r.toString() === 'TRIGGER\r');

    const beforeUnplug = closes.mark();
    await cable.unplug();
    await closes.waitFor(() => true, { after: beforeUnplug, timeoutMs: 1000, what: 'close after hang-up' });
    await connection.close();
    await connection.close();
  });

  it('fails to open a path where nothing is plugged in', async () => {
    const cable = await createPtyPair();
    cleanups.push(() => cable.close());
    await cable.unplug();
    await expect(createSerialPortTransport().open(cable.stationPath, SETTINGS)).rejects.toThrow(/No such file/);
  });
});
