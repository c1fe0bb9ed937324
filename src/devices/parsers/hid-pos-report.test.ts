import { describe, expect, it } from 'vitest';
import { HidPosScannerEmulator } from '../../simulators/devices/hid-scanner-emulator';
import { HidPosAssembler, type HidPosDrop, type HidPosReportLayout } from './hid-pos-report';

const LAYOUT: HidPosReportLayout = { reportId: 0x02, lengthOffset: 1, dataOffset: 5, maxDataBytes: 56, continuedOffset: 63 };
const IDLE_MS = 100;

function setup(maxCodeBytes = 512) {
  const codes: string[] = [];
  const drops: HidPosDrop[] = [];
  const assembler = new HidPosAssembler({
    layout: LAYOUT,
    maxCodeBytes,
    idleMs: IDLE_MS,
    onCode: (code) => codes.push(code),
    onDrop: (drop) => drops.push(drop),
  });
  const reportsFor = (code: string | Uint8Array) => new HidPosScannerEmulator({ sendReport: () => undefined }).reportsFor(code);
  return { assembler, codes, drops, reportsFor };
}

describe('HidPosAssembler', () => {
  it('reads a code from one report', () => {
    const t = setup();
    for (const report of t.reportsFor('134567890123456789')) t.assembler.push(report);
    expect(t.codes).toEqual(['134567890123456789']);
    expect(t.drops).toEqual([]);
  });

  it('joins a code spread over several continued reports, 汉字 included', () => {
    const t = setup();
    const code = `https://ec.example.cn/v?c=${'A1b2'.repeat(30)}&n=医保`;
    const reports = t.reportsFor(code);
    expect(reports.length).toBe(3);
    reports.forEach((report, i) => t.assembler.push(report, i));
    expect(t.codes).toEqual([code]);
  });

  it('ends the code before a CR or CR LF suffix the scanner was set up to send', () => {
    const t = setup();
    for (const code of ['HC12345678\r', 'HC87654321\r\n']) for (const report of t.reportsFor(code)) t.assembler.push(report);
    expect(t.codes).toEqual(['HC12345678', 'HC87654321']);
  });

  it('ignores reports with another report id and empty reads', () => {
    const t = setup();
    const status = new Uint8Array(64);
    status[0] = 0x01;
    status[1] = 10;
    t.assembler.push(status);
    t.assembler.push(t.reportsFor('')[0]!);
    expect(t.codes).toEqual([]);
    expect(t.drops).toEqual([]);
  });

  it('drops a report whose count does not fit, together with the code it continued', () => {
    const t = setup();
    const [first] = t.reportsFor('X'.repeat(100));
    t.assembler.push(first!);
    const bad = new Uint8Array(64);
    bad[0] = 0x02;
    bad[1] = 57;
    t.assembler.push(bad);
    t.assembler.push(Uint8Array.of(0x02, 3)); // too short to hold its own fields
    expect(t.drops.map((d) => d.reason)).toEqual(['malformed', 'malformed']);
    for (const report of t.reportsFor('HC12345678')) t.assembler.push(report);
    expect(t.codes).toEqual(['HC12345678']);
  });

  it('gives up a continued code whose next report never comes', () => {
    const t = setup();
    const [first] = t.reportsFor('Y'.repeat(80));
    t.assembler.push(first!, 0);
    expect(t.assembler.idleDeadline()).toBe(IDLE_MS);
    expect(t.assembler.expireIdle(IDLE_MS - 1)).toBe(false);
    expect(t.assembler.expireIdle(IDLE_MS)).toBe(true);
    expect(t.drops).toEqual([{ reason: 'idle-timeout', byteLength: 56 }]);
    expect(t.assembler.idleDeadline()).toBeUndefined();
  });

  it('reset drops a pending continued code as interrupted', () => {
    const t = setup();
    t.assembler.push(t.reportsFor('Z'.repeat(80))[0]!);
    t.assembler.reset();
    expect(t.drops.map((d) => d.reason)).toEqual(['interrupted']);
    t.assembler.reset();
    expect(t.drops.length).toBe(1);
  });

  it('drops over-long codes, control bytes and invalid UTF-8, and keeps reading', () => {
    const t = setup(64);
    const inputs = ['W'.repeat(65), Buffer.from('HC12\x0045'), Uint8Array.of(0x48, 0xc3, 0x28), 'HC12345678'];
    for (const input of inputs) for (const report of t.reportsFor(input)) t.assembler.push(report);
    expect(t.drops.map((d) => d.reason)).toEqual(['too-long', 'control-byte', 'invalid-utf8']);
    expect(t.codes).toEqual(['HC12345678']);
  });

  it('rejects a layout with no room for code bytes', () => {
    const build = (layout: Partial<HidPosReportLayout>) => () =>
      new HidPosAssembler({ layout: { ...LAYOUT, ...layout }, maxCodeBytes: 10, onCode: () => undefined, onDrop: () => undefined });
    expect(build({ maxDataBytes: 0 })).toThrow(RangeError);
    expect(build({ dataOffset: 1 })).toThrow(RangeError);
    expect(build({})).not.toThrow();
  });
});
