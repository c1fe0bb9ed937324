/** The FFI card reader's logic over an in-memory library, on fake timers (the koffi path: *.native.test.ts). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStatusView } from '../../shared/domain';
import { encodeGbk } from '../../simulators/devices/gbk';
import { formatCardBas, formatIdCard, TRAINING_CARDS, TRAINING_ID_CARDS } from '../../simulators/devices/training-cards';
import type { DeviceError } from '../errors';
import { DEVICE_MODELS, type FfiCardReaderModel } from '../models';
import type { ReaderOutput } from '../transports/card-library';
import { FakeCardLibraryLoader } from '../transports/fake-card-library';
import { FFI_READER_TEXT, FfiCardReader } from './card-reader-ffi';
import type { DeviceWarning } from './device-driver';

const MODEL = DEVICE_MODELS['sscard-unified'];
const LIBRARY = '/opt/vendor/libsscard.so';
const CARD = TRAINING_CARDS[0]!;

const output = (bytes: Uint8Array | string, code = 0, terminated = true): ReaderOutput => ({
  code,
  bytes: typeof bytes === 'string' ? encodeGbk(bytes) : bytes,
  terminated,
});

function setup(options: { model?: FfiCardReaderModel; library?: string; platform?: NodeJS.Platform } = {}) {
  const loader = new FakeCardLibraryLoader();
  const model = options.model ?? MODEL;
  const path = options.library ?? LIBRARY;
  const library = loader.library(path, { abi: model.abi, outBufferBytes: model.outBufferBytes });
  const reader = new FfiCardReader({
    id: 'reader1',
    model,
    library: 'library' in options ? options.library : LIBRARY,
    loader,
    platform: options.platform ?? 'linux',
  });
  const statuses: DeviceStatusView[] = [];
  const warnings: DeviceWarning[] = [];
  reader.onStatus((status) => statuses.push(status));
  reader.onWarning((warning) => warnings.push(warning));
  return { loader, library, reader, statuses, warnings };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('FfiCardReader', () => {
  it('loads the library, then reads the card and the ID card', async () => {
    const t = setup();
    t.reader.start();
    await settle();
    expect(t.reader.statusView()).toMatchObject({ state: 'connected', detail: FFI_READER_TEXT.ready, path: LIBRARY, role: 'card-reader' });
    t.library.answers.push(output(formatCardBas(CARD)), output(formatIdCard(TRAINING_ID_CARDS[0]!)));
    expect(await t.reader.readCard()).toEqual(CARD);
    expect(await t.reader.readIdCard()).toMatchObject({ idNo: TRAINING_ID_CARDS[0]!.idNo });
    await t.reader.dispose();
  });

  it('turns the ABI return codes into typed errors, and a missing reader into "disconnected"', async () => {
    const t = setup();
    t.reader.start();
    await settle();
    t.library.answers.push(output('', -1), output('', -2201), output('', -11));
    expect(await failure(t.reader.readCard())).toMatchObject({ code: 'no-card' });
    expect(await failure(t.reader.readCard())).toMatchObject({ code: 'needs-security-module' });
    expect(await failure(t.reader.readCard())).toMatchObject({ code: 'offline' });
    expect(t.reader.statusView()).toMatchObject({ state: 'disconnected', detail: FFI_READER_TEXT.readerMissing });
    t.library.answers.push(output(formatCardBas(CARD)));
    await t.reader.readCard();
    expect(t.reader.statusView().state).toBe('connected');
    expect(t.warnings).toEqual([]);
    await t.reader.dispose();
  });

  it('warns about an unknown return code and about garbage, and never returns a card for them', async () => {
    const t = setup();
    t.reader.start();
    await settle();
    t.library.answers.push(
      output('', -37),
      output(formatCardBas(CARD), 0, false), // no NUL within the buffer
      output(Uint8Array.of(0x81, 0x30, 0x7c)), // not GBK
      output('350200|only|three|'),
    );
    const errors = [];
    for (let i = 0; i < 4; i++) errors.push(await failure(t.reader.readCard()));
    expect(errors.map((e) => (e as DeviceError).code)).toEqual(['device-error', 'garbled', 'garbled', 'garbled']);
    expect(t.warnings.map((w) => w.message)).toEqual([
      FFI_READER_TEXT.unknownCode(-37),
      FFI_READER_TEXT.garbled('输出超出缓冲区'),
      FFI_READER_TEXT.garbled('文字编码错误'),
      FFI_READER_TEXT.garbled('字段数为 3，应为 11'),
    ]);
    expect(t.reader.statusView().state).toBe('connected');
    await t.reader.dispose();
  });

  it('a hung library: the caller times out, the reader shows an error, and no second call enters the library', async () => {
    const t = setup();
    t.reader.start();
    await settle();
    t.library.answers.push('hang');
    const first = failure(t.reader.readCard());
    const second = failure(t.reader.readCard()); // waits behind the hung call
    await settle(MODEL.readTimeoutMs);
    expect(await first).toMatchObject({ code: 'timeout' });
    expect(await second).toMatchObject({ code: 'timeout' });
    expect(t.reader.statusView()).toMatchObject({ state: 'error', detail: FFI_READER_TEXT.hung });
    expect(await failure(t.reader.readCard())).toMatchObject({ code: 'busy', message: FFI_READER_TEXT.hung }); // at once
    expect(t.library.calls).toBe(1);
    expect(t.library.running).toBe(1);

    t.library.release(output(formatCardBas(CARD))); // the late card goes to nobody
    await settle();
    expect(t.reader.statusView()).toMatchObject({ state: 'connected', detail: FFI_READER_TEXT.ready });
    t.library.answers.push(output(formatCardBas(TRAINING_CARDS[1]!)));
    expect(await t.reader.readCard()).toEqual(TRAINING_CARDS[1]);
    await t.reader.dispose();
  });

  it('turns a failing library call into a device error with a warning', async () => {
    const t = setup();
    t.reader.start();
    await settle();
    t.library.readCardBas = () => Promise.reject(new Error('Access violation'));
    expect(await failure(t.reader.readCard())).toMatchObject({
      code: 'device-error',
      message: FFI_READER_TEXT.callFailed('Access violation'),
    });
    expect(t.warnings.map((w) => w.message)).toEqual([FFI_READER_TEXT.callFailed('Access violation')]);
    await t.reader.dispose();
  });

  it('retries a library that cannot be loaded until it is installed', async () => {
    const t = setup();
    t.loader.remove(LIBRARY);
    t.reader.start();
    await settle();
    expect(t.reader.statusView()).toMatchObject({ state: 'error' });
    expect(t.reader.statusView().detail).toMatch(/读卡库加载失败/);
    expect(await failure(t.reader.readCard())).toMatchObject({ code: 'offline' });
    t.loader.install(LIBRARY);
    await settle(1000);
    expect(t.reader.statusView().state).toBe('connected');
    expect(t.loader.loadAttempts.length).toBe(2);
    await t.reader.dispose();
  });

  it('takes the model default library for the platform, and explains when there is none', async () => {
    const linux = setup({ library: undefined });
    expect(linux.reader.statusView().path).toBe('libsscard.so');
    const mac = setup({ model: DEVICE_MODELS['sscard-mohrss'], library: undefined, platform: 'darwin' });
    mac.reader.start();
    expect(mac.reader.statusView()).toMatchObject({ state: 'error', detail: FFI_READER_TEXT.noLibrary('darwin') });
    await Promise.all([linux.reader.dispose(), mac.reader.dispose()]);
  });

  it('says so when the ABI has no ID-card entry point', async () => {
    const t = setup({ model: DEVICE_MODELS['sscard-mohrss'] });
    t.reader.start();
    await settle();
    expect(await failure(t.reader.readIdCard())).toMatchObject({ code: 'wrong-role', message: FFI_READER_TEXT.noIdCardEntry });
    await t.reader.dispose();
  });

  it('dispose refuses further reads and leaves no timer, even with a load retry pending', async () => {
    const t = setup();
    t.loader.remove(LIBRARY);
    t.reader.start();
    await settle();
    await t.reader.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(await failure(t.reader.readCard())).toMatchObject({ code: 'disposed' });
  });
});
