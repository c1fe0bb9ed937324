// The zip subset of the file exchange, checked against two independent implementations: the simulated centre's
// own (Java-style data descriptors) and Python's zipfile when a python3 is on the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unzipFiles, zipFiles } from '../../../simulators/nhsa/zip';
import { bytesZipSource, fileZipSource, readZip, writeZip, ZipArchive, ZipFormatError } from './zip';

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
    const zip = writeZip(entries, { method, modified: new Date('2026-11-22T02:15:30Z') });
    expect(await readZip(zip)).toEqual(entries);
  });

  it('is read by the centre’s independent reader, and reads the centre’s data-descriptor zips', async () => {
    const data = catalogueText();
    expect(unzipFiles(Buffer.from(writeZip([{ name: 'a.txt', data }])))).toEqual([{ name: 'a.txt', content: Buffer.from(data) }]);
    const javaStyle = zipFiles([{ name: '1301_目录.txt', content: Buffer.from(data) }, { name: 'b.txt', content: Buffer.from('x') }], new Date());
    expect(await readZip(javaStyle)).toEqual([
      { name: '1301_目录.txt', data: new Uint8Array(data) },
      { name: 'b.txt', data: text('x') },
    ]);
  });

  it('streams an entry from a file on disk, checking CRC and size at the end', async () => {
    const file = path.join(dir, 'cat.zip');
    const data = catalogueText();
    writeFileSync(file, writeZip([{ name: 'cat.txt', data }]));
    const archive = await ZipArchive.open(await fileZipSource(file));
    try {
      expect(await streamToBytes(await archive.stream(archive.files[0]!))).toEqual(data);
    } finally {
      await archive.close();
    }
  });

  it('detects a corrupted entry (CRC), a truncated file, and what it does not support', async () => {
    const zip = writeZip([{ name: 'a.txt', data: text('hello hello hello') }], { method: 'stored' });
    const corrupted = zip.slice();
    flip(corrupted, 30 + 'a.txt'.length, 0x01); // first data byte
    await expect(readZip(corrupted)).rejects.toThrow(/CRC/);
    const archive = await ZipArchive.open(bytesZipSource(corrupted));
    await expect(streamToBytes(await archive.stream(archive.files[0]!))).rejects.toThrow(/CRC/);

    await expect(readZip(zip.subarray(0, zip.length - 10))).rejects.toThrow(ZipFormatError);
    await expect(readZip(text('not a zip at all'))).rejects.toThrow(/end-of-central-directory/);
    const encrypted = zip.slice();
    const central = encrypted.length - 22 - 46 - 'a.txt'.length;
    flip(encrypted, central + 8, 0x01); // general-purpose flag bit 0: encrypted
    await expect(readZip(encrypted)).rejects.toThrow(/encrypted/);
  });
});

const python = (() => {
  try {
    execFileSync('python3', ['-c', 'import zipfile'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!python)('cross-check with Python zipfile', () => {
  it('Python reads what we write (and tests every CRC)', () => {
    const file = path.join(dir, 'ours.zip');
    writeFileSync(file, writeZip([{ name: '明细.txt', data: catalogueText() }, { name: 's.txt', data: text('stored?') }]));
    const listing = execFileSync('python3', ['-c', 'import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("|".join(f"{i.filename}:{i.file_size}" for i in z.infolist()))', file], { encoding: 'utf8' });
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
