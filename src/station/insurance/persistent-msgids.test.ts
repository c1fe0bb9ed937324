import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NhsaRepo, openDatabase, type Db } from '../store';
import { PersistentMsgIdAllocator } from './persistent-msgids';

const CODE = 'H35020300001';
let dir: string;
let dbs: Db[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yibao-msgids-'));
  dbs = [];
});
afterEach(() => {
  for (const db of dbs) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A station of the institution with its own SQLite file. */
function station(name: string, block?: number): PersistentMsgIdAllocator {
  const db = openDatabase(path.join(dir, `${name}.db`));
  dbs.push(db);
  return new PersistentMsgIdAllocator(new NhsaRepo(db), CODE, 'Asia/Shanghai', block);
}

describe('msgids of several stations of one institution', () => {
  const at = new Date('2026-12-05T02:00:00Z'); // 10:00:00 in Beijing

  it('collide without a block: the centre would take one station’s message for another’s', () => {
    expect(station('a').next(at)).toBe(station('b').next(at));
  });

  it('never collide with a block each, and keep the 30-character form', () => {
    const blocks = [0, 1, 2].map((b) => station(`s${b}`, b));
    const seen = new Set<string>();
    for (let i = 0; i < 1200; i++) for (const s of blocks) seen.add(s.next(at));
    expect(seen.size).toBe(3600);
    for (const id of seen) expect(id).toMatch(/^H35020300001\d{14}\d{4}$/);
    expect(blocks[1]!.next(at)).toBe(`${CODE}202612051000011202`); // 999 taken in 10:00:00, 201 in 10:00:01
  });

  it('borrows the next second after its 999th message in one second', () => {
    const s = station('one', 4);
    const ids = Array.from({ length: 1000 }, () => s.next(at));
    expect(ids[0]).toBe(`${CODE}202612051000004001`);
    expect(ids[998]).toBe(`${CODE}202612051000004999`);
    expect(ids[999]).toBe(`${CODE}202612051000014001`);
  });
});
