/**
 * The device end of a pty cable for emulators that answer requests (card reader, face terminal): reads what
 * the station sends and writes answers, and after an unplug reopens the end by itself once the cable is
 * back. A libuv tty handle reads (a blocking fs read on a quiet tty would hold a thread-pool thread);
 * writes go through a separate write-only handle.
 */
import { constants, existsSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ReadStream } from 'node:tty';
import { DeviceGoneError } from './qr-scanner-emulator';

export interface PtyDevicePortOptions {
  onData: (chunk: Buffer) => void;
  /** how often an unplugged end looks for the cable to come back */
  reopenMs?: number;
}

export class PtyDevicePort {
  private reader: ReadStream | undefined;
  private writer: FileHandle | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly onData: (chunk: Buffer) => void;
  private readonly reopenMs: number;
  /** writes are chained so that two answers never interleave their bytes */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    options: PtyDevicePortOptions,
  ) {
    this.onData = options.onData;
    this.reopenMs = options.reopenMs ?? 20;
    this.openReader();
  }

  /** Writes all of `bytes`; rejects with DeviceGoneError while the cable is unplugged. */
  write(bytes: Uint8Array): Promise<void> {
    const run = this.writes.catch(() => undefined).then(() => this.writeAll(bytes));
    this.writes = run;
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reader?.destroy();
    this.reader = undefined;
    await this.writes.catch(() => undefined);
    await this.releaseWriter();
  }

  private openReader(): void {
    if (this.closed) return;
    let fd: number;
    try {
      // O_NOCTTY: the test process must not adopt the pty as its controlling terminal.
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NOCTTY);
    } catch {
      return this.reopenLater();
    }
    const reader = new ReadStream(fd);
    this.reader = reader;
    reader.on('data', (chunk: Buffer) => this.onData(chunk));
    // EIO once the cable is unplugged: wait for it to come back.
    const gone = () => {
      if (this.reader !== reader) return;
      this.reader = undefined;
      reader.destroy();
      void this.releaseWriter();
      this.reopenLater();
    };
    reader.on('error', gone);
    reader.on('end', gone);
  }

  private reopenLater(): void {
    if (this.closed) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (existsSync(this.path)) this.openReader();
      else this.reopenLater();
    }, this.reopenMs);
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`${this.path}: device port is closed`);
    try {
      this.writer ??= await open(this.path, constants.O_WRONLY | constants.O_NOCTTY);
      for (let offset = 0; offset < bytes.length;) {
        offset += (await this.writer.write(bytes, offset, bytes.length - offset)).bytesWritten;
      }
    } catch (error) {
      await this.releaseWriter();
      throw new DeviceGoneError(this.path, error);
    }
  }

  private async releaseWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close().catch(() => undefined);
  }
}
