/**
 * Keyboard-wedge scanners: a scan box that presents itself as a USB keyboard and "types" each code, ending
 * it with Enter. Two pure stages:
 *
 * 1. BootKeyboardReader turns boot-protocol keyboard reports (modifier bits, a reserved byte, up to six
 *    pressed usages) into key presses, by comparing each report with the one before it.
 * 2. KeyboardWedgeDecoder turns key presses into codes. A scanner types a whole code in a quick burst, a
 *    person does not: a burst whose keys come `maxKeyGapMs` or more apart, or that is too short, is typing,
 *    not a scan. Characters outside ASCII arrive as Alt + keypad digits holding their GBK code (the "Alt
 *    mode" Chinese scanners use for 汉字), which is decoded here rather than left to an IME.
 *
 * Times are passed in by the caller (monotonic ms); the decoder owns no timer.
 */
import { hasControlCharacter } from './code-text';
import { characterForUsage, isEnter, keypadDigit, USAGE_ROLLOVER_ERROR } from './keymap';

export type KeyEvent =
  | { kind: 'press'; usage: number; shift: boolean; alt: boolean; ctrl: boolean }
  /** both Alt keys are up again: an Alt + keypad character entry is complete */
  | { kind: 'alt-released' };

const MODIFIER = { ctrl: 0x11, shift: 0x22, alt: 0x44 } as const; // left | right

export class BootKeyboardReader {
  private pressed = new Set<number>();
  private altHeld = false;

  /** @param reportId the id byte in front of each report when the device numbers its reports */
  constructor(private readonly reportId?: number) {}

  read(report: Uint8Array): KeyEvent[] {
    const offset = this.reportId === undefined ? 0 : 1;
    if (this.reportId !== undefined && report[0] !== this.reportId) return [];
    if (report.length < offset + 3) return [];
    const modifiers = report[offset]!;
    const usages = [...report.subarray(offset + 2, offset + 8)].filter((usage) => usage !== 0);
    // Phantom state: the keyboard cannot tell which keys are down. Keep the last good state.
    if (usages.includes(USAGE_ROLLOVER_ERROR)) return [];

    const events: KeyEvent[] = [];
    const flags = {
      shift: (modifiers & MODIFIER.shift) !== 0,
      alt: (modifiers & MODIFIER.alt) !== 0,
      ctrl: (modifiers & MODIFIER.ctrl) !== 0,
    };
    for (const usage of usages) {
      if (!this.pressed.has(usage)) events.push({ kind: 'press', usage, ...flags });
    }
    if (this.altHeld && !flags.alt) events.push({ kind: 'alt-released' });
    this.altHeld = flags.alt;
    this.pressed = new Set(usages);
    return events;
  }

  /** Forgets held keys, e.g. after the device was lost. */
  reset(): void {
    this.pressed.clear();
    this.altHeld = false;
  }
}

export type WedgeDropReason =
  | 'typing' // slow or short: a person typing, not a scan
  | 'idle-timeout' // a quick burst that stopped without Enter
  | 'too-long'
  | 'unknown-key' // a key that types no character (F-key, arrow, Ctrl+…) inside a code
  | 'invalid-char'; // an Alt + keypad code that is no character

export interface WedgeDrop {
  reason: WedgeDropReason;
  /** characters typed in the dropped burst */
  length: number;
}

export interface KeyboardWedgeDecoderOptions {
  /** a gap this long between two keys ends the burst: a scanner types faster */
  maxKeyGapMs: number;
  /** shortest code a scan can be; shorter bursts are typing */
  minCodeLength: number;
  maxCodeLength: number;
  onCode: (code: string) => void;
  onDrop: (drop: WedgeDrop) => void;
}

const gbk = new TextDecoder('gbk', { fatal: true });

export class KeyboardWedgeDecoder {
  private readonly options: KeyboardWedgeDecoderOptions;
  private chars: string[] = [];
  private keysInBurst = 0;
  private lastKeyAt = 0;
  /** keypad digits typed while Alt is held, or null outside an Alt entry */
  private altDigits: string | null = null;
  private spoiled: WedgeDropReason | null = null;

  constructor(options: KeyboardWedgeDecoderOptions) {
    if (options.minCodeLength < 1 || options.maxCodeLength < options.minCodeLength) {
      throw new RangeError('need 1 <= minCodeLength <= maxCodeLength');
    }
    this.options = options;
  }

  feed(event: KeyEvent, now: number): void {
    this.expireIdle(now);
    if (event.kind === 'alt-released') return this.completeAltEntry();
    if (isEnter(event.usage) && !event.alt && !event.ctrl) return this.endBurst();
    this.keysInBurst++;
    this.lastKeyAt = now;
    const digit = keypadDigit(event.usage);
    if (event.alt && !event.ctrl && digit !== undefined) {
      this.altDigits = (this.altDigits ?? '') + digit;
      return;
    }
    const char = event.alt || event.ctrl ? undefined : characterForUsage(event.usage, event.shift);
    if (char === undefined) return this.spoil('unknown-key');
    this.append(char);
  }

  /** When the current burst goes stale, or undefined when no burst is open. */
  idleDeadline(): number | undefined {
    return this.keysInBurst > 0 ? this.lastKeyAt + this.options.maxKeyGapMs : undefined;
  }

  /** Ends a burst whose last key is maxKeyGapMs old: a scan cut short, or typing. */
  expireIdle(now: number): boolean {
    const deadline = this.idleDeadline();
    if (deadline === undefined || now < deadline) return false;
    const looksLikeScan = this.chars.length >= this.options.minCodeLength && this.spoiled === null;
    this.drop(looksLikeScan ? 'idle-timeout' : 'typing');
    return true;
  }

  /** Drops an open burst without a report, e.g. when the device was lost. */
  reset(): void {
    this.clear();
  }

  /** Enter: a stale burst was already ended by expireIdle, so what is open here was typed quickly. */
  private endBurst(): void {
    if (this.keysInBurst === 0) return; // Enter on its own
    if (this.spoiled) return this.drop(this.spoiled);
    if (this.chars.length < this.options.minCodeLength) return this.drop('typing');
    const code = this.chars.join('');
    this.clear();
    this.options.onCode(code);
  }

  private completeAltEntry(): void {
    const digits = this.altDigits;
    this.altDigits = null;
    if (digits === null) return;
    const char = characterForCodePoint936(Number(digits));
    if (char === undefined) return this.spoil('invalid-char');
    this.append(char);
  }

  private append(char: string): void {
    if (this.chars.length >= this.options.maxCodeLength) return this.spoil('too-long');
    this.chars.push(char);
  }

  private spoil(reason: WedgeDropReason): void {
    this.spoiled ??= reason;
  }

  private drop(reason: WedgeDropReason): void {
    const length = this.chars.length;
    this.clear();
    this.options.onDrop({ reason, length });
  }

  private clear(): void {
    this.chars = [];
    this.keysInBurst = 0;
    this.altDigits = null;
    this.spoiled = null;
  }
}

/**
 * The character of an Alt + keypad number on a Chinese Windows code page (936, GBK): one byte for ASCII, two
 * bytes (high, low) for 汉字. Leading zeros (the "ANSI" form) change nothing on code page 936.
 */
export function characterForCodePoint936(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0x20 || value > 0xfefe) return undefined;
  if (value < 0x80) return value === 0x7f ? undefined : String.fromCharCode(value);
  if (value < 0x8140) return undefined;
  try {
    const char = gbk.decode(Uint8Array.of(value >> 8, value & 0xff));
    return char.length > 0 && !hasControlCharacter(char) && !char.includes('\ufffd') ? char : undefined;
  } catch {
    return undefined;
  }
}
