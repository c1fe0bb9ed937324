/**
 * The zip files of the two-ends file exchange: the 3202 detail upload the station builds (one UTF-8 .txt),
 * and the catalogue and reconciliation files the centre sends back. The archive format is the maintained
 * libraries' (yazl writes, yauzl reads); this module adds what the exchange needs on top of them:
 *
 *   writing  stored or deflated entries, UTF-8 names, DOS times as Beijing wall time (see `wallTimeForYazl`)
 *   reading  streamed from disk by ranges (a ~50 MB catalogue is never held whole), every entry's CRC-32 and
 *            size checked, encrypted entries and methods other than stored/deflate refused, and zip bombs
 *            refused by `ZipLimits` — first on the sizes the central directory declares, before anything is
 *            inflated, then on the bytes actually inflated, so a header that lies is stopped mid-stream.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { fromBufferPromise, openPromise, type Entry as YauzlEntry, type Options as YauzlOptions, type ZipFile as YauzlFile } from 'yauzl';
import { ZipFile as YazlFile } from 'yazl';

const ENCRYPTED = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const MiB = 1024 * 1024;

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

/**
 * yazl encodes a Date's *local* fields as the DOS date and time. The centre reads zip times as Beijing wall
 * time whatever zone the station's machine is set to, so yazl gets a Date whose local fields are Beijing's.
 */
function wallTimeForYazl(at: Date): Date {
  const beijing = new Date(at.getTime() + 8 * 3_600_000);
  return new Date(
    beijing.getUTCFullYear(),
    beijing.getUTCMonth(),
    beijing.getUTCDate(),
    beijing.getUTCHours(),
    beijing.getUTCMinutes(),
    beijing.getUTCSeconds(),
  );
}

export async function writeZip(entries: readonly ZipInputEntry[], options: WriteZipOptions = {}): Promise<Uint8Array> {
  if (entries.length === 0 || entries.length > 0xffff) throw new ZipFormatError('1 to 65535 entries');
  const zip = new YazlFile();
  const chunks: Buffer[] = [];
  const written = new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', resolve);
  });
  const mtime = wallTimeForYazl(options.modified ?? new Date());
  for (const entry of entries) {
    if (entry.name === '') throw new ZipFormatError('an entry needs a name');
    try {
      // forceDosTimestamp: no extra UTC timestamp field, so the bytes are what the exchange has always had.
      zip.addBuffer(Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength), entry.name, {
        mtime,
        compress: options.method !== 'stored',
        forceDosTimestamp: true,
      });
    } catch (error) {
      throw new ZipFormatError(`bad entry ${JSON.stringify(entry.name)}: ${(error as Error).message}`);
    }
  }
  zip.end();
  await written;
  return concat(chunks);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  // A fresh plain Uint8Array, not a Buffer that may be a view of Node's shared pool.
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// ---- reading ------------------------------------------------------------------------------------------------

/**
 * How much an archive may inflate to. Files are streamed, so these bound disk, CPU and time rather than memory
 * (except `maxReadSize`). A catalogue zip is ~50 MB and tab-separated text deflates about 5–10:1, so a real one
 * holds up to ~500 MB: 1 GiB leaves it twice that, while a bomb (deflate reaches ~1000:1) is refused.
 */
export interface ZipLimits {
  /** Largest uncompressed size of one entry. */
  maxEntrySize: number;
  /** Largest uncompressed size of all the entries together. */
  maxTotalSize: number;
  /**
   * Largest uncompressed:compressed ratio of an entry above 1 MiB. Real text stays well under 50:1; smaller
   * entries are exempt because a tiny file of repeated bytes legitimately has a ratio in the hundreds.
   */
  maxRatio: number;
  /** Largest entry `read()` holds in memory whole (the 3202 results are kilobytes); bigger ones are streamed. */
  maxReadSize: number;
  /** Most entries (their directory records are held in memory). */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntrySize: 1024 * MiB,
  maxTotalSize: 1024 * MiB,
  maxRatio: 200,
  maxReadSize: 64 * MiB,
  maxEntries: 10_000,
});
const RATIO_EXEMPT_BELOW = MiB;

/** Where an archive's bytes are: a file on disk (read by ranges) or bytes already in memory. */
export interface ZipSource {
  open(options: YauzlOptions): Promise<YauzlFile>;
}

export function bytesZipSource(bytes: Uint8Array): ZipSource {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { open: (options) => fromBufferPromise(buffer, options) };
}

export async function fileZipSource(path: string): Promise<ZipSource> {
  return { open: (options) => openPromise(path, options) };
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  /** The uncompressed size the central directory declares; the data is held to it. */
  size: number;
  localHeaderOffset: number;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Names are decoded here rather than by yauzl (which falls back to CP437): without flag 11 a name is in the
 * archiver's code page, and a UTF-8 name without the flag (common from Chinese tools) should still read right.
 * (yauzl's path checks go with its decoding; names here are labels, never used as paths on disk.)
 */
function decodeName(raw: Uint8Array, flags: number): string {
  if (flags & 0x0800) return utf8Strict.decode(raw);
  try {
    return utf8Strict.decode(raw);
  } catch {
    return latin1.decode(raw);
  }
}

/** yauzl's and zlib's errors become ZipFormatErrors naming the entry; disk errors (ENOENT, EIO…) stay as they are. */
function formatError(error: unknown, entry?: string): Error {
  if (error instanceof ZipFormatError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  if (/^E[A-Z]+$/.test((cause as NodeJS.ErrnoException).code ?? '')) return cause;
  let message = cause.message;
  if (/end of central directory record signature not found/i.test(message)) {
    message = 'no end-of-central-directory record (not a zip, or truncated)';
  } else if (entry && /too many bytes in the stream/i.test(message)) {
    message = `inflates past its declared size (${message}); refused mid-stream`;
  }
  return new ZipFormatError(entry ? `${entry}: ${message}` : message);
}

const READ_OPTIONS: YauzlOptions = {
  lazyEntries: true,
  autoClose: false, // entries are streamed after the directory is read, until close()
  decodeStrings: false, // see decodeName
  validateEntrySizes: true, // yauzl stops a stream that inflates past the declared size
};

export class ZipArchive {
  private constructor(
    private readonly zipfile: YauzlFile,
    private readonly raw: ReadonlyMap<ZipEntry, YauzlEntry>,
    private readonly limits: ZipLimits,
  ) {}

  /** Reads the central directory and refuses, before inflating anything, what this module will not read. */
  static async open(source: ZipSource, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
    const max: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
    const zipfile = await source.open(READ_OPTIONS).catch((error: unknown) => {
      throw formatError(error);
    });
    try {
      if (zipfile.entryCount > max.maxEntries)
        throw new ZipFormatError(`${zipfile.entryCount} entries, more than the limit of ${max.maxEntries}`);
      const raw = new Map<ZipEntry, YauzlEntry>();
      let total = 0;
      for await (const e of zipfile.eachEntry()) {
        const entry: ZipEntry = {
          name: decodeName(e.fileNameRaw, e.generalPurposeBitFlag),
          method: e.compressionMethod,
          flags: e.generalPurposeBitFlag,
          crc32: e.crc32,
          compressedSize: e.compressedSize,
          size: e.uncompressedSize,
          localHeaderOffset: e.relativeOffsetOfLocalHeader,
        };
        refuseDeclared(entry, max);
        total += entry.size;
        if (total > max.maxTotalSize) {
          throw new ZipFormatError(`${entry.name}: the entries declare more than ${max.maxTotalSize} bytes in total (the limit)`);
        }
        raw.set(entry, e);
      }
      return new ZipArchive(zipfile, raw, max);
    } catch (error) {
      zipfile.close();
      throw formatError(error);
    }
  }

  get entries(): readonly ZipEntry[] {
    return [...this.raw.keys()];
  }

  /** Files only (names ending in "/" are directories). */
  get files(): readonly ZipEntry[] {
    return this.entries.filter((e) => !e.name.endsWith('/'));
  }

  /**
   * The entry as a stream of its uncompressed bytes. It errors as soon as the data inflates past the declared
   * size (yauzl, and SizeAndCrcCheck again), and at its end if the CRC or size is wrong.
   */
  async stream(entry: ZipEntry): Promise<Readable> {
    const e = this.raw.get(entry);
    if (!e) throw new ZipFormatError(`${entry.name}: not an entry of this archive`);
    const raw = await this.zipfile.openReadStreamPromise(e).catch((error: unknown) => {
      throw formatError(error, entry.name);
    });
    const checked = new SizeAndCrcCheck(entry);
    // Errors of the earlier stages reach the consumer on the one stream it holds; when that stream ends or is
    // destroyed (a failed check, a consumer that stopped), reading and inflating stop too.
    raw.on('error', (error) => checked.destroy(formatError(error, entry.name)));
    checked.once('close', () => raw.destroy());
    return raw.pipe(checked);
  }

  /** The whole entry in memory (small files: 3202 results), up to `maxReadSize`. CRC and size checked. */
  async read(entry: ZipEntry): Promise<Uint8Array> {
    if (entry.size > this.limits.maxReadSize) {
      throw new ZipFormatError(`${entry.name}: ${entry.size} bytes, more than the ${this.limits.maxReadSize} read into memory (stream it)`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(entry)) chunks.push(chunk as Buffer);
    return concat(chunks);
  }

  async close(): Promise<void> {
    this.zipfile.close();
  }
}

function refuseDeclared(entry: ZipEntry, max: ZipLimits): void {
  if (entry.flags & ENCRYPTED) throw new ZipFormatError(`${entry.name}: encrypted entries are not supported`);
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported`);
  }
  if (entry.size > max.maxEntrySize) {
    throw new ZipFormatError(`${entry.name}: declares ${entry.size} bytes uncompressed, more than the limit of ${max.maxEntrySize}`);
  }
  if (entry.size >= RATIO_EXEMPT_BELOW && entry.size > max.maxRatio * entry.compressedSize) {
    const ratio = entry.compressedSize === 0 ? 'unbounded' : `${Math.round(entry.size / entry.compressedSize)}:1`;
    throw new ZipFormatError(`${entry.name}: compression ratio ${ratio}, more than the limit of ${max.maxRatio}:1 (a zip bomb?)`);
  }
}

/**
 * Counts and checksums the inflated bytes. yauzl checks the count against the declared size but not the CRC;
 * the count is checked here too so that the declared-size limits above hold on the actual bytes even if
 * yauzl's check were ever switched off.
 */
class SizeAndCrcCheck extends Transform {
  private crc = 0;
  private size = 0;

  constructor(private readonly entry: ZipEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.entry.size) {
      done(new ZipFormatError(`${this.entry.name}: inflates past its declared size of ${this.entry.size} bytes; refused mid-stream`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
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
export async function readZip(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): Promise<{ name: string; data: Uint8Array }[]> {
  const archive = await ZipArchive.open(bytesZipSource(bytes), limits);
  try {
    const out: { name: string; data: Uint8Array }[] = [];
    for (const entry of archive.files) out.push({ name: entry.name, data: await archive.read(entry) });
    return out;
  } finally {
    await archive.close();
  }
}
