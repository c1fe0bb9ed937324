/**
 * msgid = fixmedins_code (12) + yyyyMMddHHmmss (14) + sequence (4) = 30 characters. It must be unique forever:
 * it is the key a 2601 reversal names and what reconciliation matches, so the station persists each one
 * *before* the request leaves (see MsgIdAllocator).
 */
import { compactBeijingTime } from './beijing-time';

export const MSGID_LENGTH = 30;
const INSTITUTION_CODE_RE = /^[A-Za-z0-9]{12}$/;
const MAX_SEQ = 9999;

export function formatMsgid(fixmedinsCode12: string, date: Date, seq: number): string {
  if (!INSTITUTION_CODE_RE.test(fixmedinsCode12)) {
    throw new RangeError(`fixmedins_code must be 12 letters or digits, got ${JSON.stringify(fixmedinsCode12)}`);
  }
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw new RangeError(`msgid sequence must be 0..9999, got ${seq}`);
  return `${fixmedinsCode12}${compactBeijingTime(date)}${String(seq).padStart(4, '0')}`;
}

/** Hands out msgids. The station's implementation is persistent, so ids stay unique across restarts. */
export interface MsgIdAllocator {
  next(now: Date): string;
}

/**
 * In-memory allocator for tests and training: sequence 1..9999 within each second. If the clock steps back,
 * it keeps counting from the last second it used — uniqueness matters more than the timestamp being exact.
 */
export class MemoryMsgIdAllocator implements MsgIdAllocator {
  private lastStamp = '';
  private lastSecond = -Infinity;
  private seq = 0;

  constructor(private readonly fixmedinsCode: string) {
    formatMsgid(fixmedinsCode, new Date(0), 0); // validates the code now rather than on first use
  }

  next(now: Date): string {
    const second = Math.floor(now.getTime() / 1000);
    if (second > this.lastSecond) {
      this.lastSecond = second;
      this.lastStamp = compactBeijingTime(now);
      this.seq = 0;
    }
    this.seq += 1;
    if (this.seq > MAX_SEQ) throw new Error('msgid sequence exhausted for this second');
    return `${this.fixmedinsCode}${this.lastStamp}${String(this.seq).padStart(4, '0')}`;
  }
}
