// The zip files of the file exchange, checked against independent implementations (the simulated centre's own,
// with Java-style data descriptors, and Python's zipfile when a python3 is on the machine), and against archives
// crafted byte by byte here: zip bombs, headers that lie, encryption, bad CRCs.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZipFile as YazlFile } from 'yazl';
import { unzipFiles, zipFiles } from '../../../simulators/nhsa/zip';
import { bytesZipSource, DEFAULT_ZIP_LIMITS, fileZipSource, readZip, writeZip, ZipArchive, ZipFormatError } from './zip';
import { missing } from '../../../../test/harness/prerequisites';

const text = (s: string) => new TextEncoder().encode(s);
const catalogueText = () => {
  const lines: string[] = [];
  for (let i = 0; i < 1500; i++) lines.push(`XJ01CAA040A00101010${String(i).padStart(4, '0')}\t阿莫西林胶囊\t\tnull\t0.25g*24粒/盒`);
  return text(lines.join('\n'));
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nhsa-zip-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function flip(bytes: Uint8Array, index: number, mask: number): void {
  bytes[index] = (bytes[index] ?? 0) ^ mask;
}

async function streamToBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

describe('writeZip / readZip', () => {
  it.each(['deflate', 'stored'] as const)('round-trips %s entries with UTF-8 names', async (method) => {
    const entries = [
      { name: '对账明细20261122.txt', data: catalogueText() },
      { name: 'empty.txt', data: new Uint8Array() },
    ];
    const zip = await writeZip(entries, { method, modified: new Date('2026-11-22T02:15:30Z') });
    expect(await readZip(zip)).toEqual(entries);
  });

  it('is read by the centre’s independent reader, and reads the centre’s data-descriptor zips', async () => {
    const data = catalogueText();
    expect(unzipFiles(Buffer.from(await writeZip([{ name: 'a.txt', data }])))).toEqual([{ name: 'a.txt', content: Buffer.from(data) }]);
    const javaStyle = zipFiles(
      [
        { name: '1301_目录.txt', content: Buffer.from(data) },
        { name: 'b.txt', content: Buffer.from('x') },
      ],
      new Date(),
    );
    expect(await readZip(javaStyle)).toEqual([
      { name: '1301_目录.txt', data: new Uint8Array(data) },
      { name: 'b.txt', data: text('x') },
    ]);
  });

  it('streams an entry from a file on disk, checking CRC and size at the end', async () => {
    const file = path.join(dir, 'cat.zip');
    const data = catalogueText();
    writeFileSync(file, await writeZip([{ name: 'cat.txt', data }]));
    const archive = await ZipArchive.open(await fileZipSource(file));
    try {
      expect(await streamToBytes(await archive.stream(archive.files[0]!))).toEqual(data);
    } finally {
      await archive.close();
    }
  });

  it('detects a corrupted entry (CRC), a truncated file, and what it does not support', async () => {
    const zip = await writeZip([{ name: 'a.txt', data: text('hello hello hello') }], { method: 'stored' });
    const corrupted = zip.slice();
    flip(corrupted, 30 + 'a.txt'.length, 0x01); // first data byte
    await expect(readZip(corrupted)).rejects.toThrow(/CRC/);
    const archive = await ZipArchive.open(bytesZipSource(corrupted));
    await expect(streamToBytes(await archive.stream(archive.files[0]!))).rejects.toThrow(/CRC/);

    await expect(readZip(zip.subarray(0, zip.length - 10))).rejects.toThrow(ZipFormatError);
    await expect(readZip(text('not a zip at all'))).rejects.toThrow(/end-of-central-directory/);
    const encrypted = (await writeZip([{ name: 'a.txt', data: text('hello hello hello') }])).slice();
    const central = encrypted.length - 22 - 46 - 'a.txt'.length;
    flip(encrypted, central + 8, 0x01); // general-purpose flag bit 0: encrypted
    await expect(readZip(encrypted)).rejects.toThrow(/encrypted/);
  });
});

// ---- archives crafted byte by byte ------------------------------------------------------------------------

const MiB = 1024 * 1024;

interface Crafted {
  name: string;
  /** What the headers declare; the body is whatever is given. */
  size: number;
  crc: number;
  body: Uint8Array;
  method?: number;
  flags?: number;
}

/** A zip with exactly the headers given (local and central agree), independent of the code under test. */
function craftZip(entries: readonly Crafted[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const flags = 0x0800 | (e.flags ?? 0);
    const method = e.method ?? 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.body.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(flags, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt32LE(e.crc >>> 0, 16);
    record.writeUInt32LE(e.body.length, 20);
    record.writeUInt32LE(e.size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(e.body));
    central.push(record, name);
    offset += 30 + name.length + e.body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, directory, end]));
}

const ZERO_MIB = Buffer.alloc(MiB);
/**
 * `mib` MiB of zeros as raw deflate, without deflating them all: one MiB deflated with a sync flush ends on a byte
 * boundary and only refers back to zeros, so the same ~1 KB can be repeated; an empty final block closes it.
 */
function deflatedZeros(mib: number): Buffer {
  const block = deflateRawSync(ZERO_MIB, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array<Buffer>(mib).fill(block), deflateRawSync(Buffer.alloc(0))]);
}
function zerosCrc(mib: number): number {
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(ZERO_MIB, crc);
  return crc;
}

/** Streams the entry to its end, counting bytes; the error, if any, with how far it got. */
async function drain(stream: Readable): Promise<{ bytes: number; error?: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    return { bytes };
  } catch (error) {
    return { bytes, error };
  }
}

describe('crafted archives', () => {
  it('the crafted zips are valid when their headers tell the truth (so the refusals below are for the lie)', async () => {
    const body = deflatedZeros(4);
    expect(body.length).toBeLessThan(8 * 1024); // 4 MiB in a few KB: a ratio far beyond real text
    const zip = craftZip([{ name: 'zeros.txt', size: 4 * MiB, crc: zerosCrc(4), body }]);
    const [entry] = await readZip(zip, { maxRatio: 10_000 });
    expect(entry?.data.length).toBe(4 * MiB);
    expect(entry?.data.every((b) => b === 0)).toBe(true);
  });

  it('refuses a zip bomb on its declared sizes, before inflating anything', async () => {
    // Declares 2 GiB, above the 1 GiB default; the open alone refuses it, so no stream is ever made.
    const huge = craftZip([{ name: 'bomb.txt', size: 2 ** 31, crc: 0, body: deflatedZeros(4) }]);
    await expect(ZipArchive.open(bytesZipSource(huge))).rejects.toThrow(
      new ZipFormatError(`bomb.txt: declares ${2 ** 31} bytes uncompressed, more than the limit of ${DEFAULT_ZIP_LIMITS.maxEntrySize}`),
    );

    // 1023 MiB of zeros in ~1 MB, honestly declared: under the size limit, over the ratio limit.
    const bomb = craftZip([{ name: 'bomb.txt', size: 1023 * MiB, crc: 0, body: deflatedZeros(1023) }]);
    expect(bomb.length).toBeLessThan(1.1 * MiB);
    // refused at open, from the headers' sizes (the message says which limit): nothing is inflated
    await expect(readZip(bomb)).rejects.toThrow(/^zip: bomb\.txt: compression ratio 10\d\d:1, more than the limit of 200:1/);

    // The same ratio below 1 MiB is allowed (small files of repeated bytes are legitimate) …
    const small = Buffer.alloc(512 * 1024);
    expect(await readZip(craftZip([{ name: 's.txt', size: small.length, crc: crc32(small), body: deflateRawSync(small) }]))).toHaveLength(
      1,
    );
    // … and the limits are the caller's to set.
    const zeros = craftZip([{ name: 'z.txt', size: 4 * MiB, crc: zerosCrc(4), body: deflatedZeros(4) }]);
    await expect(readZip(zeros)).rejects.toThrow(/z\.txt: compression ratio/);
    await expect(readZip(zeros, { maxRatio: 10_000, maxEntrySize: 4 * MiB - 1 })).rejects.toThrow(
      /z\.txt: declares 4194304 bytes .* limit of 4194303/,
    );
  });

  it('refuses entries that together declare more than the total limit', async () => {
    const entry = (name: string) => ({ name, size: 3 * MiB, crc: zerosCrc(3), body: deflatedZeros(3) });
    const zip = craftZip([entry('a.txt'), entry('b.txt')]);
    const limits = { maxRatio: 10_000, maxEntrySize: 4 * MiB };
    await expect(readZip(zip, { ...limits, maxTotalSize: 5 * MiB })).rejects.toThrow(
      /b\.txt: the entries declare more than 5242880 bytes in total/,
    );
    expect((await readZip(zip, { ...limits, maxTotalSize: 6 * MiB })).map((e) => e.data.length)).toEqual([3 * MiB, 3 * MiB]);
  });

  it('stops a header that lies about its size mid-stream, without inflating the rest', async () => {
    // Declares 1 KiB; the data is 4 GiB of zeros (4 MB compressed), which would take seconds to inflate.
    const file = path.join(dir, 'lie.zip');
    writeFileSync(file, craftZip([{ name: 'lie.txt', size: 1024, crc: 0, body: deflatedZeros(4096) }]));
    const archive = await ZipArchive.open(await fileZipSource(file));
    try {
      const { bytes, error } = await drain(await archive.stream(archive.files[0]!));
      expect(error).toBeInstanceOf(ZipFormatError);
      expect((error as Error).message).toMatch(/^zip: lie\.txt: inflates past its declared size/);
      expect(bytes).toBeLessThanOrEqual(1024); // the consumer never saw more than was declared
    } finally {
      await archive.close();
    }
    await expect(readZip(new Uint8Array(readFileSync(file)))).rejects.toThrow(/lie\.txt: inflates past its declared size/);
  });

  it('refuses an entry shorter than declared, a wrong CRC, encryption and other methods', async () => {
    const data = text('hello hello hello');
    const good = { name: 'a.txt', size: data.length, crc: crc32(data), body: deflateRawSync(data) };
    expect(await readZip(craftZip([good]))).toEqual([{ name: 'a.txt', data }]);

    await expect(readZip(craftZip([{ ...good, size: data.length + 1 }]))).rejects.toThrow(/a\.txt: .*(not enough bytes|size mismatch)/);
    await expect(readZip(craftZip([{ ...good, crc: good.crc ^ 1 }]))).rejects.toThrow('zip: a.txt: CRC or size mismatch');
    const archive = await ZipArchive.open(bytesZipSource(craftZip([{ ...good, crc: good.crc ^ 1 }])));
    const streamed = await drain(await archive.stream(archive.files[0]!));
    expect(streamed.bytes).toBe(data.length); // the bytes come through; the stream then fails at its end
    expect(streamed.error).toEqual(new ZipFormatError('a.txt: CRC or size mismatch'));
    await archive.close();

    await expect(readZip(craftZip([{ ...good, flags: 0x0001 }]))).rejects.toThrow('zip: a.txt: encrypted entries are not supported');
    await expect(readZip(craftZip([{ ...good, method: 12 }]))).rejects.toThrow('zip: a.txt: compression method 12 is not supported');
  });

  it('streams a large entry from disk without holding it in memory', async () => {
    // 192 MiB of catalogue-like lines, written by yazl from a stream (data descriptor, crc32 computed on the way).
    const line = (i: number) => `${String(i).padStart(23, '0')}\t阿莫西林胶囊\t\tnull\t${'0.25g*24粒/盒'.padEnd(1024 - 64, '.')}\n`;
    const lineBytes = Buffer.byteLength(line(0));
    const linesPerChunk = 1024;
    const chunks = 192;
    let expectedCrc = 0;
    const source = Readable.from(
      (function* () {
        for (let c = 0; c < chunks; c++) {
          const chunk = Buffer.from(Array.from({ length: linesPerChunk }, (_, i) => line(c * linesPerChunk + i)).join(''));
          expectedCrc = crc32(chunk, expectedCrc);
          yield chunk;
        }
      })(),
    );
    const file = path.join(dir, 'big.zip');
    const zip = new YazlFile();
    zip.addReadStream(source, '1301.txt', { compress: true, compressionLevel: 1 });
    zip.end();
    await new Promise<void>((resolve, reject) => {
      zip.outputStream.pipe(createWriteStream(file)).on('finish', resolve).on('error', reject);
    });

    const archive = await ZipArchive.open(await fileZipSource(file));
    try {
      const entry = archive.files[0]!;
      expect(entry.size).toBe(chunks * linesPerChunk * lineBytes);
      await expect(archive.read(entry)).rejects.toThrow(/1301\.txt: .* more than the 67108864 read into memory \(stream it\)/);
      const baseline = process.memoryUsage();
      let peak = 0;
      let crc = 0;
      let bytes = 0;
      for await (const chunk of await archive.stream(entry)) {
        crc = crc32(chunk as Buffer, crc);
        bytes += (chunk as Buffer).length;
        if ((bytes & 0xfffff) < (chunk as Buffer).length) {
          const now = process.memoryUsage();
          peak = Math.max(peak, now.heapUsed + now.arrayBuffers - baseline.heapUsed - baseline.arrayBuffers);
        }
      }
      expect(bytes).toBe(chunks * linesPerChunk * lineBytes);
      expect(crc).toBe(expectedCrc);
      expect(peak).toBeLessThan(64 * MiB); // far below the 192 MiB entry
    } finally {
      await archive.close();
    }
  });

  it('writes the modification time as Beijing wall time whatever the machine’s zone', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const at = new Date('2026-11-22T18:15:30Z'); // 2026-11-23 02:15:30 in Beijing, 13:15:30 the day before in New York
      expect(at.getHours()).toBe(13); // the zone really changed, so local time would be wrong
      const zip = Buffer.from(await writeZip([{ name: 'a.txt', data: text('x') }], { modified: at }));
      expect(zip.readUInt16LE(10)).toBe((2 << 11) | (15 << 5) | (30 >> 1)); // local header: DOS time
      expect(zip.readUInt16LE(12)).toBe(((2026 - 1980) << 9) | (11 << 5) | 23); // DOS date
      expect(zip.readUInt16LE(28)).toBe(0); // no extra field: no UTC timestamp beside it
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe.skipIf(missing('python3'))('cross-check with Python zipfile', () => {
  it('Python reads what we write (and tests every CRC)', async () => {
    const file = path.join(dir, 'ours.zip');
    writeFileSync(
      file,
      await writeZip([
        { name: '明细.txt', data: catalogueText() },
        { name: 's.txt', data: text('stored?') },
      ]),
    );
    const listing = execFileSync(
      'python3',
      [
        '-c',
        'import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("|".join(f"{i.filename}:{i.file_size}" for i in z.infolist()))',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(listing.trim()).toBe(`明细.txt:${catalogueText().length}|s.txt:7`);
  });

  it('we read what Python writes, deflated and stored', async () => {
    const file = path.join(dir, 'theirs.zip');
    execFileSync('python3', [
      '-c',
      'import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w") as z:\n  z.writestr(zipfile.ZipInfo("结果.txt"),"A\\tB\\n"*1000,compress_type=zipfile.ZIP_DEFLATED)\n  z.writestr("s.txt","stored",compress_type=zipfile.ZIP_STORED)',
      file,
    ]);
    expect(await readZip(new Uint8Array(readFileSync(file)))).toEqual([
      { name: '结果.txt', data: text('A\tB\n'.repeat(1000)) },
      { name: 's.txt', data: text('stored') },
    ]);
  });
});
