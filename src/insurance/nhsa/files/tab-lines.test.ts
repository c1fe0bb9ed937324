import { describe, expect, it } from 'vitest';
import { formatTabLines, parseCatalogueLines, type TabRecord } from './tab-lines';

async function parse(chunks: (Uint8Array | string)[], fromLine?: number): Promise<TabRecord[]> {
  const out: TabRecord[] = [];
  for await (const record of parseCatalogueLines(chunks, fromLine === undefined ? {} : { fromLine })) out.push(record);
  return out;
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseCatalogueLines', () => {
  it('keeps empty fields, reads "null" as null, accepts LF and CRLF, skips blank lines but counts them', async () => {
    expect(await parse(['A\t\tnull\t\r\n', '\n', 'B\tnull\tx'])).toEqual([
      { line: 1, fields: ['A', '', null, ''] },
      { line: 3, fields: ['B', null, 'x'] },
    ]);
  });

  it('joins lines and multi-byte characters split across chunks', async () => {
    const whole = bytes('阿莫西林\t0.25g\n对乙酰氨基酚\t0.5g\n');
    const oneByteAtATime = Array.from(whole, (b) => new Uint8Array([b]));
    expect(await parse(oneByteAtATime)).toEqual([
      { line: 1, fields: ['阿莫西林', '0.25g'] },
      { line: 2, fields: ['对乙酰氨基酚', '0.5g'] },
    ]);
  });

  it('drops a UTF-8 byte order mark and refuses bytes that are not UTF-8', async () => {
    expect(await parse([new Uint8Array([0xef, 0xbb, 0xbf]), bytes('A\tB')])).toEqual([{ line: 1, fields: ['A', 'B'] }]);
    await expect(parse([new Uint8Array([0x41, 0xc3, 0x28, 0x0a])])).rejects.toThrow(TypeError);
  });

  it('resumes after the last line stored', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `R${i + 1}\tv`).join('\n');
    const resumed = await parse([text], 8);
    expect(resumed.map((r) => [r.line, r.fields[0]])).toEqual([
      [8, 'R8'],
      [9, 'R9'],
      [10, 'R10'],
    ]);
    await expect(parse([text], 0)).rejects.toThrow(RangeError);
  });
});

describe('formatTabLines', () => {
  it('is the inverse of parsing', async () => {
    const records = [
      ['S1', '', null, '157.10'],
      ['S2', '对', 'x', '-1.00'],
    ];
    expect((await parse([formatTabLines(records)])).map((r) => r.fields)).toEqual(records);
  });

  it('refuses a field with a TAB or line break, which would shift every later column', () => {
    expect(() => formatTabLines([['a\tb']])).toThrow(/TAB/);
    expect(() => formatTabLines([['a\nb']])).toThrow(/line break/);
  });
});
