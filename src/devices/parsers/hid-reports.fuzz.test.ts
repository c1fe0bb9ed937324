/**
 * Property tests for the two HID scanner parsers, 10,000 random segments per seed.
 *
 * HID POS: codes spread over continued reports, mixed with reports of other ids, malformed counts, codes cut
 * short by an idle gap, over-long codes and codes that are no text → exactly the good codes, in order, and
 * one drop per bad segment.
 *
 * Keyboard wedge: fast Enter-terminated scans (ASCII and Alt-mode 汉字), a person typing (slow keys, random
 * Enter), scans cut short, scans spoiled by a key that types nothing, rollover-error reports in the middle
 * of scans → exactly the scans, in order.
 */
import { describe, expect, it } from 'vitest';
import { HidPosScannerEmulator, KeyboardWedgeEmulator, type TimedReport } from '../../simulators/devices/hid-scanner-emulator';
import { prng, type Rng } from '../testing/prng';
import { HidPosAssembler, type HidPosDropReason } from './hid-pos-report';
import { BootKeyboardReader, KeyboardWedgeDecoder } from './keyboard-wedge';

const ASCII = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i));
const HANZI = ['医', '保', '张', '三', '凭', '证', '·', '龙'];

function randomText(rng: Rng, min: number, max: number, hanziShare: number): string {
  return Array.from({ length: rng.int(min, max) }, () => (rng.next() < hanziShare ? rng.pick(HANZI) : rng.pick(ASCII))).join('');
}

describe('HidPosAssembler fuzz', () => {
  const MAX_CODE_BYTES = 300;
  const IDLE_MS = 50;
  const emulator = new HidPosScannerEmulator({ sendReport: () => undefined });

  type Segment = { reports: Uint8Array[]; code?: string; drop?: HidPosDropReason; idleAfter?: boolean };

  function randomSegment(rng: Rng): Segment {
    const roll = rng.next();
    if (roll < 0.6) {
      const code = randomText(rng, 1, 90, 0.2);
      const suffix = rng.pick(['', '', '\r', '\r\n']);
      return { reports: emulator.reportsFor(code + suffix), code };
    }
    if (roll < 0.7) {
      const report = rng.bytes(rng.int(1, 64));
      report[0] = rng.pick([0x00, 0x01, 0x03, 0x04, 0xfe]);
      return { reports: [report] };
    }
    if (roll < 0.78) {
      const report = rng.bytes(64);
      report[0] = 0x02;
      report[1] = rng.int(57, 255);
      return { reports: [report], drop: 'malformed' };
    }
    if (roll < 0.86) {
      const reports = emulator.reportsFor(randomText(rng, 60, 200, 0));
      return { reports: reports.slice(0, rng.int(1, reports.length - 1)), drop: 'idle-timeout', idleAfter: true };
    }
    if (roll < 0.93) return { reports: emulator.reportsFor('L'.repeat(rng.int(MAX_CODE_BYTES + 1, 600))), drop: 'too-long' };
    const bad = rng.pick([Uint8Array.of(0x41, 0x00, 0x42), Uint8Array.of(0x41, 0x1b), Uint8Array.of(0xc3, 0x28), Uint8Array.of(0xff)]);
    return { reports: emulator.reportsFor(bad), drop: bad.some((b) => b < 0x20) ? 'control-byte' : 'invalid-utf8' };
  }

  it.each([1, 0xbadc0de, 20260302])('seed %i: the good codes exactly once, in order; one drop per bad segment', (seed) => {
    const rng = prng(seed);
    const segments = Array.from({ length: 10_000 }, () => randomSegment(rng));
    const codes: string[] = [];
    const drops: HidPosDropReason[] = [];
    const assembler = new HidPosAssembler({
      layout: { reportId: 0x02, lengthOffset: 1, dataOffset: 5, maxDataBytes: 56, continuedOffset: 63 },
      maxCodeBytes: MAX_CODE_BYTES,
      idleMs: IDLE_MS,
      onCode: (code) => codes.push(code),
      onDrop: (drop) => drops.push(drop.reason),
    });
    let now = 0;
    for (const segment of segments) {
      for (const report of segment.reports) assembler.push(report, (now += rng.int(0, 8)));
      if (segment.idleAfter) {
        now += IDLE_MS;
        if (rng.next() < 0.5) assembler.expireIdle(now);
      }
    }
    assembler.expireIdle(now + IDLE_MS);
    const expectedCodes = segments.flatMap((s) => (s.code === undefined ? [] : [s.code]));
    expect(expectedCodes.length).toBeGreaterThan(5500);
    expect(codes).toEqual(expectedCodes);
    expect(drops).toEqual(segments.flatMap((s) => (s.drop ? [s.drop] : [])));
  });
});

describe('KeyboardWedgeDecoder fuzz', () => {
  const MAX_GAP = 60;
  const emulator = new KeyboardWedgeEmulator({ sendReport: () => undefined });
  const ROLLOVER = Uint8Array.of(0, 0, 1, 1, 1, 1, 1, 1);

  type Segment = { reports: TimedReport[]; code?: string };

  function randomSegment(rng: Rng): Segment {
    const roll = rng.next();
    if (roll < 0.6) {
      const code = randomText(rng, 4, 40, 0.1);
      const reports = emulator.reportsFor(code, { reportGapMs: rng.int(1, 12) });
      if (rng.next() < 0.2) reports.splice(rng.int(0, reports.length - 1), 0, { report: ROLLOVER, afterMs: 1 });
      return { reports, code };
    }
    if (roll < 0.8) {
      const text = randomText(rng, 1, 12, 0);
      return { reports: emulator.reportsFor(text, { enter: rng.next() < 0.5, reportGapMs: rng.int(35, 200) }) };
    }
    if (roll < 0.9) return { reports: emulator.reportsFor(randomText(rng, 1, 30, 0.1), { enter: false, reportGapMs: 3 }) };
    const spoiled = [
      ...emulator.reportsFor(randomText(rng, 2, 10, 0), { enter: false, reportGapMs: 3 }),
      { report: Uint8Array.of(0, 0, rng.pick([0x3a, 0x4f, 0x2b, 0x29]), 0, 0, 0, 0, 0), afterMs: 3 },
      { report: new Uint8Array(8), afterMs: 3 },
      ...emulator.reportsFor(randomText(rng, 2, 10, 0), { reportGapMs: 3 }),
    ];
    return { reports: spoiled };
  }

  it.each([3, 0xfeed, 20260302])('seed %i: every scan exactly once, in order, and nothing typed becomes a code', (seed) => {
    const rng = prng(seed);
    const segments = Array.from({ length: 10_000 }, () => randomSegment(rng));
    const codes: string[] = [];
    const reader = new BootKeyboardReader();
    const decoder = new KeyboardWedgeDecoder({
      maxKeyGapMs: MAX_GAP,
      minCodeLength: 4,
      maxCodeLength: 64,
      onCode: (code) => codes.push(code),
      onDrop: () => undefined,
    });
    let now = 0;
    for (const segment of segments) {
      for (const { report, afterMs } of segment.reports) {
        now += afterMs;
        for (const event of reader.read(report)) decoder.feed(event, now);
      }
      now += MAX_GAP + rng.int(1, 500); // the next thing happens a moment later
      if (rng.next() < 0.5) decoder.expireIdle(now);
    }
    const expected = segments.flatMap((s) => (s.code === undefined ? [] : [s.code]));
    expect(expected.length).toBeGreaterThan(5500);
    expect(codes).toEqual(expected);
  });
});
