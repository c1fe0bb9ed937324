/**
 * The centre's zip files, written the way Java's ZipOutputStream writes them — deflated entries whose sizes and
 * CRC follow the data in a data descriptor (flag bit 3) — so the station's reader meets the layout real centres
 * produce. Reading (the station's 3202 upload) takes sizes from the central directory. Independent of the
 * station's zip code on purpose; both sit on node:zlib's deflate and CRC-32.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** Entries with Java-style data descriptors; names UTF-8 (flag 11). */
export function zipFiles(files: readonly { name: string; content: Buffer }[], stamp: Date): Buffer {
  const t = new Date(stamp.getTime() + 8 * 3_600_000);
  const time = (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | (t.getUTCSeconds() >> 1);
  const date = ((t.getUTCFullYear() - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate();
  const flags = 0x0008 | 0x0800;
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = deflateRawSync(file.content);
    const crc = crc32(file.content);
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(20),
      u16(flags),
      u16(8),
      u16(time),
      u16(date),
      u32(0),
      u32(0),
      u32(0),
      u16(name.length),
      u16(0),
      name,
    ]);
    const descriptor = Buffer.concat([u32(0x08074b50), u32(crc), u32(data.length), u32(file.content.length)]);
    parts.push(local, data, descriptor);
    directory.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(20),
        u16(20),
        u16(flags),
        u16(8),
        u16(time),
        u16(date),
        u32(crc),
        u32(data.length),
        u32(file.content.length),
        u16(name.length),
        u16(0),
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(offset),
        name,
      ]),
    );
    offset += local.length + data.length + descriptor.length;
  }
  const central = Buffer.concat(directory);
  const end = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(files.length),
    u16(files.length),
    u32(central.length),
    u32(offset),
    u16(0),
  ]);
  return Buffer.concat([...parts, central, end]);
}

/** Every entry's name and content; throws on anything that is not a well-formed zip of stored / deflated files. */
export function unzipFiles(zip: Buffer): { name: string; content: Buffer }[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out: { name: string; content: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged central directory');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    const content = method === 8 ? inflateRawSync(raw) : method === 0 ? Buffer.from(raw) : undefined;
    if (!content) throw new Error(`unsupported compression method ${method}`);
    if (content.length !== size || crc32(content) !== crc) throw new Error(`${name}: CRC mismatch`);
    out.push({ name, content });
    at += 46 + skip;
  }
  return out;
}
