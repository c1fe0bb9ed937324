/**
 * Scan latency over real ptys: frame written at the device end → code event in the app, for our
 * SerialQrScanner and, side by side in the same run, a bare `serialport` + `ReadlineParser` (what the driver
 * would be without framing checks, idle timeout and reconnect logic). Goal: driver ≤ 1.2× the bare reader.
 * Then the card-reader FFI path: readCard() through koffi's worker threads into native/libsscard and back,
 * parsed — the station's own overhead around a vendor library (a real reader adds its chip I/O).
 *
 *   tsx bench/devices.ts [--scans 2000] [--card-reads 1000]
 *
 * Both readers get the same codes from the same writer, interleaved scan by scan so machine noise hits both
 * alike. The last line of output is one JSON object for CI.
 */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { FfiCardReader } from '../src/devices/drivers/card-reader-ffi';
import { SerialQrScanner } from '../src/devices/drivers/qr-scanner';
import { DEVICE_MODELS } from '../src/devices/models';
import { buildNativeCardLibrary } from '../src/devices/testing/native-library';
import { createKoffiCardLibraryLoader } from '../src/devices/transports/card-library';
import { createSerialPortTransport } from '../src/devices/transports/serial-transport';
import { controlNativeCardReader } from '../src/simulators/devices/native-card-reader';
import { createPtyPair, isSocatAvailable, type PtyPair } from '../src/simulators/devices/pty-pair';
import { TRAINING_CARDS } from '../src/simulators/devices/training-cards';

const GOAL_RATIO = 1.2;
const WARMUP_SCANS = 50;
const SCAN_TIMEOUT_MS = 2000;
const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return (at >= 0 && Number(process.argv[at + 1])) || fallback;
};
const scanCount = argument('--scans', 2000);
const cardReadCount = argument('--card-reads', 1000);
const WARMUP_CARD_READS = 20;

/** A mix of what a cashier window reads: payment codes, a patient card, an e-voucher-sized QR. */
function codeFor(i: number): string {
  const n = String(i).padStart(6, '0');
  switch (i % 4) {
    case 0:
      return `134567890123${n}`; // WeChat Pay, 18 digits
    case 1:
      return `28765432109876${n}`; // Alipay, 20 digits
    case 2:
      return `HC0000${n}`; // hospital card
    default:
      return `https://ec.example.cn/v?c=${n}${'A1b2C3d4'.repeat(24)}`; // ~230-char e-voucher QR
  }
}

/** A reader under test: something that resolves when a given code comes out. */
interface Reader {
  name: string;
  nextCode(): Promise<{ code: string; at: number }>;
  close(): Promise<void>;
}

function codeQueue() {
  const waiting: ((value: { code: string; at: number }) => void)[] = [];
  return {
    push(code: string) {
      const at = performance.now();
      waiting.shift()?.({ code, at });
    },
    next(): Promise<{ code: string; at: number }> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no code within ${SCAN_TIMEOUT_MS} ms`)), SCAN_TIMEOUT_MS);
        waiting.push((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
  };
}

async function ourDriver(cable: PtyPair): Promise<Reader> {
  const scanner = new SerialQrScanner({
    id: 'bench',
    model: DEVICE_MODELS['cdc-9600-cr'],
    path: cable.stationPath,
    transport: createSerialPortTransport(),
  });
  const queue = codeQueue();
  scanner.onCode((code) => queue.push(code));
  const connected = new Promise<void>((resolve) => {
    const subscription = scanner.onStatus((status) => {
      if (status.state !== 'connected') return;
      subscription.dispose();
      resolve();
    });
  });
  scanner.start();
  await connected;
  return { name: 'SerialQrScanner (ours)', nextCode: queue.next, close: () => scanner.dispose() };
}

async function bareReadline(cable: PtyPair): Promise<Reader> {
  const port = new SerialPort({ path: cable.stationPath, baudRate: 9600, autoOpen: false, hupcl: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const queue = codeQueue();
  port.pipe(new ReadlineParser({ delimiter: '\r' })).on('data', (line: string) => queue.push(line));
  return {
    name: 'serialport + ReadlineParser',
    nextCode: queue.next,
    close: () => new Promise((resolve) => port.close(() => resolve())),
  };
}

/** Writes one frame at the device end and measures until the reader hands over the code. */
async function measure(reader: Reader, deviceFd: number, code: string): Promise<number> {
  const received = reader.nextCode();
  const frame = Buffer.from(`${code}\r`);
  const sentAt = performance.now();
  for (let offset = 0; offset < frame.length;) offset += writeSync(deviceFd, frame, offset);
  const { code: got, at } = await received;
  if (got !== code) throw new Error(`${reader.name}: expected ${code}, got ${got}`);
  return at - sentAt;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarize(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length),
    max: round(sorted[sorted.length - 1]!),
  };
}

/** readCard() latency through koffi and native/libsscard; null when the library cannot be built here. */
async function measureFfiReads(count: number): Promise<ReturnType<typeof summarize> | null> {
  let libraryPath: string;
  try {
    libraryPath = buildNativeCardLibrary();
  } catch (error) {
    console.warn(`card-reader FFI bench skipped: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
    return null;
  }
  const control = controlNativeCardReader(libraryPath);
  control.reset();
  control.insert(TRAINING_CARDS[0]!);
  const reader = new FfiCardReader({
    id: 'bench',
    model: DEVICE_MODELS['sscard-unified'],
    library: libraryPath,
    loader: createKoffiCardLibraryLoader(),
  });
  const ready = new Promise<void>((resolve) => reader.onStatus((status) => status.state === 'connected' && resolve()));
  reader.start();
  await ready;
  try {
    const latencies: number[] = [];
    for (let i = 0; i < WARMUP_CARD_READS + count; i++) {
      const started = performance.now();
      const card = await reader.readCard();
      if (card.cardNo !== TRAINING_CARDS[0]!.cardNo) throw new Error(`read ${card.cardNo}`);
      if (i >= WARMUP_CARD_READS) latencies.push(performance.now() - started);
    }
    return summarize(latencies);
  } finally {
    await reader.dispose();
    control.reset();
  }
}

async function main(): Promise<void> {
  if (!isSocatAvailable()) throw new Error('socat is not installed (apt-get install socat)');
  const cables = await Promise.all([createPtyPair(), createPtyPair()]);
  const fds: number[] = [];
  const readers: Reader[] = [];
  const started = performance.now();
  try {
    readers.push(await ourDriver(cables[0]!), await bareReadline(cables[1]!));
    for (const cable of cables) fds.push(openSync(cable.devicePath, constants.O_WRONLY | constants.O_NOCTTY));
    const latencies: number[][] = readers.map(() => []);

    for (let i = 0; i < WARMUP_SCANS + scanCount; i++) {
      const code = codeFor(i);
      // Alternate who goes first so neither side always runs right after the other's work.
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      for (const r of order) {
        const ms = await measure(readers[r]!, fds[r]!, code);
        if (i >= WARMUP_SCANS) latencies[r]!.push(ms);
      }
    }

    const [ours, bare] = latencies.map(summarize) as [ReturnType<typeof summarize>, ReturnType<typeof summarize>];
    const ratioP50 = Math.round((ours.p50 / bare.p50) * 100) / 100;
    const ratioP95 = Math.round((ours.p95 / bare.p95) * 100) / 100;
    const rows = [
      ['reader', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'max ms'],
      [readers[0]!.name, ours.p50, ours.p95, ours.p99, ours.mean, ours.max],
      [readers[1]!.name, bare.p50, bare.p95, bare.p99, bare.mean, bare.max],
    ].map((row) => row.map(String));
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
    const line = (row: string[]) =>
      row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');

    console.log(`devices bench: frame write → code event over a pty pair, ${scanCount} scans per reader (+${WARMUP_SCANS} warm-up)`);
    console.log(line(rows[0]!));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows.slice(1)) console.log(line(row));
    const withinGoal = ratioP50 <= GOAL_RATIO;
    console.log(`ratio ours/bare: p50 ${ratioP50}×, p95 ${ratioP95}× (goal p50 ≤ ${GOAL_RATIO}×: ${withinGoal ? 'met' : 'NOT met'})`);
    const ffi = await measureFfiReads(cardReadCount);
    if (ffi) {
      console.log(
        `card reader FFI (koffi worker thread → native/libsscard → parsed card), ${cardReadCount} reads: ` +
          `p50 ${ffi.p50} ms, p95 ${ffi.p95} ms, p99 ${ffi.p99} ms, max ${ffi.max} ms`,
      );
    }
    console.log(
      JSON.stringify({
        bench: 'devices',
        scans: scanCount,
        driverP50Ms: ours.p50,
        driverP95Ms: ours.p95,
        driverP99Ms: ours.p99,
        baselineP50Ms: bare.p50,
        baselineP95Ms: bare.p95,
        baselineP99Ms: bare.p99,
        ratioP50,
        ratioP95,
        goalRatio: GOAL_RATIO,
        withinGoal,
        ffiCardReads: ffi ? cardReadCount : 0,
        ffiReadP50Ms: ffi?.p50 ?? null,
        ffiReadP95Ms: ffi?.p95 ?? null,
        durationS: Math.round((performance.now() - started) / 100) / 10,
      }),
    );
  } finally {
    for (const fd of fds) closeSync(fd);
    await Promise.all(readers.map((reader) => reader.close()));
    await Promise.all(cables.map((cable) => cable.close()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
