/**
 * The FFI path for real: native/libsscard (built with the system C compiler) loaded through koffi, its
 * entry points called on koffi's worker threads, and the fake reader steered through its Sim* functions.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { controlNativeCardReader, type NativeCardReaderControl } from '../../simulators/devices/native-card-reader';
import { TRAINING_CARDS, TRAINING_ID_CARDS } from '../../simulators/devices/training-cards';
import { DEVICE_MODELS, type FfiCardReaderModel } from '../models';
import { buildNativeCardLibrary } from '../testing/native-library';
import { createKoffiCardLibraryLoader } from '../transports/card-library';
import { FFI_READER_TEXT, FfiCardReader } from './card-reader-ffi';

const CARD = TRAINING_CARDS[1]!;
const ID_CARD = TRAINING_ID_CARDS[1]!;

let libraryPath: string;
let control: NativeCardReaderControl;
const readers: FfiCardReader[] = [];

beforeAll(() => {
  libraryPath = buildNativeCardLibrary();
  control = controlNativeCardReader(libraryPath);
});
afterEach(async () => {
  control.reset(); // also releases any read still waiting in the library
  await Promise.all(readers.splice(0).map((reader) => reader.dispose()));
});
afterAll(() => control.reset());

async function openReader(model: FfiCardReaderModel = DEVICE_MODELS['sscard-unified']): Promise<FfiCardReader> {
  const reader = new FfiCardReader({ id: 'reader1', model, library: libraryPath, loader: createKoffiCardLibraryLoader() });
  readers.push(reader);
  const ready = new Promise<void>((resolve) => reader.onStatus((s) => s.state === 'connected' && resolve()));
  reader.start();
  await ready;
  return reader;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('FfiCardReader through koffi and native/libsscard', () => {
  it('reads a card written in GBK and the ID card, parsed into the 1101 inputs', async () => {
    const reader = await openReader();
    control.insert(CARD, ID_CARD, 'gbk');
    expect(await reader.readCard()).toEqual(CARD);
    expect(await reader.readIdCard()).toEqual(ID_CARD);
    expect(control.readCount()).toBe(2);
  });

  it('reads UTF-8 output with a UTF-8 model, and either with `auto`', async () => {
    const utf8 = await openReader({ ...DEVICE_MODELS['sscard-unified'], textEncoding: 'utf-8' });
    control.insert(CARD, null, 'utf-8');
    expect((await utf8.readCard()).name).toBe(CARD.name);
    const auto = await openReader({ ...DEVICE_MODELS['sscard-unified'], textEncoding: 'auto' });
    expect((await auto.readCard()).name).toBe(CARD.name);
    control.insert(CARD, null, 'gbk');
    expect((await auto.readCard()).name).toBe(CARD.name);
  });

  it('calls the MOHRSS entry point iReadCardBas for that ABI', async () => {
    const reader = await openReader(DEVICE_MODELS['sscard-mohrss']);
    control.insert(CARD);
    expect(await reader.readCard()).toEqual(CARD);
  });

  it('maps the library return codes to typed errors', async () => {
    const reader = await openReader();
    expect(await failure(reader.readCard())).toMatchObject({ code: 'no-card' }); // nothing inserted: -1
    control.failWith(-2201);
    expect(await failure(reader.readCard())).toMatchObject({ code: 'needs-security-module' });
    control.failWith(-11);
    expect(await failure(reader.readCard())).toMatchObject({ code: 'offline' });
    expect(reader.statusView().state).toBe('disconnected');
    control.failWith(0);
    control.insert(CARD);
    await reader.readCard();
    expect(reader.statusView().state).toBe('connected');
  });

  it('refuses garbage and output that fills the whole buffer without a NUL', async () => {
    const reader = await openReader();
    const warnings: string[] = [];
    reader.onWarning((w) => warnings.push(w.message));
    control.insertRaw(Uint8Array.of(0xff, 0xfe, 0x7c, 0x00));
    expect(await failure(reader.readCard())).toMatchObject({ code: 'garbled' });
    control.insertRaw(new Uint8Array(DEVICE_MODELS['sscard-unified'].outBufferBytes).fill(0x41));
    expect(await failure(reader.readCard())).toMatchObject({ code: 'garbled' });
    expect(warnings).toEqual([FFI_READER_TEXT.garbled('文字编码错误'), FFI_READER_TEXT.garbled('输出超出缓冲区')]);
  });

  it('a hung library costs a timeout, not a frozen event loop, and survives garbage collection meanwhile', async () => {
    const reader = await openReader({ ...DEVICE_MODELS['sscard-unified'], readTimeoutMs: 300 });
    control.insert(CARD);
    control.delayReads('forever');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const first = failure(reader.readCard());
    const second = failure(reader.readCard());
    expect(await first).toMatchObject({ code: 'timeout' });
    expect(await second).toMatchObject({ code: 'timeout' });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(10); // the main thread kept running while the library hung
    expect(reader.statusView()).toMatchObject({ state: 'error', detail: FFI_READER_TEXT.hung });
    expect(control.readCount()).toBe(1); // the second read never entered the library

    // koffi does not hold the output buffer of a running call; the driver must, or this write corrupts the heap.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 5; i++) gc();
    const recovered = new Promise<void>((resolve) => reader.onStatus((s) => s.state === 'connected' && resolve()));
    control.delayReads(0);
    control.release();
    await recovered;
    expect(await reader.readCard()).toEqual(CARD);
  });
});
