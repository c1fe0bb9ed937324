/**
 * Property test: a stream of valid frames interleaved with every kind of garbage, cut into random chunks, must
 * yield exactly the valid frames in order and exactly one drop (with the right reason) per garbage frame.
 */
import { describe, expect, it } from 'vitest';
import { prng, type Rng } from '../testing/prng';
import { CR, DelimiterParser, LF, type FrameDropReason } from './delimiter-parser';

const MAX_FRAME_BYTES = 256;
const IDLE_MS = 50;
// Printable ASCII plus characters of 2, 3 and 4 UTF-8 bytes.
const ALPHABET = [...Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)), 'é', '医', '保', '凭', '证', '😀'];

/** Text as an array of per-character byte sequences, so garbage can be inserted at character boundaries. */
function randomChars(rng: Rng, minBytes: number, maxBytes: number): Uint8Array[] {
  const target = rng.int(minBytes, maxBytes);
  const chars: Uint8Array[] = [];
  let length = 0;
  while (length < target) {
    let char = Buffer.from(rng.pick(ALPHABET), 'utf8');
    if (length + char.length > maxBytes) char = Buffer.from('x');
    chars.push(char);
    length += char.length;
  }
  return chars;
}

const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

function insertAtBoundary(rng: Rng, chars: Uint8Array[], inserted: Uint8Array): Uint8Array {
  const at = rng.int(0, chars.length);
  return concat([...chars.slice(0, at), inserted, ...chars.slice(at)]);
}

const CONTROL_BYTES = [...Array.from({ length: 0x20 }, (_, i) => i).filter((b) => b !== CR && b !== LF), 0x7f];
// Each is invalid wherever it lands between whole characters (or at the end of the frame).
const INVALID_UTF8 = [[0xff], [0xfe], [0xc0, 0xaf], [0x80], [0xbf], [0xe5, 0x8c], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]];

type Segment =
  | { kind: 'valid'; bytes: Uint8Array; text: string }
  | { kind: 'garbage'; bytes: Uint8Array; reason: FrameDropReason }
  | { kind: 'abandoned'; bytes: Uint8Array; reason: FrameDropReason }; // no terminator, then an idle gap

function randomTerminator(rng: Rng): Uint8Array {
  const terminator = rng.pick([[CR], [LF], [CR, LF]]);
  const blankLines = rng.next() < 0.1 ? rng.pick([[CR], [LF], [CR, LF, CR, LF]]) : [];
  return Uint8Array.from([...terminator, ...blankLines]);
}

function randomSegment(rng: Rng): Segment {
  const roll = rng.next();
  if (roll < 0.6) {
    const text = Buffer.from(concat(randomChars(rng, 1, MAX_FRAME_BYTES))).toString('utf8');
    return { kind: 'valid', text, bytes: concat([Buffer.from(text, 'utf8'), randomTerminator(rng)]) };
  }
  const terminated = (body: Uint8Array, reason: FrameDropReason): Segment => ({
    kind: 'garbage',
    reason,
    bytes: concat([body, randomTerminator(rng)]),
  });
  if (roll < 0.7) {
    const body = insertAtBoundary(rng, randomChars(rng, 0, MAX_FRAME_BYTES - 1), Uint8Array.of(rng.pick(CONTROL_BYTES)));
    return terminated(body, 'control-byte');
  }
  if (roll < 0.8) {
    const invalid = Uint8Array.from(rng.pick(INVALID_UTF8));
    const body = insertAtBoundary(rng, randomChars(rng, 0, MAX_FRAME_BYTES - invalid.length), invalid);
    return terminated(body, 'invalid-utf8');
  }
  if (roll < 0.85) {
    const body = insertAtBoundary(rng, randomChars(rng, 0, MAX_FRAME_BYTES - 2), Buffer.from('\u0085', 'utf8'));
    return terminated(body, 'control-byte');
  }
  if (roll < 0.93) {
    const body = concat(randomChars(rng, MAX_FRAME_BYTES + 1, MAX_FRAME_BYTES * 3));
    // Over-long frames may carry noise too: length is what gets them dropped.
    const noisy = rng.next() < 0.3 ? concat([body, Uint8Array.of(0x00, 0xff)]) : body;
    return terminated(noisy, 'too-long');
  }
  const body = concat(randomChars(rng, 1, MAX_FRAME_BYTES + 40));
  return { kind: 'abandoned', bytes: body, reason: body.length > MAX_FRAME_BYTES ? 'too-long' : 'idle-timeout' };
}

function runFuzz(seed: number, segmentCount: number) {
  const rng = prng(seed);
  const segments = Array.from({ length: segmentCount }, () => randomSegment(rng));
  const frames: string[] = [];
  const drops: FrameDropReason[] = [];
  const parser = new DelimiterParser({
    maxFrameBytes: MAX_FRAME_BYTES,
    idleMs: IDLE_MS,
    onFrame: (text) => frames.push(text),
    onDrop: (drop) => drops.push(drop.reason),
  });

  let now = 0;
  for (const segment of segments) {
    // Random chunking, from single bytes to several frames' worth; chunks never span an idle gap.
    for (let offset = 0; offset < segment.bytes.length;) {
      const size = rng.next() < 0.2 ? 1 : rng.int(1, 600);
      parser.push(segment.bytes.subarray(offset, offset + size), (now += rng.int(0, 2)));
      offset += size;
    }
    if (segment.kind === 'abandoned') {
      now += IDLE_MS + rng.int(0, 20);
      // Half the time the idle timer fires; otherwise the next chunk's timestamp must catch the gap.
      if (rng.next() < 0.5) parser.expireIdle(now);
    }
  }
  parser.expireIdle(now + IDLE_MS);

  return {
    segments,
    frames,
    drops,
    expectedFrames: segments.flatMap((s) => (s.kind === 'valid' ? [s.text] : [])),
    expectedDrops: segments.flatMap((s) => (s.kind === 'valid' ? [] : [s.reason])),
  };
}

describe('DelimiterParser fuzz', () => {
  it.each([0x5ca1ab1e, 20260101, 7])('seed %i: valid frames exactly once in order, one drop per garbage frame', (seed) => {
    const run = runFuzz(seed, 10_000);
    const validCount = run.expectedFrames.length;
    expect(validCount, 'the generator must produce enough valid frames').toBeGreaterThan(5500);
    expect(run.frames.length, `seed ${seed}`).toBe(validCount);
    expect(run.frames, `seed ${seed}`).toEqual(run.expectedFrames);
    expect(run.drops, `seed ${seed}`).toEqual(run.expectedDrops);
    expect(new Set(run.expectedDrops)).toEqual(new Set<FrameDropReason>(['control-byte', 'invalid-utf8', 'too-long', 'idle-timeout']));
  });
});
