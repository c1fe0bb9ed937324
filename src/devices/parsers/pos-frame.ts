/**
 * The bank-card POS terminal's framing (our UnionPay-style serial protocol, docs in pos-messages.ts): a frame is
 * STX, the payload length as 2 bytes of BCD (0001..9999), the payload, ETX, and an LRC — the XOR of every byte
 * from the length through ETX. Each side answers a good frame with ACK (0x06) and a damaged one with NAK (0x15),
 * single bytes between frames. Bytes in, checked payloads and ACK/NAK out; nothing is guessed.
 *
 * A candidate that fails (length not BCD or out of range, no ETX where the length says, LRC wrong) gives up only
 * its STX byte and the bytes after it are searched again, so a stray 0x02 in line noise cannot swallow the real
 * frame behind it.
 */

export const POS_BYTES = { STX: 0x02, ETX: 0x03, ACK: 0x06, NAK: 0x15, FS: 0x1c } as const;

export type PosFrameDropReason = 'noise' | 'bad-length' | 'bad-end' | 'bad-lrc' | 'idle-timeout' | 'interrupted';

export type PosFrameEvent =
  | { kind: 'frame'; payload: Uint8Array }
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'drop'; reason: PosFrameDropReason; byteLength: number };

/** XOR of the bytes (the frame's LRC is over length, payload and ETX). */
export function lrc(bytes: Uint8Array): number {
  let value = 0;
  for (const b of bytes) value ^= b;
  return value;
}

const bcdByte = (n: number) => ((Math.floor(n / 10) % 10) << 4) | (n % 10);
const fromBcd = (b: number) => (b >> 4 > 9 || (b & 0x0f) > 9 ? -1 : (b >> 4) * 10 + (b & 0x0f));

/** The frame for `payload`, as either side puts it on the wire. */
export function encodePosFrame(payload: Uint8Array): Uint8Array {
  if (payload.length < 1 || payload.length > 9999) throw new RangeError(`payload of ${payload.length} bytes does not fit 1..9999`);
  const frame = new Uint8Array(payload.length + 5);
  frame[0] = POS_BYTES.STX;
  frame[1] = bcdByte(Math.floor(payload.length / 100));
  frame[2] = bcdByte(payload.length % 100);
  frame.set(payload, 3);
  frame[frame.length - 2] = POS_BYTES.ETX;
  frame[frame.length - 1] = lrc(frame.subarray(1, frame.length - 1));
  return frame;
}

export class PosFrameParser {
  private pending = new Uint8Array(0);
  private lastByteAt = 0;

  constructor(
    private readonly maxPayloadBytes: number,
    private readonly onEvent: (event: PosFrameEvent) => void,
    /** inter-byte gap after which a partial frame is given up; 0 = never (the caller runs the timer: idleDeadline) */
    private readonly idleMs = 0,
  ) {}

  /** Feeds one chunk; `now` is a monotonic time in ms (needed only with idleMs). */
  push(chunk: Uint8Array, now = 0): void {
    this.expireIdle(now);
    this.lastByteAt = now;
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    this.pending = joined;
    this.decide();
  }

  /** The connection went away: a partial frame's tail will never come. */
  reset(): void {
    if (this.pending.length > 0) this.onEvent({ kind: 'drop', reason: 'interrupted', byteLength: this.pending.length });
    this.pending = new Uint8Array(0);
  }

  idleDeadline(): number | undefined {
    return this.idleMs > 0 && this.pending.length > 0 ? this.lastByteAt + this.idleMs : undefined;
  }

  /** Gives up a partial frame whose last byte is idleMs old (the terminal stopped mid-frame). */
  expireIdle(now: number): boolean {
    const deadline = this.idleDeadline();
    if (deadline === undefined || now < deadline) return false;
    this.onEvent({ kind: 'drop', reason: 'idle-timeout', byteLength: this.pending.length });
    this.pending = new Uint8Array(0);
    return true;
  }

  get hasPartialFrame(): boolean {
    return this.pending.length > 0;
  }

  private decide(): void {
    let at = 0;
    const p = this.pending;
    const drop = (reason: PosFrameDropReason, byteLength: number) => this.onEvent({ kind: 'drop', reason, byteLength });
    while (at < p.length) {
      const b = p[at]!;
      if (b === POS_BYTES.ACK || b === POS_BYTES.NAK) {
        this.onEvent({ kind: b === POS_BYTES.ACK ? 'ack' : 'nak' });
        at += 1;
        continue;
      }
      if (b !== POS_BYTES.STX) {
        let end = at;
        while (end < p.length && ![POS_BYTES.STX, POS_BYTES.ACK, POS_BYTES.NAK].includes(p[end] as 0x02)) end += 1;
        drop('noise', end - at);
        at = end;
        continue;
      }
      if (p.length - at < 3) break;
      const hi = fromBcd(p[at + 1]!);
      const lo = fromBcd(p[at + 2]!);
      const length = hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
      if (length < 1 || length > this.maxPayloadBytes) {
        drop('bad-length', 1);
        at += 1;
        continue;
      }
      const total = length + 5;
      if (p.length - at < total) break;
      if (p[at + total - 2] !== POS_BYTES.ETX) {
        drop('bad-end', 1);
        at += 1;
        continue;
      }
      if (lrc(p.subarray(at + 1, at + total - 1)) !== p[at + total - 1]) {
        drop('bad-lrc', total);
        at += 1;
        continue;
      }
      this.onEvent({ kind: 'frame', payload: p.slice(at + 3, at + 3 + length) });
      at += total;
    }
    this.pending = p.slice(at);
  }
}
