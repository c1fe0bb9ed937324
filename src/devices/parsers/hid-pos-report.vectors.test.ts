/**
 * Reports written byte by byte from a vendor's document, not produced by the project's own emulator (which is
 * written by the same hands as the parser): the Access-IS LSR116/LSR118 product manuals, appendix "HID reports —
 * barcode only", give the 64-byte input report — byte 0 report id 2, byte 1 the count of data bytes, bytes 2–4
 * the AIM symbology identifier (']' and two characters), bytes 5–60 up to 56 data bytes, byte 61 a further
 * symbology identifier, byte 62 reserved, byte 63 bit 0 "data continues" — and an example of a 60-byte code
 * split in two reports (56 bytes with the flag set, then the rest with the flag clear, zero-padded).
 */
import { describe, expect, it } from 'vitest';
import { HONEYWELL_HID_POS_REPORT } from '../models/scanners';
import { HidPosAssembler } from './hid-pos-report';

/** The station's layout for HID POS scan boxes must be what the manual's table says. */
const ACCESS_IS = HONEYWELL_HID_POS_REPORT;

/** One 64-byte report as the manual draws it. */
function report(fields: { count: number; aim: string; data: string; further: number; continued: boolean }): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes[0] = 0x02;
  bytes[1] = fields.count;
  bytes.set(Buffer.from(fields.aim, 'latin1'), 2);
  bytes.set(Buffer.from(fields.data, 'latin1'), 5);
  bytes[61] = fields.further;
  bytes[62] = 0x00;
  bytes[63] = fields.continued ? 0x01 : 0x00;
  return bytes;
}

function read(reports: Uint8Array[]): string[] {
  const codes: string[] = [];
  const assembler = new HidPosAssembler({
    layout: ACCESS_IS,
    maxCodeBytes: 512,
    idleMs: 100,
    onCode: (c) => codes.push(c),
    onDrop: () => undefined,
  });
  for (const r of reports) assembler.push(r);
  return codes;
}

describe('HID POS reports from the vendor manual (Access-IS, appendix "HID reports")', () => {
  it("the station's report layout is the manual's", () => {
    expect(ACCESS_IS).toEqual({ reportId: 2, lengthOffset: 1, dataOffset: 5, maxDataBytes: 56, continuedOffset: 63 });
  });

  it("the manual's 60-byte QR code in two reports: [02 38 5D 51 30 …56 bytes… 73 00 01] then the last 4 bytes", () => {
    // The manual's example is an IATA boarding pass; this one is a 60-byte e-voucher-style payload of the same size.
    const code = 'https://ec.nhsa.gov.cn/v?c=AbCdEf0123456789XyZ0123456789abcd';
    expect(code.length).toBe(60);
    const first = report({ count: 0x38, aim: ']Q0', data: code.slice(0, 56), further: 0x73, continued: true });
    const second = report({ count: 0x04, aim: ']Q0', data: code.slice(56), further: 0x73, continued: false });
    expect([...first.subarray(0, 5)]).toEqual([0x02, 0x38, 0x5d, 0x51, 0x30]);
    expect([...first.subarray(61)]).toEqual([0x73, 0x00, 0x01]);
    expect([...second.subarray(9, 61)].every((b) => b === 0)).toBe(true); // "the remaining 52 bytes are set to 0x00"
    expect(read([first, second])).toEqual([code]);
  });

  it('a payment code in one report, and a Code 128 with its own AIM identifier', () => {
    expect(read([report({ count: 18, aim: ']Q0', data: '134567890123456789', further: 0, continued: false })])).toEqual([
      '134567890123456789',
    ]);
    expect(read([report({ count: 10, aim: ']C0', data: 'HC12345678', further: 0, continued: false })])).toEqual(['HC12345678']);
  });

  it('a report whose count exceeds the 56 data bytes the table allows is no code', () => {
    expect(read([report({ count: 57, aim: ']Q0', data: 'x'.repeat(56), further: 0, continued: false })])).toEqual([]);
  });
});
