import { describe, expect, it } from 'vitest';
import {
  encodeLengthPrefixedFrame,
  frameChecksum,
  LengthPrefixedParser,
  type LengthFrameDrop,
  type LengthPrefixedFrameSpec,
} from './length-prefixed-parser';

const SPEC: LengthPrefixedFrameSpec = { start: 0x02, end: 0x03, lengthBytes: 2, checksum: 'xor', maxBodyBytes: 64 };
const IDLE_MS = 100;

function setup(spec: LengthPrefixedFrameSpec = SPEC) {
  const bodies: number[][] = [];
  const drops: LengthFrameDrop[] = [];
  const parser = new LengthPrefixedParser({
    spec,
    idleMs: IDLE_MS,
    onFrame: (body) => bodies.push([...body]),
    onDrop: (drop) => drops.push(drop),
  });
  return { parser, bodies, drops };
}

const frame = (...body: number[]) => encodeLengthPrefixedFrame(SPEC, Uint8Array.from(body));
const cat = (...parts: (Uint8Array | number[])[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('encodeLengthPrefixedFrame', () => {
  it('lays out STX, big-endian length, body, BCC over length and body, ETX', () => {
    expect([...frame(0x10, 0x41)]).toEqual([0x02, 0x00, 0x02, 0x10, 0x41, 0x00 ^ 0x02 ^ 0x10 ^ 0x41, 0x03]);
    const oneByte = encodeLengthPrefixedFrame({ ...SPEC, lengthBytes: 1, checksum: 'sum8' }, Uint8Array.of(0xff, 0x02));
    expect([...oneByte]).toEqual([0x02, 0x02, 0xff, 0x02, (0x02 + 0xff + 0x02) & 0xff, 0x03]);
  });

  it('refuses bodies that do not fit', () => {
    expect(() => encodeLengthPrefixedFrame(SPEC, new Uint8Array(0))).toThrow(RangeError);
    expect(() => encodeLengthPrefixedFrame(SPEC, new Uint8Array(65))).toThrow(RangeError);
  });

  it('computes both checksum kinds', () => {
    expect(frameChecksum('xor', Uint8Array.of(0x0f, 0xf0, 0x01))).toBe(0xfe);
    expect(frameChecksum('sum8', Uint8Array.of(0xff, 0x02))).toBe(0x01);
  });
});

describe('LengthPrefixedParser', () => {
  it('emits the body of a frame, whole, however the bytes are cut', () => {
    const bytes = cat(frame(0x10, 1, 2, 3), frame(0x11));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const t = setup();
      t.parser.push(bytes.subarray(0, cut));
      t.parser.push(bytes.subarray(cut));
      expect(t.bodies, `cut at ${cut}`).toEqual([[0x10, 1, 2, 3], [0x11]]);
      expect(t.drops).toEqual([]);
    }
  });

  it('keeps STX and ETX bytes inside a body', () => {
    const t = setup();
    t.parser.push(frame(0x02, 0x03, 0x02));
    expect(t.bodies).toEqual([[0x02, 0x03, 0x02]]);
  });

  it('reports noise before a frame once, and still reads the frame', () => {
    const t = setup();
    t.parser.push(cat([0xff, 0x00, 0x41], frame(0x10)));
    expect(t.drops).toEqual([{ reason: 'noise', byteLength: 3 }]);
    expect(t.bodies).toEqual([[0x10]]);
  });

  it('drops a frame with a wrong checksum or a missing ETX, and reads the next one', () => {
    const bad = frame(0x10, 0x20);
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x01;
    const noEnd = frame(0x10, 0x20);
    noEnd[noEnd.length - 1] = 0x04;
    const t = setup();
    t.parser.push(cat(bad, noEnd, frame(0x11)));
    expect(t.drops.map((d) => d.reason)).toEqual(['bad-checksum', 'bad-end']);
    expect(t.bodies).toEqual([[0x11]]);
  });

  it('treats an impossible length as noise and resynchronises on the next STX', () => {
    const t = setup();
    t.parser.push(cat([0x02, 0x00, 0x00], [0x02, 0xff, 0xff], frame(0x12)));
    expect(t.drops.map((d) => d.reason)).toEqual(['bad-length', 'bad-length']);
    expect(t.bodies).toEqual([[0x12]]);
  });

  it('finds a frame hidden behind a stray STX whose length runs past it', () => {
    const t = setup();
    // 0x02 0x00 0x20 claims a 32-byte body: the real frame is inside that span and fails its checksum.
    t.parser.push(cat([0x02, 0x00, 0x20], frame(0x13, 0x01), frame(0x14, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08)));
    t.parser.push(frame(0x15, ...new Array<number>(20).fill(0x30)));
    expect(t.bodies.map((b) => b[0])).toEqual([0x13, 0x14, 0x15]);
    expect(t.drops.map((d) => d.reason)).toEqual(['bad-checksum']);
  });

  it('after an idle gap gives up the stale candidate but keeps a whole frame buffered behind it', () => {
    const t = setup();
    t.parser.push(cat([0x02, 0x00, 0x30], frame(0x16)), 0); // the stray STX claims more than ever comes
    expect(t.bodies).toEqual([]);
    expect(t.parser.idleDeadline()).toBe(IDLE_MS);
    expect(t.parser.expireIdle(IDLE_MS - 1)).toBe(false);
    expect(t.parser.expireIdle(IDLE_MS)).toBe(true);
    expect(t.bodies).toEqual([[0x16]]);
    expect(t.drops.map((d) => d.reason)).toEqual(['idle-timeout']);
    expect(t.parser.hasPartialFrame).toBe(false);
  });

  it('drops a frame the device abandoned midway when the next chunk comes too late', () => {
    const t = setup();
    const whole = frame(0x10, 1, 2, 3);
    t.parser.push(whole.subarray(0, 4), 0);
    t.parser.push(frame(0x11), IDLE_MS + 5);
    expect(t.drops).toEqual([{ reason: 'idle-timeout', byteLength: 4 }]);
    expect(t.bodies).toEqual([[0x11]]);
  });

  it('reports pending noise at the idle deadline', () => {
    const t = setup();
    t.parser.push(Uint8Array.of(0x55, 0x66), 10);
    expect(t.parser.idleDeadline()).toBe(10 + IDLE_MS);
    t.parser.expireIdle(10 + IDLE_MS);
    expect(t.drops).toEqual([{ reason: 'noise', byteLength: 2 }]);
    expect(t.parser.idleDeadline()).toBeUndefined();
  });

  it('reset drops a partial frame as interrupted, and starts clean', () => {
    const t = setup();
    t.parser.push(frame(0x10, 1, 2).subarray(0, 5));
    t.parser.reset();
    t.parser.push(frame(0x11));
    expect(t.drops).toEqual([{ reason: 'interrupted', byteLength: 5 }]);
    expect(t.bodies).toEqual([[0x11]]);
  });

  it('never emits a body longer than maxBodyBytes', () => {
    const t = setup();
    const big = encodeLengthPrefixedFrame({ ...SPEC, maxBodyBytes: 200 }, new Uint8Array(100).fill(0x41));
    t.parser.push(big);
    expect(t.bodies).toEqual([]);
    expect(t.drops[0]?.reason).toBe('bad-length');
  });

  it('rejects an impossible specification', () => {
    const build = (spec: Partial<LengthPrefixedFrameSpec>) => () =>
      new LengthPrefixedParser({ spec: { ...SPEC, ...spec }, onFrame: () => undefined, onDrop: () => undefined });
    expect(build({ maxBodyBytes: 0 })).toThrow(RangeError);
    expect(build({ lengthBytes: 1, maxBodyBytes: 256 })).toThrow(RangeError);
    expect(build({ start: 256 })).toThrow(RangeError);
    expect(build({})).not.toThrow();
  });
});
