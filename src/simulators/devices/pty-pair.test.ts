import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, isSocatAvailable, SOCAT_MISSING_REASON, type PtyPair } from './pty-pair';
import { readPtyEnd, type PtyEndReader } from './pty-end-reader';
import { DeviceGoneError, QrScannerEmulator } from './qr-scanner-emulator';
import { missing } from '../../../test/harness/prerequisites';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function pair(options?: { dir?: string }): Promise<PtyPair> {
  const created = await createPtyPair(options);
  cleanups.push(() => created.close());
  return created;
}
function reader(path: string): PtyEndReader {
  const created = readPtyEnd(path);
  cleanups.push(() => created.close());
  return created;
}
function emulator(path: string): QrScannerEmulator {
  const created = new QrScannerEmulator(path);
  cleanups.push(() => created.close());
  return created;
}
const text = (expected: string) => (received: Buffer) => received.toString('utf8') === expected;

const suite = isSocatAvailable() ? 'pty pair and scanner emulator (socat)' : `pty pair — skipped: ${SOCAT_MISSING_REASON}`;

describe.skipIf(missing('socat'))(suite, () => {
  it('carries bytes untouched from the device end to the station end', async () => {
    const cable = await pair();
    const station = reader(cable.stationPath);
    const scanner = emulator(cable.devicePath);
    await scanner.scan('HC12345678');
    await scanner.scan('医保', { terminator: 'CRLF' });
    await scanner.sendRaw(Uint8Array.of(0x00, 0xff, 0x0a));
    await station.waitFor((r) => r.equals(Buffer.concat([Buffer.from('HC12345678\r医保\r\n'), Buffer.of(0x00, 0xff, 0x0a)])));
    expect(scanner.ledger.map((s) => [s.code, s.terminator])).toEqual([
      ['HC12345678', 'CR'],
      ['医保', 'CRLF'],
    ]);
  });

  it('unplug removes both links and the emulator reports the device gone; replug restores the same paths', async () => {
    const cable = await pair();
    const scanner = emulator(cable.devicePath);
    await scanner.scan('BEFORE');
    await cable.unplug();
    expect(cable.plugged).toBe(false);
    expect(existsSync(cable.stationPath) || existsSync(cable.devicePath)).toBe(false);
    await expect(scanner.scan('LOST')).rejects.toBeInstanceOf(DeviceGoneError);

    await cable.replug();
    expect(cable.plugged).toBe(true);
    const station = reader(cable.stationPath);
    await scanner.scan('AFTER'); // the emulator reopens the device end by itself
    await station.waitFor(text('AFTER\r'));
    expect(scanner.ledger.map((s) => s.code)).toEqual(['BEFORE', 'AFTER']);
  });

  it('uses a given directory and leaves it in place on close, while removing its own temporary one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yibao-pty-test-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const inGivenDir = await pair({ dir });
    expect(dirname(inGivenDir.stationPath)).toBe(dir);
    await inGivenDir.close();
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(inGivenDir.stationPath)).toBe(false);

    const own = await pair();
    await own.close();
    await own.close(); // idempotent
    expect(existsSync(dirname(own.stationPath))).toBe(false);
    await expect(own.replug()).rejects.toThrow(/closed/);
  });

  it('refuses to replug a cable that is plugged in', async () => {
    const cable = await pair();
    await expect(cable.replug()).rejects.toThrow(/already plugged/);
  });

  it('keeps concurrent scans whole on the wire', async () => {
    const cable = await pair();
    const station = reader(cable.stationPath);
    const scanner = emulator(cable.devicePath);
    const codes = Array.from({ length: 50 }, (_, i) => `CODE${String(i).padStart(3, '0')}${'x'.repeat(i * 7)}`);
    await Promise.all(codes.map((code) => scanner.scan(code)));
    await station.waitFor(text(codes.map((c) => `${c}\r`).join('')));
  });
});
