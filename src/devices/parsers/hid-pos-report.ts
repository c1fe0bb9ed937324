/**
 * Pure assembly of codes from HID POS scanned-data reports (usage page 0x8C, "HID Point of Sale Usage Tables"
 * 1.02): each report carries a byte count and up to a fixed number of code bytes, and a flag saying whether
 * more reports of the same code follow. Reports in, whole codes out.
 *
 * USB already checks every report (CRC), so there is no checksum to verify; what can go wrong is a layout we
 * do not understand (a count beyond the report), a code whose last report never comes, and bytes that are no
 * text. Like the other parsers it owns no timer: the caller passes `now` and calls `expireIdle`.
 */
import { decodeCodeText, type CodeTextProblem } from './code-text';

/** Where the fields sit in a scanned-data report as node-hid delivers it (numbered reports keep their id). */
export interface HidPosReportLayout {
  /** report id of scanned-data reports; reports with other ids (status, attributes) are not codes */
  reportId: number;
  /** offset of the count of code bytes in this report */
  lengthOffset: number;
  /** offset of the first code byte */
  dataOffset: number;
  /** most code bytes one report can carry */
  maxDataBytes: number;
  /** offset of the "more reports follow" flag (non-zero = continued) */
  continuedOffset: number;
}

export type HidPosDropReason =
  | 'malformed' // a scanned-data report whose count does not fit the layout
  | 'too-long'
  | CodeTextProblem
  | 'idle-timeout' // a continued code whose next report never came
  | 'interrupted'; // reset (device lost) in the middle of a continued code

export interface HidPosDrop {
  reason: HidPosDropReason;
  byteLength: number;
}

export interface HidPosAssemblerOptions {
  layout: HidPosReportLayout;
  maxCodeBytes: number;
  /** gap after which a continued code is given up; 0 or absent = never */
  idleMs?: number;
  onCode: (code: string) => void;
  onDrop: (drop: HidPosDrop) => void;
}

const CR = 0x0d;
const LF = 0x0a;

export class HidPosAssembler {
  private readonly layout: HidPosReportLayout;
  private readonly maxCodeBytes: number;
  private readonly idleMs: number;
  private readonly onCode: (code: string) => void;
  private readonly onDrop: (drop: HidPosDrop) => void;
  private readonly minReportBytes: number;
  private readonly code: Uint8Array;
  /** code bytes received so far, counting those beyond maxCodeBytes */
  private codeLength = 0;
  /** a continued code is pending */
  private continued = false;
  private lastReportAt = 0;

  constructor(options: HidPosAssemblerOptions) {
    const { layout } = options;
    if (!Number.isInteger(options.maxCodeBytes) || options.maxCodeBytes < 1) {
      throw new RangeError(`maxCodeBytes must be a positive integer, got ${options.maxCodeBytes}`);
    }
    if (layout.maxDataBytes < 1 || layout.dataOffset <= layout.lengthOffset) {
      throw new RangeError('the report layout leaves no room for code bytes');
    }
    this.layout = layout;
    this.maxCodeBytes = options.maxCodeBytes;
    this.idleMs = options.idleMs ?? 0;
    this.onCode = options.onCode;
    this.onDrop = options.onDrop;
    this.minReportBytes = Math.max(layout.lengthOffset, layout.continuedOffset) + 1;
    this.code = new Uint8Array(options.maxCodeBytes);
  }

  /** Feeds one input report; `now` is monotonic ms (needed only with idleMs). */
  push(report: Uint8Array, now = 0): void {
    this.expireIdle(now);
    if (report[0] !== this.layout.reportId) return;
    const count = report.length >= this.minReportBytes ? report[this.layout.lengthOffset]! : -1;
    if (count < 0 || count > this.layout.maxDataBytes || this.layout.dataOffset + count > report.length) {
      // The count cannot be trusted, so neither can the rest of a code it was part of.
      const byteLength = this.codeLength + Math.max(0, report.length - this.layout.dataOffset);
      this.clear();
      this.onDrop({ reason: 'malformed', byteLength });
      return;
    }
    this.append(report.subarray(this.layout.dataOffset, this.layout.dataOffset + count));
    this.lastReportAt = now;
    this.continued = report[this.layout.continuedOffset] !== 0;
    if (!this.continued) this.finish();
  }

  idleDeadline(): number | undefined {
    return this.idleMs > 0 && this.continued ? this.lastReportAt + this.idleMs : undefined;
  }

  expireIdle(now: number): boolean {
    const deadline = this.idleDeadline();
    if (deadline === undefined || now < deadline) return false;
    this.dropPending('idle-timeout');
    return true;
  }

  /** Discards a pending continued code, e.g. when the device is lost. */
  reset(): void {
    if (this.continued) this.dropPending('interrupted');
  }

  private append(bytes: Uint8Array): void {
    const room = this.maxCodeBytes - this.codeLength;
    if (room > 0) this.code.set(bytes.subarray(0, room), this.codeLength);
    this.codeLength += bytes.length;
  }

  private finish(): void {
    let length = this.codeLength;
    this.clear();
    if (length > this.maxCodeBytes) return this.onDrop({ reason: 'too-long', byteLength: length });
    // A scanner set up with a CR / CR LF suffix sends it in HID POS mode too; the code ends before it.
    if (length > 0 && this.code[length - 1] === LF) length--;
    if (length > 0 && this.code[length - 1] === CR) length--;
    if (length === 0) return; // an empty read: nothing was scanned
    const decoded = decodeCodeText(this.code.subarray(0, length));
    if (!decoded.ok) return this.onDrop({ reason: decoded.problem, byteLength: length });
    this.onCode(decoded.text);
  }

  private dropPending(reason: 'idle-timeout' | 'interrupted'): void {
    const byteLength = this.codeLength;
    this.clear();
    this.onDrop({ reason: byteLength > this.maxCodeBytes ? 'too-long' : reason, byteLength });
  }

  private clear(): void {
    this.codeLength = 0;
    this.continued = false;
  }
}
