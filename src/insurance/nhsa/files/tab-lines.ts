/**
 * The text inside the exchange files: UTF-8, one record per line, fields separated by TAB, the literal "null"
 * for a null (protocol-research §1.6). Empty fields are kept — a reader that drops them (Java's StringTokenizer,
 * seen in a public client) shifts every later column. Lines end in LF or CRLF.
 *
 * Parsing is streamed and resumable: records carry their line number, and `fromLine` skips the lines a previous
 * run already stored, so an interrupted import of a large catalogue restarts where it stopped. (Storing the
 * records is the station's part, in the catalogue issue.)
 */

export type TabField = string | null;

export interface TabRecord {
  /** 1-based line number in the file. */
  line: number;
  fields: TabField[];
}

export interface ParseOptions {
  /** Skip records before this line number (resume after the last one stored). Default 1. */
  fromLine?: number;
}

function toFields(line: string): TabField[] {
  return line.split('\t').map((field) => (field === 'null' ? null : field));
}

/** Parses a stream of bytes (or text) into records; throws on bytes that are not UTF-8. */
export async function* parseCatalogueLines(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ParseOptions = {},
): AsyncGenerator<TabRecord> {
  const fromLine = options.fromLine ?? 1;
  if (!Number.isSafeInteger(fromLine) || fromLine < 1) throw new RangeError('fromLine is a line number from 1');
  // A UTF-8 byte order mark at the start is dropped (ignoreBOM false); an invalid byte is an error, not U+FFFD.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let line = 0;

  function* emit(text: string): Generator<TabRecord> {
    line += 1;
    const content = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line >= fromLine && content !== '') yield { line, fields: toFields(content) };
  }

  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
      yield* emit(pending.slice(start, newline));
      start = newline + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== '') yield* emit(pending);
}

/** The inverse, for the files the station uploads: fields joined by TAB, lines by LF, null as "null". */
export function formatTabLines(records: readonly (readonly TabField[])[]): string {
  for (const record of records) {
    for (const field of record) {
      if (field !== null && /[\t\r\n]/.test(field)) throw new Error('a field may not contain TAB or a line break');
    }
  }
  return records.map((record) => record.map((field) => field ?? 'null').join('\t')).join('\n');
}
