/**
 * The two file formats of an export, each written as a stream so 100,000 rows take the memory of one batch:
 * CSV (UTF-8 with a BOM, which Excel needs to read Chinese) and xlsx through exceljs's streaming WorkbookWriter
 * (rows committed as they are added, no shared strings). The file is created 0600 and only ever new.
 */
import fs from 'node:fs';
import { EventEmitter, once } from 'node:events';
import ExcelJS from 'exceljs';
import type { ExportFormat } from '../../shared/ledger';
import { csvField, EXPORT_HEADERS, inertText, type Cell } from './export-columns';

export interface RowWriter {
  /** Resolves when the file can take more (a slow disk holds the export back instead of filling memory). */
  add(rows: readonly Cell[][]): Promise<void>;
  /** Everything on disk and the file closed. */
  finish(): Promise<void>;
  /** Stops and closes; the caller removes the file. */
  abort(): Promise<void>;
}

export function openRowWriter(
  format: ExportFormat,
  file: string,
  sheetName: string,
  headers: readonly string[] = EXPORT_HEADERS,
): RowWriter {
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  return format === 'csv' ? csvWriter(out, headers) : xlsxWriter(out, sheetName, headers);
}

async function drained(out: fs.WriteStream, wantsMore: boolean): Promise<void> {
  if (!wantsMore) await once(out, 'drain');
}

async function closed(out: fs.WriteStream): Promise<void> {
  if (!out.closed) await once(out, 'close');
}

/** Stops the file where it is: a write still on its way fails against the closed file, which is what abort wants. */
async function destroyed(out: fs.WriteStream): Promise<void> {
  out.on('error', () => undefined);
  if (out.closed) return;
  await new Promise<void>((resolve) => {
    out.once('close', () => resolve());
    out.destroy();
  });
}

function csvWriter(out: fs.WriteStream, headers: readonly string[]): RowWriter {
  out.write(`\uFEFF${headers.join(',')}\r\n`);
  return {
    async add(rows) {
      const text = rows.map((cells) => cells.map(csvField).join(',')).join('\r\n');
      if (text) await drained(out, out.write(`${text}\r\n`));
    },
    async finish() {
      out.end();
      await closed(out);
    },
    async abort() {
      await destroyed(out);
    },
  };
}

/**
 * exceljs hands the sheet's XML to its zip without waiting (its StreamBuf ignores write()'s answer), and the
 * deflate takes about one 64 KB chunk per turn of the event loop, one turn per batch here: without this wait the
 * whole sheet, ≈ 57 MB of XML per 100,000 rows, queued uncompressed until the end (measured, bench/export.ts).
 * The zip's input stream — the one the sheet's stream pipes into — says when it has taken everything.
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet, out: fs.WriteStream): Promise<void> {
  if (out.errored) throw out.errored;
  const input = zipInputOf(sheet);
  if (!input?._writableState?.needDrain) return;
  // A file that fails (disk full) stops the zip for good: its error ends the wait, not only the drain.
  const stop = new AbortController();
  try {
    await Promise.race([
      once(input, 'drain', { signal: stop.signal }),
      once(out, 'error', { signal: stop.signal }).then(([e]: unknown[]) => Promise.reject(e instanceof Error ? e : new Error(String(e)))),
    ]);
  } finally {
    stop.abort();
  }
}

interface ZipInput extends NodeJS.EventEmitter {
  _writableState?: { needDrain?: boolean };
}

/** exceljs's internals, read defensively: an exceljs that changed them leaves null, and export-writers.test.ts fails. */
function zipInputOf(sheet: ExcelJS.Worksheet): ZipInput | null {
  const pipes: unknown = (sheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  const first: unknown = Array.isArray(pipes) ? pipes[0] : undefined;
  return first instanceof EventEmitter ? (first as ZipInput) : null;
}

function xlsxWriter(out: fs.WriteStream, sheetName: string, headers: readonly string[]): RowWriter {
  // No styles: a number format on the amount columns costs half the writer's time (≈ 1.7 s per 100,000 rows), and
  // the amounts stay exact numbers a sheet adds up; it shows 12.3 for 12.30.
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = book.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // ID numbers and times are the wide columns, whatever the list
  sheet.columns = headers.map((header) => ({ header, width: header === '身份证号' ? 20 : header.endsWith('时间') ? 19 : 12 }));
  return {
    async add(rows) {
      for (const cells of rows) {
        // A sheet's number is a double; yuan with two places is exact enough to show and to add up per column.
        sheet.addRow(cells.map((c) => ('fen' in c ? c.fen / 100 : inertText(c.text)))).commit();
      }
      await zipCaughtUp(sheet, out);
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async finish() {
      sheet.commit();
      await book.commit();
      await closed(out);
    },
    async abort() {
      await destroyed(out);
    },
  };
}
