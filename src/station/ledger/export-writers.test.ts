/**
 * The xlsx writer keeps the sheet moving into the file while rows are added: the workbook is on disk batch by
 * batch, not held uncompressed in memory until the end (exceljs's zip takes what the sheet writes without
 * pushing back; the writer waits for it). A real file in a temp dir, read back with exceljs's own reader.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXPORT_HEADERS, type Cell } from './export-columns';
import { openRowWriter } from './export-writers';

const BATCHES = 30;
const BATCH = 1_000;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-writers-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Row n: every column filled, unlike its neighbours so the deflate has work to do. */
function row(n: number): Cell[] {
  return EXPORT_HEADERS.map((h, i): Cell =>
    h.endsWith('(元)') ? { fen: (n * 7_919 + i) % 50_000 } : { text: `${h}-${n}-${(n * 31 + i) % 997}` },
  );
}

it('xlsx: by the last batch the file on disk already holds most of the workbook, and reads back whole', async () => {
  const file = path.join(dir, 'rows.xlsx');
  const writer = openRowWriter('xlsx', file, '结算流水');
  for (let b = 0; b < BATCHES; b++) {
    // as the exporter does between batches: the event loop turns, so the zip could take its share either way
    await new Promise((resolve) => setImmediate(resolve));
    await writer.add(Array.from({ length: BATCH }, (_, i) => row(b * BATCH + i)));
  }
  const onDiskBeforeFinish = fs.statSync(file).size;
  await writer.finish();
  const whole = fs.statSync(file).size;
  // Without the wait, the sheet's XML stays queued before the deflate: a few KB on disk here, all of it at finish.
  expect(onDiskBeforeFinish).toBeGreaterThan(whole * 0.8);

  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('结算流水');
  expect(sheet?.rowCount).toBe(1 + BATCHES * BATCH);
  expect(sheet?.getRow(1).values).toEqual([undefined, ...EXPORT_HEADERS]);
  const last = BATCHES * BATCH - 1;
  expect(sheet?.getRow(1 + BATCHES * BATCH).values).toEqual([undefined, ...row(last).map((c) => ('fen' in c ? c.fen / 100 : c.text))]);
});

it('xlsx: a file that fails under the writer fails the batch (the wait for the zip does not hang on it)', async () => {
  const file = path.join(dir, 'taken.xlsx');
  fs.writeFileSync(file, 'not ours'); // the writer only ever creates a new file: its open fails (EEXIST)
  const writer = openRowWriter('xlsx', file, '结算流水');
  const adding = (async () => {
    for (let b = 0; b < BATCHES; b++) {
      await new Promise((resolve) => setImmediate(resolve));
      await writer.add(Array.from({ length: BATCH }, (_, i) => row(b * BATCH + i)));
    }
  })();
  await expect(adding).rejects.toThrow(/EEXIST/);
  await writer.abort();
  expect(fs.readFileSync(file, 'utf8')).toBe('not ours');
});
