/**
 * Pure framing for binary request/response devices (serial card readers): STX, a big-endian body length,
 * the body, a checksum over length and body, ETX. Bytes in, whole checked bodies out.
 *
 * Like DelimiterParser it owns no timer: the caller passes `now` with each chunk and calls `expireIdle(now)`
 * at `idleDeadline()`. Unlike a text line, a binary frame cannot be re-synchronised on a terminator, so a
 * candidate frame that fails (bad length, checksum or ETX, or goes stale) gives up only its STX byte and the
 * bytes after it are searched again: a stray 0x02 in line noise can delay the real frame behind it, never
 * swallow it. A body is emitted only when its checksum and ETX match — never a guess.
 */

export interface LengthPrefixedFrameSpec {
  /** first byte of every frame (STX) */
  start: number;
  /** last byte of every frame (ETX) */
  end: number;
  /** size of the big-endian body length that follows `start` */
  lengthBytes: 1 | 2;
  /** over the length bytes and the body: XOR of all (BCC), or their sum modulo 256 */
  checksum: 'xor' | 'sum8';
  /** longest body accepted; a longer declared length is treated as noise */
  maxBodyBytes: number;
}

export type LengthFrameDropReason =
  | 'noise' // bytes outside any frame (power-up garbage, wrong baud rate)
  | 'bad-length' // declared length 0 or above maxBodyBytes
  | 'bad-checksum'
  | 'bad-end' // no ETX where the length says the frame ends
  | 'idle-timeout' // the device stopped mid-frame
  | 'interrupted'; // reset (connection lost) with a frame pending

export interface LengthFrameDrop {
  reason: LengthFrameDropReason;
  byteLength: number;
}

export interface LengthPrefixedParserOptions {
  spec: LengthPrefixedFrameSpec;
  /** inter-byte gap after which a pending frame is given up; 0 or absent = never */
  idleMs?: number;
  onFrame: (body: Uint8Array) => void;
  onDrop: (drop: LengthFrameDrop) => void;
}

export function frameChecksum(kind: LengthPrefixedFrameSpec['checksum'], bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value = kind === 'xor' ? value ^ byte : (value + byte) & 0xff;
  return value;
}

/** The frame for `body`, as a device (or its emulator) puts it on the wire. */
export function encodeLengthPrefixedFrame(spec: LengthPrefixedFrameSpec, body: Uint8Array): Uint8Array {
  if (body.length < 1 || body.length > spec.maxBodyBytes) {
    throw new RangeError(`body of ${body.length} bytes does not fit 1..${spec.maxBodyBytes}`);
  }
  const frame = new Uint8Array(1 + spec.lengthBytes + body.length + 2);
  frame[0] = spec.start;
  if (spec.lengthBytes === 2) frame[1] = body.length >> 8;
  frame[spec.lengthBytes] = body.length & 0xff;
  frame.set(body, 1 + spec.lengthBytes);
  frame[frame.length - 2] = frameChecksum(spec.checksum, frame.subarray(1, frame.length - 2));
  frame[frame.length - 1] = spec.end;
  return frame;
}

export class LengthPrefixedParser {
  private readonly spec: LengthPrefixedFrameSpec;
  private readonly idleMs: number;
  private readonly onFrame: (body: Uint8Array) => void;
  private readonly onDrop: (drop: LengthFrameDrop) => void;
  private readonly headerBytes: number;

  /** bytes from a candidate STX on; buffer[0] is always `start` when length > 0 */
  private buffer: Uint8Array;
  private length = 0;
  /** noise bytes skipped since the last frame or report */
  private noiseBytes = 0;
  /**
   * Bytes at the front of the buffer that belong to a frame already reported as dropped. Candidates found
   * inside it are searched but fail silently: one corrupt frame is one warning, not one per stray 0x02.
   */
  private quietBytes = 0;
  private lastByteAt = 0;

  constructor(options: LengthPrefixedParserOptions) {
    const { spec } = options;
    for (const [name, byte] of [
      ['start', spec.start],
      ['end', spec.end],
    ] as const) {
      if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) throw new RangeError(`${name} ${byte} is not a byte`);
    }
    const maxLength = spec.lengthBytes === 1 ? 0xff : 0xffff;
    if (!Number.isInteger(spec.maxBodyBytes) || spec.maxBodyBytes < 1 || spec.maxBodyBytes > maxLength) {
      throw new RangeError(`maxBodyBytes must be 1..${maxLength}, got ${spec.maxBodyBytes}`);
    }
    this.spec = spec;
    this.idleMs = options.idleMs ?? 0;
    this.onFrame = options.onFrame;
    this.onDrop = options.onDrop;
    this.headerBytes = 1 + spec.lengthBytes;
    this.buffer = new Uint8Array(this.headerBytes + spec.maxBodyBytes + 2);
  }

  /** Feeds one chunk as read from the device; `now` is a monotonic time in ms (needed only with idleMs). */
  push(chunk: Uint8Array, now = 0): void {
    if (chunk.length === 0) return;
    this.expireIdle(now);
    this.lastByteAt = now;
    for (let offset = 0; offset < chunk.length;) {
      if (this.length === 0) {
        offset = this.hunt(chunk, offset);
        continue;
      }
      // Copy only what the candidate can still use; the rest is read after it is decided.
      const room = this.candidateNeeds() - this.length;
      const take = Math.min(room, chunk.length - offset);
      this.buffer.set(chunk.subarray(offset, offset + take), this.length);
      this.length += take;
      offset += take;
      this.decideCandidates();
    }
  }

  /** When a pending frame (or noise run) goes stale, or undefined when nothing is pending (or no idleMs). */
  idleDeadline(): number | undefined {
    return this.idleMs > 0 && (this.length > 0 || this.noiseBytes > 0) ? this.lastByteAt + this.idleMs : undefined;
  }

  /** Gives up a pending frame whose last byte is idleMs old, searching what followed its STX again. */
  expireIdle(now: number): boolean {
    const deadline = this.idleDeadline();
    if (deadline === undefined || now < deadline) return false;
    this.reportNoise();
    if (this.length > 0) {
      this.onDrop({ reason: 'idle-timeout', byteLength: this.length });
      // Everything buffered is equally stale: a whole frame behind the stale STX is still good, but what is
      // not whole by now will not become whole.
      this.quietBytes = this.length;
      while (this.length > 0) {
        this.consume(1);
        this.decideCandidates();
      }
    }
    return true;
  }

  /** Discards any pending frame, e.g. when the connection is lost: its tail will never come. */
  reset(): void {
    this.reportNoise();
    if (this.length > 0) this.onDrop({ reason: 'interrupted', byteLength: this.length });
    this.length = 0;
    this.quietBytes = 0;
  }

  get hasPartialFrame(): boolean {
    return this.length > 0;
  }

  /** Skips to the next STX in `chunk` from `offset`; returns where reading continues. */
  private hunt(chunk: Uint8Array, offset: number): number {
    const at = chunk.indexOf(this.spec.start, offset);
    // The buffer is empty, so no dropped frame's span reaches into the chunk: all of this is noise.
    this.noiseBytes += (at < 0 ? chunk.length : at) - offset;
    if (at < 0) return chunk.length;
    this.reportNoise();
    this.buffer[0] = this.spec.start;
    this.length = 1;
    return at + 1;
  }

  /** Bytes the candidate at buffer[0] needs before it can be decided. */
  private candidateNeeds(): number {
    if (this.length < this.headerBytes) return this.headerBytes;
    const bodyLength = this.declaredLength();
    return bodyLength < 1 || bodyLength > this.spec.maxBodyBytes ? this.headerBytes : this.headerBytes + bodyLength + 2;
  }

  /** Emits or rejects candidates until one needs more bytes than are buffered. */
  private decideCandidates(): void {
    while (this.length > 0 && this.length >= this.candidateNeeds()) {
      const bodyLength = this.declaredLength();
      if (bodyLength < 1 || bodyLength > this.spec.maxBodyBytes) {
        this.fail('bad-length', this.headerBytes);
        continue;
      }
      const total = this.headerBytes + bodyLength + 2;
      const checksum = frameChecksum(this.spec.checksum, this.buffer.subarray(1, total - 2));
      if (this.buffer[total - 2] !== checksum) {
        this.fail('bad-checksum', total);
        continue;
      }
      if (this.buffer[total - 1] !== this.spec.end) {
        this.fail('bad-end', total);
        continue;
      }
      const body = this.buffer.slice(this.headerBytes, this.headerBytes + bodyLength);
      this.consume(total);
      this.onFrame(body);
    }
  }

  /** Drops the candidate's STX only and searches the bytes after it again. */
  private fail(reason: LengthFrameDropReason, byteLength: number): void {
    if (this.quietBytes === 0) {
      this.onDrop({ reason, byteLength });
      this.quietBytes = byteLength;
    }
    this.consume(1);
  }

  /** Removes `count` bytes from the front, then any noise up to the next STX. */
  private consume(count: number): void {
    this.buffer.copyWithin(0, count, this.length);
    this.length -= count;
    this.quietBytes = Math.max(0, this.quietBytes - count);
    if (this.length === 0) return;
    const next = this.buffer.subarray(0, this.length).indexOf(this.spec.start);
    const skipped = next < 0 ? this.length : next;
    if (skipped === 0) return;
    const quiet = Math.min(skipped, this.quietBytes);
    this.quietBytes -= quiet;
    this.noiseBytes += skipped - quiet;
    this.buffer.copyWithin(0, skipped, this.length);
    this.length -= skipped;
    if (this.length > 0) this.reportNoise();
  }

  private declaredLength(): number {
    return this.spec.lengthBytes === 2 ? (this.buffer[1]! << 8) | this.buffer[2]! : this.buffer[1]!;
  }

  private reportNoise(): void {
    if (this.noiseBytes === 0) return;
    const byteLength = this.noiseBytes;
    this.noiseBytes = 0;
    this.onDrop({ reason: 'noise', byteLength });
  }
}
