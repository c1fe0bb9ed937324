/**
 * HID scan boxes on the far end of a report-level fake transport: one in HID POS mode (usage page 0x8C,
 * codes in scanned-data reports) and one in keyboard-wedge mode (boot keyboard reports, a key press and a
 * release per character, Enter at the end, 汉字 as Alt + keypad GBK codes). Written independently of the
 * app's parsers: own layout constants, own key table.
 *
 * The emulators write into anything with `sendReport` — the fake HID port in tests and training mode.
 */
import { gbkCodeOf } from './gbk';

export interface HidReportSink {
  sendReport(report: Uint8Array): void;
}

/** Honeywell / Zebra style HID POS scanned-data report, 64 bytes with the report id in front. */
export const HID_POS_WIRE_LAYOUT = {
  reportId: 0x02,
  reportBytes: 64,
  lengthOffset: 1,
  symbologyOffset: 2, // AIM identifier, 3 bytes, e.g. "]Q1" for QR Code
  dataOffset: 5,
  maxDataBytes: 56,
  continuedOffset: 63,
} as const;

export class HidPosScannerEmulator {
  constructor(private readonly sink: HidReportSink) {}

  /** The reports of one scan: as many as the code needs, all but the last flagged "continued". */
  reportsFor(code: string | Uint8Array, symbology = ']Q1'): Uint8Array[] {
    const L = HID_POS_WIRE_LAYOUT;
    const bytes = typeof code === 'string' ? Buffer.from(code, 'utf8') : code;
    const reports: Uint8Array[] = [];
    for (let offset = 0; offset === 0 || offset < bytes.length; offset += L.maxDataBytes) {
      const chunk = bytes.subarray(offset, offset + L.maxDataBytes);
      const report = new Uint8Array(L.reportBytes);
      report[0] = L.reportId;
      report[L.lengthOffset] = chunk.length;
      report.set(Buffer.from(symbology.padEnd(3, '\0').slice(0, 3), 'latin1'), L.symbologyOffset);
      report.set(chunk, L.dataOffset);
      report[L.continuedOffset] = offset + L.maxDataBytes < bytes.length ? 1 : 0;
      reports.push(report);
    }
    return reports;
  }

  scan(code: string | Uint8Array): void {
    for (const report of this.reportsFor(code)) this.sink.sendReport(report);
  }
}

/** One report and how long after the previous one it goes out. */
export interface TimedReport {
  report: Uint8Array;
  afterMs: number;
}

const LEFT_SHIFT = 0x02;
const LEFT_ALT = 0x04;
const ENTER = 0x28;

/** US layout: character → [usage, needs shift] */
const US_KEYS = new Map<string, [number, boolean]>();
for (let i = 0; i < 26; i++) {
  US_KEYS.set(String.fromCharCode(0x61 + i), [0x04 + i, false]);
  US_KEYS.set(String.fromCharCode(0x41 + i), [0x04 + i, true]);
}
'1234567890'.split('').forEach((digit, i) => US_KEYS.set(digit, [0x1e + i, false]));
'!@#$%^&*()'.split('').forEach((symbol, i) => US_KEYS.set(symbol, [0x1e + i, true]));
for (const [usage, plain, shifted] of [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
] as const) {
  US_KEYS.set(plain, [usage, false]);
  if (shifted !== plain) US_KEYS.set(shifted, [usage, true]);
}
const KEYPAD_USAGE: Record<string, number> = {
  '1': 0x59,
  '2': 0x5a,
  '3': 0x5b,
  '4': 0x5c,
  '5': 0x5d,
  '6': 0x5e,
  '7': 0x5f,
  '8': 0x60,
  '9': 0x61,
  '0': 0x62,
};

export interface KeyboardWedgeEmulatorOptions {
  /** time between two reports (a press and its release, a release and the next press) */
  reportGapMs?: number;
  /** the report-id byte some scanners put in front of keyboard reports */
  reportId?: number;
}

export class KeyboardWedgeEmulator {
  private readonly reportGapMs: number;
  private readonly reportId: number | undefined;

  constructor(
    private readonly sink: HidReportSink,
    options: KeyboardWedgeEmulatorOptions = {},
  ) {
    this.reportGapMs = options.reportGapMs ?? 2;
    this.reportId = options.reportId;
  }

  /** The reports a scanner sends for `text`, Enter-terminated unless `enter` is false. */
  reportsFor(text: string, { enter = true, reportGapMs = this.reportGapMs } = {}): TimedReport[] {
    const reports: TimedReport[] = [];
    const key = (modifiers: number, usage: number) => {
      reports.push({ report: this.report(modifiers, usage), afterMs: reportGapMs });
      reports.push({ report: this.report(modifiers & LEFT_ALT, 0), afterMs: reportGapMs });
    };
    for (const char of text) {
      const us = US_KEYS.get(char);
      if (us) {
        key(us[1] ? LEFT_SHIFT : 0, us[0]);
        continue;
      }
      // Alt mode: hold Alt, type the decimal GBK code on the keypad, release Alt.
      reports.push({ report: this.report(LEFT_ALT, 0), afterMs: reportGapMs });
      for (const digit of String(gbkCodeOf(char))) key(LEFT_ALT, KEYPAD_USAGE[digit]!);
      reports.push({ report: this.report(0, 0), afterMs: reportGapMs });
    }
    if (enter) key(0, ENTER);
    return reports;
  }

  /** Plays a scan in real time (or fake time, under fake timers). */
  scan(text: string, options: { enter?: boolean } = {}): Promise<void> {
    return this.play(this.reportsFor(text, options));
  }

  /** A person typing on this keyboard: the same reports, `keyGapMs` apart. */
  type(text: string, { keyGapMs = 150, enter = true } = {}): Promise<void> {
    return this.play(this.reportsFor(text, { enter, reportGapMs: keyGapMs / 2 }));
  }

  async play(reports: readonly TimedReport[]): Promise<void> {
    for (const { report, afterMs } of reports) {
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      this.sink.sendReport(report);
    }
  }

  private report(modifiers: number, usage: number): Uint8Array {
    const body = Uint8Array.of(modifiers, 0, usage, 0, 0, 0, 0, 0);
    return this.reportId === undefined ? body : Uint8Array.of(this.reportId, ...body);
  }
}
