/**
 * The scan box on the far end of a pty cable: writes codes the way a CDC scanner does (code + terminator,
 * one burst), or any raw bytes for fault injection. Written independently of the app's driver on purpose.
 *
 * It keeps a ledger of what it sent so tests can reconcile what the app received. When the cable is
 * unplugged its writes fail with DeviceGoneError; after a replug it reopens the device end by itself.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { appendBounded } from '../bounded-log';

/** What the box appends to each code (its "suffix" setting). */
export type ScannerTerminator = 'CR' | 'LF' | 'CRLF' | 'none';

const TERMINATOR_TEXT: Record<ScannerTerminator, string> = { CR: '\r', LF: '\n', CRLF: '\r\n', none: '' };

export class DeviceGoneError extends Error {
  constructor(path: string, cause: unknown) {
    super(`scanner emulator: the device end ${path} is gone (unplugged)`, { cause });
    this.name = 'DeviceGoneError';
  }
}

export interface EmulatedScan {
  code: string;
  terminator: ScannerTerminator;
  /** performance.now() just before the bytes were written */
  writtenAt: number;
}

export class QrScannerEmulator {
  private handle: FileHandle | undefined;
  /** writes are chained so concurrent calls never interleave their bytes on the wire */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** every scan written in full, in order (the newest REQUEST_LOG_LIMIT of them) */
  readonly ledger: EmulatedScan[] = [];

  constructor(
    readonly devicePath: string,
    private readonly defaultTerminator: ScannerTerminator = 'CR',
  ) {}

  /** Sends one code followed by the terminator, in a single write. */
  scan(code: string, options: { terminator?: ScannerTerminator } = {}): Promise<void> {
    const terminator = options.terminator ?? this.defaultTerminator;
    return this.enqueue(async () => {
      const writtenAt = performance.now();
      await this.writeAll(Buffer.from(code + TERMINATOR_TEXT[terminator], 'utf8'));
      appendBounded(this.ledger, { code, terminator, writtenAt });
    });
  }

  /** Sends arbitrary bytes: noise, half a frame, invalid UTF-8. Not recorded in the ledger. */
  sendRaw(bytes: Uint8Array | string): Promise<void> {
    const chunk = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    return this.enqueue(() => this.writeAll(chunk));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.releaseHandle();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue
      .catch(() => undefined)
      .then(() => {
        if (this.closed) throw new Error('scanner emulator is closed');
        return work();
      });
    this.queue = run;
    return run;
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    // A handle from before an unplug fails with EIO: reopen once (the cable may have been replugged since),
    // unless part of the bytes already went out — resending them would forge a different frame.
    for (let attempt = 1; ; attempt++) {
      const handle = await this.openHandle();
      let offset = 0;
      try {
        while (offset < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
          offset += bytesWritten;
        }
        return;
      } catch (error) {
        await this.releaseHandle();
        if (attempt >= 2 || offset > 0) throw new DeviceGoneError(this.devicePath, error);
      }
    }
  }

  private async openHandle(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    try {
      // O_NOCTTY: the test process must not adopt the pty as its controlling terminal.
      this.handle = await open(this.devicePath, constants.O_WRONLY | constants.O_NOCTTY);
      return this.handle;
    } catch (error) {
      throw new DeviceGoneError(this.devicePath, error);
    }
  }

  private async releaseHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
