/**
 * A social-security card reader driven through its vendor library (the unified card-reading ABI), bound with
 * koffi. Calls run on koffi's worker threads and one at a time (CommandQueue): a library that hangs costs the
 * caller a timeout and the reader an "error" status until the call comes back — never a frozen station, and
 * never a second call into a library that is still busy.
 *
 * Output is decoded (GBK or UTF-8, per model) and checked field by field before anyone sees it; a non-zero
 * return code becomes a typed DeviceError. Garbage gives a warning and a `garbled` error, never a card.
 */
import { CommandQueue } from '../command-queue';
import { DeviceError, isDeviceError, reasonOf } from '../errors';
import type { FfiCardReaderModel } from '../models';
import { parseCardBas, parseResidentIdCard, type ResidentIdCard, type SocialSecurityCard } from '../parsers/card-info';
import type { CardLibrary, CardLibraryLoader, ReaderOutput } from '../transports/card-library';
import { CARD_OUTPUT_TEXT, cardFromOutput, garbledOutput, type CardParser } from './card-reader-output';
import type { CardReaderDriver } from './device-driver';
import { DriverBase } from './driver-base';

export const FFI_READER_TEXT = {
  loading: '正在加载读卡库',
  ready: '读卡库已加载，就绪',
  noLibrary: (platform: string) => `本平台（${platform}）没有该型号的读卡库，请在配置中指定读卡库路径`,
  loadFailed: (reason: string) => `读卡库加载失败（${reason}），正在重试`,
  readerMissing: '读卡库报告读卡器未连接',
  hung: '读卡器无响应，等待上次读卡结束',
  callFailed: (reason: string) => `读卡库调用失败（${reason}）`,
  garbled: CARD_OUTPUT_TEXT.garbled,
  unknownCode: (code: number) => `读卡库返回错误码 ${code}`,
  noIdCardEntry: '该读卡库不支持读取身份证',
} as const;

/** Waits before retrying a library that failed to load: the driver package may still be being installed. */
const LOAD_RETRY_DELAYS_MS = [1000, 5000, 30_000];
/** Commands allowed to wait behind a running read (a double-clicked button, two screens at once). */
const MAX_WAITING_COMMANDS = 4;

export interface FfiCardReaderOptions {
  id: string;
  model: FfiCardReaderModel;
  /** the configured library path; the model's default file name for this platform otherwise */
  library?: string;
  loader: CardLibraryLoader;
  loadRetryDelaysMs?: readonly number[];
  wallNow?: () => number;
  platform?: NodeJS.Platform;
}

export class FfiCardReader extends DriverBase implements CardReaderDriver {
  private readonly model: FfiCardReaderModel;
  private readonly libraryPath: string | undefined;
  private readonly loader: CardLibraryLoader;
  private readonly loadRetryDelaysMs: readonly number[];
  private readonly platform: NodeJS.Platform;
  private readonly queue = new CommandQueue({ maxWaiting: MAX_WAITING_COMMANDS });
  private library: CardLibrary | undefined;
  private loadAttempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private started = false;
  /** a call the caller gave up on is still inside the library */
  private hung = false;

  constructor(options: FfiCardReaderOptions) {
    const platform = options.platform ?? process.platform;
    const libraryPath = options.library ?? options.model.defaultLibrary[platform];
    super({ id: options.id, role: 'card-reader', model: options.model.label, path: libraryPath ?? '—' }, options.wallNow);
    this.model = options.model;
    this.libraryPath = libraryPath;
    this.loader = options.loader;
    this.loadRetryDelaysMs = options.loadRetryDelaysMs ?? LOAD_RETRY_DELAYS_MS;
    this.platform = platform;
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    if (this.libraryPath === undefined) return this.status.update('error', FFI_READER_TEXT.noLibrary(this.platform));
    this.status.update('connecting', FFI_READER_TEXT.loading);
    this.loading = this.load(this.libraryPath);
  }

  readCard(): Promise<SocialSecurityCard> {
    return this.command((library) => library.readCardBas(), parseCardBas);
  }

  readIdCard(): Promise<ResidentIdCard> {
    return this.command((library) => {
      if (!library.readIdCard) throw new DeviceError('wrong-role', FFI_READER_TEXT.noIdCardEntry);
      return library.readIdCard();
    }, parseResidentIdCard);
  }

  /**
   * Stops taking commands and waits for the library load. A read still inside the library cannot be
   * stopped; its result is dropped when it comes back. The library is never unloaded: unloading under a
   * running call would crash the process.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.queue.dispose();
    await this.loading;
    this.disposeEvents();
  }

  private async load(path: string): Promise<void> {
    try {
      const library = await this.loader.load(path, { abi: this.model.abi, outBufferBytes: this.model.outBufferBytes });
      if (this.disposed) return;
      this.library = library;
      this.status.update('connected', FFI_READER_TEXT.ready);
    } catch (error) {
      if (this.disposed) return;
      this.status.update('error', FFI_READER_TEXT.loadFailed(reasonOf(error)));
      const delays = this.loadRetryDelaysMs;
      const delay = delays[Math.min(this.loadAttempt++, delays.length - 1)]!;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.loading = this.load(path);
      }, delay);
    }
  }

  private command<T>(call: (library: CardLibrary) => Promise<ReaderOutput>, parse: CardParser<T>): Promise<T> {
    const library = this.library;
    if (this.disposed) return Promise.reject(new DeviceError('disposed'));
    if (!library) return Promise.reject(new DeviceError('offline', this.status.view.detail));
    // Queuing behind a call that is stuck in the library would only cost the caller the whole timeout.
    if (this.hung) return Promise.reject(new DeviceError('busy', FFI_READER_TEXT.hung));
    return this.queue.run(
      async (signal) => {
        const onTimeout = () => {
          this.hung = true;
          if (!this.disposed) this.status.update('error', FFI_READER_TEXT.hung);
        };
        signal.addEventListener('abort', onTimeout, { once: true });
        let output: ReaderOutput;
        try {
          output = await call(library);
        } catch (error) {
          if (isDeviceError(error)) throw error;
          const message = FFI_READER_TEXT.callFailed(reasonOf(error));
          this.warn(message);
          throw new DeviceError('device-error', message, { cause: error });
        } finally {
          signal.removeEventListener('abort', onTimeout);
          this.hung = false;
        }
        // The library answered: whatever the caller was told, the reader is responsive again.
        if (signal.aborted) {
          this.markResponsive();
          throw signal.reason;
        }
        return this.interpret(output, parse);
      },
      { timeoutMs: this.model.readTimeoutMs },
    );
  }

  private interpret<T>(output: ReaderOutput, parse: CardParser<T>): T {
    if (output.code !== 0) {
      const code = this.model.errorCodes[output.code];
      if (code === 'offline') {
        this.status.update('disconnected', FFI_READER_TEXT.readerMissing);
        throw new DeviceError('offline', FFI_READER_TEXT.readerMissing);
      }
      this.markResponsive();
      if (code) throw new DeviceError(code);
      this.warn(FFI_READER_TEXT.unknownCode(output.code));
      throw new DeviceError('device-error', FFI_READER_TEXT.unknownCode(output.code));
    }
    this.markResponsive();
    const warn = (message: string) => this.warn(message);
    if (!output.terminated) throw garbledOutput('输出超出缓冲区', warn);
    return cardFromOutput(output.bytes, this.model.textEncoding, parse, warn);
  }

  private markResponsive(): void {
    if (this.status.state !== 'connected') this.status.update('connected', FFI_READER_TEXT.ready);
  }
}
