/** The export's cells: times as the station's zone reads them, CSV quoting, and no text that a sheet would run. */
import { describe, expect, it } from 'vitest';
import { localDateTime } from '../clock';
import { csvField, inertText, wallClock } from './export-columns';

describe('export cells', () => {
  it('writes each time as localDateTime does, across a day and across a daylight-saving change', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata'];
    // every 7 minutes 13 seconds over two days around New York's change of 2026-11-01
    for (let ms = Date.parse('2026-10-31T00:00:00Z'); ms < Date.parse('2026-11-02T00:00:00Z'); ms += 433_000) {
      for (const zone of zones) {
        const d = new Date(ms);
        expect(wallClock(d.toISOString(), zone)).toBe(localDateTime(d, zone));
      }
    }
  });

  it('quotes a CSV field only when it must, and amounts are exact yuan', () => {
    expect(csvField({ text: '内科' })).toBe('内科');
    expect(csvField({ text: '王,医生' })).toBe('"王,医生"');
    expect(csvField({ text: '说"好"' })).toBe('"说""好"""');
    expect(csvField({ text: 'a\r\nb' })).toBe('"a\r\nb"');
    expect(csvField({ fen: 123_456 })).toBe('1234.56');
    expect(csvField({ fen: 5 })).toBe('0.05');
  });

  it('a text that a sheet would run as a formula is kept as text', () => {
    for (const t of ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\t=1']) expect(inertText(t)).toBe(`'${t}`);
    expect(inertText('李医生')).toBe('李医生');
    expect(csvField({ text: '=1+1' })).toBe("'=1+1");
  });
});
