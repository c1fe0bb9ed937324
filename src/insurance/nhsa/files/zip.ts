/**
 * The zip files of the two-ends file exchange: the 3202 detail upload the station builds (one UTF-8 .txt),
 * and the catalogue and reconciliation files the centre sends back. Node's zlib deflates and checks CRCs but
 * has no archive format, so this is the archive format — PKWARE APPNOTE 6.3, the subset those files use:
 *
 *   writing  stored (0) or deflated (8) entries, sizes in the local header (no data descriptor), UTF-8 names
 *            (flag bit 11), no zip64 (the station's files are far below 4 GiB)
 *   reading  stored or deflated entries, with or without a data descriptor (Java's ZipOutputStream writes one),
 *            from the central directory; every entry's CRC-32 and size are checked. Encrypted entries, zip64 and
 *            other methods are refused with a clear error rather than read wrong.
 *
 * Reading works on a random-access source, so a 50 MB catalogue file is read from disk as a stream and never
 * held in memory as a whole.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const UTF8_NAMES = 0x0800;
const ENCRYPTED = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const MAX_32 = 0xffffffff;
const MAX_COMMENT = 0xffff;

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(`zip: ${message}`);
    this.name = 'ZipFormatError';
  }
}

// ---- writing ------------------------------------------------------------------------------------------------

export interface ZipInputEntry {
  name: string;
  data: Uint8Array;
}

export interface WriteZipOptions {
  method?: 'deflate' | 'stored';
  /** The entries' modification time, written as Beijing wall time (zip times have no zone). */
  modified?: Date;
}

/** DOS date and time fields (2-second resolution, years 1980–2107). */
function dosDateTime(date: Date): { time: number; date: number } {
  const t = new Date(date.getTime() + 8 * 3_600_000);
  const year = Math.min(Math.max(t.getUTCFullYear(), 1980), 2107);
  return {
    time: (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | Math.floor(t.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate(),
  };
}

export function writeZip(entries: readonly ZipInputEntry[], options: WriteZipOptions = {}): Uint8Array {
  if (entries.length === 0 || entries.length > 0xffff) throw new ZipFormatError('1 to 65535 entries');
  const method = options.method === 'stored' ? STORED : DEFLATED;
  const stamp = dosDateTime(options.modified ?? new Date());
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    if (name.length === 0 || name.length > 0xffff) throw new ZipFormatError(`bad entry name ${JSON.stringify(entry.name)}`);
    const body = method === DEFLATED ? deflateRawSync(entry.data) : entry.data;
    if (entry.data.length >= MAX_32 || body.length >= MAX_32) throw new ZipFormatError('entry too large for a zip without zip64');
    const crc = crc32(entry.data);

    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, LOCAL_HEADER, true);
    local.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    local.setUint16(6, UTF8_NAMES, true);
    local.setUint16(8, method, true);
    local.setUint16(10, stamp.time, true);
    local.setUint16(12, stamp.date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, body.length, true);
    local.setUint32(22, entry.data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    locals.push(new Uint8Array(local.buffer), name, body);

    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, CENTRAL_HEADER, true);
    central.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
    central.setUint16(6, 20, true);
    central.setUint16(8, UTF8_NAMES, true);
    central.setUint16(10, method, true);
    central.setUint16(12, stamp.time, true);
    central.setUint16(14, stamp.date, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, body.length, true);
    central.setUint32(24, entry.data.length, true);
    central.setUint16(28, name.length, true);
    // extra length, comment length, disk number, internal and external attributes: all 0
    central.setUint32(42, offset, true);
    centrals.push(new Uint8Array(central.buffer), name);

    offset += 30 + name.length + body.length;
    if (offset >= MAX_32) throw new ZipFormatError('archive too large for a zip without zip64');
  }

  const centralSize = centrals.reduce((n, part) => n + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, END_OF_CENTRAL_DIRECTORY, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  return concat([...locals, ...centrals, new Uint8Array(end.buffer)]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---- reading ------------------------------------------------------------------------------------------------

/** Random access to the archive's bytes: a file on disk or bytes in memory. */
export interface ZipSource {
  readonly size: number;
  read(position: number, length: number): Promise<Uint8Array>;
  /** The bytes [start, end) as a stream. */
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

export function bytesZipSource(bytes: Uint8Array): ZipSource {
  return {
    size: bytes.length,
    read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
    stream: (start, end) => Readable.from([Buffer.from(bytes.subarray(start, end))]),
    close: async () => undefined,
  };
}

export async function fileZipSource(path: string): Promise<ZipSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(position, length) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        return buffer.subarray(0, bytesRead);
      },
      stream: (start, end) => createReadStream(path, { start, end: end - 1 }),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function decodeName(bytes: Uint8Array, flags: number): string {
  // Without flag 11 the name is in the archiver's code page; only ASCII names are unambiguous then.
  if (flags & UTF8_NAMES) return utf8Strict.decode(bytes);
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export class ZipArchive {
  private constructor(
    private readonly source: ZipSource,
    readonly entries: readonly ZipEntry[],
  ) {}

  static async open(source: ZipSource): Promise<ZipArchive> {
    // The end record sits in the last 22 bytes, or up to a 64 KiB comment before them.
    const tailLength = Math.min(source.size, 22 + MAX_COMMENT);
    const tail = await source.read(source.size - tailLength, tailLength);
    let endAt = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (view(tail).getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) {
        endAt = i;
        break;
      }
    }
    if (endAt < 0) throw new ZipFormatError('no end-of-central-directory record (not a zip, or truncated)');
    const end = view(tail.subarray(endAt));
    const count = end.getUint16(10, true);
    const centralSize = end.getUint32(12, true);
    const centralOffset = end.getUint32(16, true);
    if (count === 0xffff || centralSize === MAX_32 || centralOffset === MAX_32) throw new ZipFormatError('zip64 archives are not supported');
    if (centralOffset + centralSize > source.size) throw new ZipFormatError('central directory outside the file (truncated)');

    const central = await source.read(centralOffset, centralSize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > central.length || view(central).getUint32(at, true) !== CENTRAL_HEADER) {
        throw new ZipFormatError(`central directory entry ${i} is damaged`);
      }
      const h = view(central.subarray(at));
      const nameLength = h.getUint16(28, true);
      const extraLength = h.getUint16(30, true);
      const commentLength = h.getUint16(32, true);
      const flags = h.getUint16(8, true);
      const entry: ZipEntry = {
        flags,
        method: h.getUint16(10, true),
        crc32: h.getUint32(16, true),
        compressedSize: h.getUint32(20, true),
        size: h.getUint32(24, true),
        localHeaderOffset: h.getUint32(42, true),
        name: decodeName(central.subarray(at + 46, at + 46 + nameLength), flags),
      };
      if (entry.compressedSize === MAX_32 || entry.size === MAX_32 || entry.localHeaderOffset === MAX_32) {
        throw new ZipFormatError(`${entry.name}: zip64 entries are not supported`);
      }
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(source, entries);
  }

  /** Files only (names ending in "/" are directories). */
  get files(): readonly ZipEntry[] {
    return this.entries.filter((e) => !e.name.endsWith('/'));
  }

  private async dataStart(entry: ZipEntry): Promise<number> {
    if (entry.flags & ENCRYPTED) throw new ZipFormatError(`${entry.name}: encrypted entries are not supported`);
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported`);
    }
    const header = await this.source.read(entry.localHeaderOffset, 30);
    if (header.length < 30 || view(header).getUint32(0, true) !== LOCAL_HEADER) {
      throw new ZipFormatError(`${entry.name}: local header missing`);
    }
    const start = entry.localHeaderOffset + 30 + view(header).getUint16(26, true) + view(header).getUint16(28, true);
    if (start + entry.compressedSize > this.source.size) throw new ZipFormatError(`${entry.name}: data past the end (truncated)`);
    return start;
  }

  /** The whole entry in memory (small files: 3202 results). CRC and size checked. */
  async read(entry: ZipEntry): Promise<Uint8Array> {
    const start = await this.dataStart(entry);
    const body = await this.source.read(start, entry.compressedSize);
    let data: Uint8Array;
    try {
      const inflated = entry.method === DEFLATED ? inflateRawSync(body) : body;
      // A plain Uint8Array view, whatever zlib returned (a Buffer).
      data = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    } catch (error) {
      throw new ZipFormatError(`${entry.name}: ${(error as Error).message}`);
    }
    if (data.length !== entry.size || crc32(data) !== entry.crc32) throw new ZipFormatError(`${entry.name}: CRC or size mismatch`);
    return data;
  }

  /** The entry as a stream of its uncompressed bytes; the stream errors at its end if CRC or size is wrong. */
  async stream(entry: ZipEntry): Promise<Readable> {
    const start = await this.dataStart(entry);
    const raw = this.source.stream(start, start + entry.compressedSize);
    const checked = new IntegrityCheck(entry);
    const inflated = entry.method === DEFLATED ? raw.pipe(createInflateRaw()) : raw;
    // Errors of the earlier stages are forwarded, so the consumer sees one stream that fails.
    raw.on('error', (error) => checked.destroy(error));
    inflated.on('error', (error) => checked.destroy(new ZipFormatError(`${entry.name}: ${error.message}`)));
    return inflated.pipe(checked);
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

class IntegrityCheck extends Transform {
  private crc = 0;
  private size = 0;

  constructor(private readonly entry: ZipEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.size !== this.entry.size || this.crc !== this.entry.crc32) {
      done(new ZipFormatError(`${this.entry.name}: CRC or size mismatch`));
    } else {
      done();
    }
  }
}

/** One-call form for small archives held in memory: every file entry's name and bytes. */
export async function readZip(bytes: Uint8Array): Promise<{ name: string; data: Uint8Array }[]> {
  const archive = await ZipArchive.open(bytesZipSource(bytes));
  const out: { name: string; data: Uint8Array }[] = [];
  for (const entry of archive.files) out.push({ name: entry.name, data: await archive.read(entry) });
  return out;
}
