import { describe, expect, it } from 'vitest';
import { DelimiterParser, type DelimiterParserOptions, type FrameDrop } from './delimiter-parser';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

function harness(options: Partial<Omit<DelimiterParserOptions, 'onFrame' | 'onDrop'>> = {}) {
  const frames: string[] = [];
  const drops: FrameDrop[] = [];
  const parser = new DelimiterParser({
    maxFrameBytes: 16,
    ...options,
    onFrame: (text) => frames.push(text),
    onDrop: (drop) => drops.push(drop),
  });
  return { parser, frames, drops };
}

describe('DelimiterParser', () => {
  it('treats CR, LF and CR LF each as one terminator and ignores empty frames', () => {
    const { parser, frames, drops } = harness();
    parser.push(bytes('A\rB\nC\r\nD\r\r\n\n'));
    expect(frames).toEqual(['A', 'B', 'C', 'D']);
    expect(drops).toEqual([]);
  });

  it('joins a frame split across chunks, down to single bytes and a CR LF split in two', () => {
    const { parser, frames, drops } = harness({ maxFrameBytes: 32 });
    for (const byte of bytes('134567890123456789\r')) parser.push(Uint8Array.of(byte));
    parser.push(bytes('\nHC12'));
    parser.push(bytes('345678\r'));
    parser.push(bytes('\n'));
    expect(frames).toEqual(['134567890123456789', 'HC12345678']);
    expect(drops).toEqual([]);
  });

  it('emits several frames from one chunk in order', () => {
    const { parser, frames } = harness();
    parser.push(bytes('one\rtwo\rthree\r'));
    expect(frames).toEqual(['one', 'two', 'three']);
  });

  it('honours a custom terminator set', () => {
    const { parser, frames, drops } = harness({ terminators: [0x03] }); // ETX
    parser.push(bytes('AB', [0x03], 'C\rD', [0x03]));
    expect(frames).toEqual(['AB']);
    expect(drops).toEqual([{ reason: 'control-byte', byteLength: 3 }]); // CR is not a terminator here
  });

  it('drops an over-long frame up to the next terminator, never truncated, then resumes', () => {
    const { parser, frames, drops } = harness({ maxFrameBytes: 4 });
    parser.push(bytes('1234\r12345'));
    parser.push(bytes('6789\rOK\r'));
    expect(frames).toEqual(['1234', 'OK']);
    expect(drops).toEqual([{ reason: 'too-long', byteLength: 9 }]);
  });

  it('drops a frame carrying control bytes (power-up noise, wrong baud rate) and keeps the next one', () => {
    const { parser, frames, drops } = harness();
    parser.push(bytes([0x00, 0xff, 0x1b], 'ABC\r', 'A', [0x7f], 'B\r', 'GOOD\r'));
    expect(frames).toEqual(['GOOD']);
    expect(drops.map((d) => d.reason)).toEqual(['control-byte', 'control-byte']);
  });

  it('drops invalid UTF-8 (fatal decoding) and C1 controls, and accepts valid multi-byte text', () => {
    const { parser, frames, drops } = harness({ maxFrameBytes: 64 });
    parser.push(bytes('医保', [0xe5, 0x8c], '\r')); // truncated 3-byte sequence
    parser.push(bytes([0xc0, 0xaf], '\r')); // overlong encoding of '/'
    parser.push(bytes('x\u0085y\r')); // NEL, a C1 control
    parser.push(bytes('医保电子凭证\r'));
    expect(frames).toEqual(['医保电子凭证']);
    expect(drops.map((d) => d.reason)).toEqual(['invalid-utf8', 'invalid-utf8', 'control-byte']);
  });

  it('accepts a frame of exactly maxFrameBytes', () => {
    const { parser, frames, drops } = harness({ maxFrameBytes: 4 });
    parser.push(bytes('ABCD\r'));
    expect(frames).toEqual(['ABCD']);
    expect(drops).toEqual([]);
  });

  describe('idle timeout', () => {
    it('reports a deadline only while a partial frame is pending', () => {
      const { parser } = harness({ idleMs: 100 });
      expect(parser.idleDeadline()).toBeUndefined();
      parser.push(bytes('AB'), 1000);
      expect(parser.idleDeadline()).toBe(1100);
      parser.push(bytes('C'), 1050);
      expect(parser.idleDeadline()).toBe(1150);
      parser.push(bytes('\r'), 1060);
      expect(parser.idleDeadline()).toBeUndefined();
    });

    it('discards a partial frame left hanging, with a warning, and never emits it', () => {
      const { parser, frames, drops } = harness({ idleMs: 100 });
      parser.push(bytes('HC1234'), 1000);
      expect(parser.expireIdle(1099)).toBe(false);
      expect(parser.expireIdle(1100)).toBe(true);
      expect(drops).toEqual([{ reason: 'idle-timeout', byteLength: 6 }]);
      parser.push(bytes('HC87654321\r'), 2000);
      expect(frames).toEqual(['HC87654321']);
    });

    it('uses timestamps, so a late timer cannot glue a stale partial onto fresh bytes', () => {
      const { parser, frames, drops } = harness({ idleMs: 100 });
      parser.push(bytes('STALE'), 1000);
      parser.push(bytes('FRESH\r'), 1500); // the idle timer has not run yet
      expect(frames).toEqual(['FRESH']);
      expect(drops).toEqual([{ reason: 'idle-timeout', byteLength: 5 }]);
    });

    it('keeps a slow but steady frame whose gaps stay under idleMs', () => {
      const { parser, frames, drops } = harness({ idleMs: 100 });
      let now = 0;
      for (const byte of bytes('SLOWFRAME\r')) parser.push(Uint8Array.of(byte), (now += 90));
      expect(frames).toEqual(['SLOWFRAME']);
      expect(drops).toEqual([]);
    });

    it('is off without idleMs', () => {
      const { parser, frames } = harness();
      parser.push(bytes('A'), 0);
      expect(parser.idleDeadline()).toBeUndefined();
      expect(parser.expireIdle(1e9)).toBe(false);
      parser.push(bytes('B\r'), 1e9);
      expect(frames).toEqual(['AB']);
    });

    it('reports an over-long partial as too-long when it goes idle', () => {
      const { parser, drops } = harness({ maxFrameBytes: 4, idleMs: 10 });
      parser.push(bytes('123456'), 0);
      parser.expireIdle(10);
      expect(drops).toEqual([{ reason: 'too-long', byteLength: 6 }]);
    });
  });

  it('reset() discards a pending partial as interrupted, and is silent when nothing is pending', () => {
    const { parser, frames, drops } = harness();
    parser.reset();
    expect(drops).toEqual([]);
    parser.push(bytes('HALF'));
    expect(parser.hasPartialFrame).toBe(true);
    parser.reset();
    expect(parser.hasPartialFrame).toBe(false);
    parser.push(bytes('WHOLE\r'));
    expect(frames).toEqual(['WHOLE']);
    expect(drops).toEqual([{ reason: 'interrupted', byteLength: 4 }]);
  });

  it('rejects nonsensical options', () => {
    const noop = () => undefined;
    expect(() => new DelimiterParser({ maxFrameBytes: 0, onFrame: noop, onDrop: noop })).toThrow(RangeError);
    expect(() => new DelimiterParser({ maxFrameBytes: 8, terminators: [], onFrame: noop, onDrop: noop })).toThrow(RangeError);
    expect(() => new DelimiterParser({ maxFrameBytes: 8, terminators: [256], onFrame: noop, onDrop: noop })).toThrow(RangeError);
  });
});
