/**
 * Property test: whole frames interleaved with noise (with and without stray STX bytes), corrupted frames,
 * frames cut short (with and without an idle gap after them) and impossible lengths, cut into random chunks.
 * Every intact frame must come out exactly once and in order, nothing else may come out, and the outcome
 * must not depend on how the stream was chunked.
 */
import { describe, expect, it } from 'vitest';
import { prng, type Rng } from '../testing/prng';
import {
  encodeLengthPrefixedFrame,
  LengthPrefixedParser,
  type LengthFrameDropReason,
  type LengthPrefixedFrameSpec,
} from './length-prefixed-parser';

const SPEC: LengthPrefixedFrameSpec = { start: 0x02, end: 0x03, lengthBytes: 2, checksum: 'xor', maxBodyBytes: 256 };
const IDLE_MS = 50;

type Segment = { bytes: Uint8Array; intactBody?: Uint8Array; idleAfter: boolean };

function randomFrame(rng: Rng): { frame: Uint8Array; body: Uint8Array } {
  const body = rng.bytes(rng.int(1, SPEC.maxBodyBytes));
  return { frame: encodeLengthPrefixedFrame(SPEC, body), body };
}

function randomSegment(rng: Rng): Segment {
  const roll = rng.next();
  if (roll < 0.6) {
    const { frame, body } = randomFrame(rng);
    return { bytes: frame, intactBody: body, idleAfter: false };
  }
  if (roll < 0.68) return { bytes: rng.bytes(rng.int(1, 40), (b) => b === SPEC.start), idleAfter: false };
  if (roll < 0.73) return { bytes: rng.bytes(rng.int(1, 40)), idleAfter: false }; // may hold stray STX bytes
  if (roll < 0.83) {
    const { frame } = randomFrame(rng);
    const at = rng.int(1, frame.length - 1); // length, body, checksum or ETX
    frame[at] = frame[at]! ^ rng.int(1, 255);
    return { bytes: frame, idleAfter: false };
  }
  if (roll < 0.93) {
    const { frame } = randomFrame(rng);
    return { bytes: frame.subarray(0, rng.int(1, frame.length - 1)), idleAfter: rng.next() < 0.5 };
  }
  const declared = rng.int(SPEC.maxBodyBytes + 1, 0xffff);
  return { bytes: Uint8Array.from([SPEC.start, declared >> 8, declared & 0xff, ...rng.bytes(rng.int(0, 20))]), idleAfter: false };
}

function run(segments: Segment[], chunking: Rng | 'whole-segments') {
  const bodies: Uint8Array[] = [];
  const drops: LengthFrameDropReason[] = [];
  const parser = new LengthPrefixedParser({
    spec: SPEC,
    idleMs: IDLE_MS,
    onFrame: (body) => bodies.push(body),
    onDrop: (drop) => drops.push(drop.reason),
  });
  let now = 0;
  for (const segment of segments) {
    if (chunking === 'whole-segments') {
      parser.push(segment.bytes, now);
    } else {
      for (let offset = 0; offset < segment.bytes.length;) {
        const size = chunking.next() < 0.3 ? 1 : chunking.int(1, 400);
        parser.push(segment.bytes.subarray(offset, offset + size), now + chunking.int(0, 2));
        offset += size;
      }
    }
    now += 3; // later than any chunk of this segment, and no idle gap
    if (segment.idleAfter) {
      now += IDLE_MS + 1;
      parser.expireIdle(now);
    }
  }
  parser.expireIdle(now + IDLE_MS);
  return { bodies, drops, pending: parser.hasPartialFrame };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('LengthPrefixedParser fuzz', () => {
  it.each([0xc0ffee, 20260302, 42])('seed %i: intact frames exactly once, in order, whatever the garbage and chunking', (seed) => {
    const rng = prng(seed);
    const segments = Array.from({ length: 10_000 }, () => randomSegment(rng));
    const expected = segments.flatMap((s) => (s.intactBody ? [hex(s.intactBody)] : []));
    expect(expected.length, 'the generator must produce enough intact frames').toBeGreaterThan(5500);

    const chunked = run(segments, rng);
    expect(chunked.bodies.map(hex), `seed ${seed}`).toEqual(expected);
    expect(chunked.pending).toBe(false);
    expect(new Set(chunked.drops)).toEqual(
      new Set<LengthFrameDropReason>(['noise', 'bad-length', 'bad-checksum', 'bad-end', 'idle-timeout']),
    );

    const whole = run(segments, 'whole-segments');
    expect(whole.bodies.map(hex)).toEqual(expected);
    expect(whole.drops).toEqual(chunked.drops);
  });

  it('a clean stream of 10,000 frames in random chunks yields every body and no drop', () => {
    const rng = prng(7);
    const segments = Array.from({ length: 10_000 }, () => {
      const { frame, body } = randomFrame(rng);
      return { bytes: frame, intactBody: body, idleAfter: false };
    });
    const result = run(segments, rng);
    expect(result.bodies.length).toBe(10_000);
    expect(result.bodies.map(hex)).toEqual(segments.map((s) => hex(s.intactBody)));
    expect(result.drops).toEqual([]);
  });
});
