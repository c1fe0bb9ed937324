/**
 * Pure framing for line-oriented devices (serial/CDC scan boxes): bytes in, whole text frames out.
 *
 * No streams, timers or clock: the caller passes `now` with every chunk and asks `expireIdle(now)` when
 * `idleDeadline()` is reached, so the framing is deterministic and testable byte by byte. Modelled on
 * node-serialport's `parser-delimiter` + `parser-inter-byte-timeout`, but stricter because a scanned code goes
 * on to a payment or insurance call: a frame is emitted whole and valid, or it is dropped with a reason —
 * never truncated, never with noise in it.
 */
import { decodeCodeText } from './code-text';

export const CR = 0x0d;
export const LF = 0x0a;

/** Why a frame was dropped; the driver turns these into operator-facing warnings. */
export type FrameDropReason =
  | 'too-long' // more than maxFrameBytes before the terminator
  | 'control-byte' // a non-printable byte inside the frame (line noise, power-up garbage, wrong baud rate)
  | 'invalid-utf8'
  | 'idle-timeout' // the device stopped mid-frame for longer than idleMs
  | 'interrupted'; // the caller reset the parser (connection lost) with a partial frame pending

export interface FrameDrop {
  reason: FrameDropReason;
  /** bytes of the dropped frame seen so far, terminator excluded */
  byteLength: number;
}

export interface DelimiterParserOptions {
  /**
   * Bytes that end a frame. Default CR and LF: with empty frames ignored, a device configured for CR, LF or
   * CR LF works unchanged, and a scanner whose suffix was switched by a stray config barcode keeps working.
   */
  terminators?: readonly number[];
  /** longest frame accepted, terminator excluded */
  maxFrameBytes: number;
  /** inter-byte gap after which a partial frame is discarded; 0 or absent = never */
  idleMs?: number;
  onFrame: (text: string) => void;
  onDrop: (drop: FrameDrop) => void;
}

export class DelimiterParser {
  private readonly isTerminator = new Uint8Array(256);
  private readonly maxFrameBytes: number;
  private readonly idleMs: number;
  private readonly onFrame: (text: string) => void;
  private readonly onDrop: (drop: FrameDrop) => void;

  /** bytes of the current frame, only the first maxFrameBytes are kept */
  private readonly buffer: Uint8Array;
  /** bytes of the current frame seen so far, including those beyond maxFrameBytes */
  private frameLength = 0;
  private lastByteAt = 0;

  constructor(options: DelimiterParserOptions) {
    if (!Number.isInteger(options.maxFrameBytes) || options.maxFrameBytes < 1) {
      throw new RangeError(`maxFrameBytes must be a positive integer, got ${options.maxFrameBytes}`);
    }
    const terminators = options.terminators ?? [CR, LF];
    if (terminators.length === 0) throw new RangeError('at least one terminator byte is needed');
    for (const byte of terminators) {
      if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) throw new RangeError(`terminator ${byte} is not a byte`);
      this.isTerminator[byte] = 1;
    }
    this.maxFrameBytes = options.maxFrameBytes;
    this.idleMs = options.idleMs ?? 0;
    this.onFrame = options.onFrame;
    this.onDrop = options.onDrop;
    this.buffer = new Uint8Array(options.maxFrameBytes);
  }

  /** Feeds one chunk as read from the device; `now` is a monotonic time in ms (needed only with idleMs). */
  push(chunk: Uint8Array, now = 0): void {
    if (chunk.length === 0) return;
    // A timer can fire late; the timestamps decide, so a stale partial never glues onto fresh bytes.
    this.expireIdle(now);
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.isTerminator[byte] === 1) {
        this.endFrame();
        continue;
      }
      if (this.frameLength < this.maxFrameBytes) this.buffer[this.frameLength] = byte;
      this.frameLength++;
    }
    this.lastByteAt = now;
  }

  /** When a pending partial frame goes stale, or undefined when nothing is pending (or no idleMs). */
  idleDeadline(): number | undefined {
    return this.idleMs > 0 && this.frameLength > 0 ? this.lastByteAt + this.idleMs : undefined;
  }

  /** Discards a partial frame whose last byte is idleMs old or older. Returns whether it dropped one. */
  expireIdle(now: number): boolean {
    const deadline = this.idleDeadline();
    if (deadline === undefined || now < deadline) return false;
    this.dropPartial('idle-timeout');
    return true;
  }

  /** Discards any partial frame, e.g. when the connection is lost: its tail will never come. */
  reset(): void {
    if (this.frameLength > 0) this.dropPartial('interrupted');
  }

  get hasPartialFrame(): boolean {
    return this.frameLength > 0;
  }

  private endFrame(): void {
    const length = this.frameLength;
    if (length === 0) return; // the LF of a CR LF, or a blank line
    this.clear();
    if (length > this.maxFrameBytes) return this.onDrop({ reason: 'too-long', byteLength: length });
    const decoded = decodeCodeText(this.buffer.subarray(0, length));
    if (!decoded.ok) return this.onDrop({ reason: decoded.problem, byteLength: length });
    this.onFrame(decoded.text);
  }

  private dropPartial(reason: 'idle-timeout' | 'interrupted'): void {
    const length = this.frameLength;
    this.clear();
    this.onDrop({ reason: length > this.maxFrameBytes ? 'too-long' : reason, byteLength: length });
  }

  private clear(): void {
    this.frameLength = 0;
  }
}
