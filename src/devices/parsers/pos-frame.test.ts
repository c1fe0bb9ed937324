import { describe, expect, it } from 'vitest';
import { encodePosFrame, lrc, POS_BYTES, PosFrameParser, type PosFrameEvent } from './pos-frame';
import { decodePosAnswer, encodePosRequest } from './pos-messages';

const text = (s: string) => new TextEncoder().encode(s);
const FS = String.fromCharCode(POS_BYTES.FS);

/** The parser's events as short words: frame:<payload>, drop:<reason>, ack, nak. */
function parse(chunks: Uint8Array[], max = 512): string[] {
  const events: string[] = [];
  const parser = new PosFrameParser(max, (e) =>
    events.push(e.kind === 'frame' ? `frame:${new TextDecoder().decode(e.payload)}` : e.kind === 'drop' ? `drop:${e.reason}` : e.kind),
  );
  for (const c of chunks) parser.push(c);
  return events;
}

const frame = (s: string) => encodePosFrame(text(s));

describe('POS framing: STX, BCD length, payload, ETX, LRC; ACK / NAK', () => {
  it('encodes the length as BCD and the LRC as the XOR of length through ETX', () => {
    const f = frame('0012');
    expect([...f]).toEqual([0x02, 0x00, 0x04, 0x30, 0x30, 0x31, 0x32, 0x03, 0x00 ^ 0x04 ^ 0x30 ^ 0x30 ^ 0x31 ^ 0x32 ^ 0x03]);
    expect([...encodePosFrame(new Uint8Array(1234).fill(0x41)).subarray(1, 3)]).toEqual([0x12, 0x34]);
    expect(lrc(f.subarray(1, f.length - 1))).toBe(f.at(-1));
  });

  it('a frame split byte by byte comes out once, whole', () => {
    const f = frame('hello');
    expect(parse([...f].map((b) => Uint8Array.of(b)))).toEqual(['frame:hello']);
  });

  it('ACK and NAK between frames, noise before and between, two frames in one chunk', () => {
    const bytes = [0x06, ...text('zz'), ...frame('a'), 0x15, 0xff, ...frame('b')];
    expect(parse([Uint8Array.from(bytes)])).toEqual(['ack', 'drop:noise', 'frame:a', 'nak', 'drop:noise', 'frame:b']);
  });

  it('a wrong LRC is dropped (the driver answers NAK); the good frame after it still comes', () => {
    const bad = frame('paid');
    bad[bad.length - 1] = bad.at(-1)! ^ 0x01;
    const events = parse([bad, frame('next')]);
    expect(events[0]).toBe('drop:bad-lrc');
    expect(events.at(-1)).toBe('frame:next');
    expect(events.filter((e) => e.startsWith('frame'))).toEqual(['frame:next']);
  });

  it('a stray STX in noise cannot swallow the real frame; a length that is not BCD or too long is noise', () => {
    expect(parse([Uint8Array.from([0x02, 0x00, ...frame('ok')])]).at(-1)).toBe('frame:ok');
    expect(parse([Uint8Array.from([0x02, 0x1a, 0x00, ...frame('ok')])])).toEqual(['drop:bad-length', 'drop:noise', 'frame:ok']);
    expect(parse([frame('x'.repeat(20))], 10)).toContain('drop:bad-length');
    expect(parse([frame('x'.repeat(20))], 10)).not.toContain('frame:' + 'x'.repeat(20));
  });

  it('a partial frame waits for its tail; reset reports it interrupted', () => {
    const events: PosFrameEvent[] = [];
    const parser = new PosFrameParser(64, (e) => events.push(e));
    parser.push(frame('abc').subarray(0, 4));
    expect(events).toEqual([]);
    expect(parser.hasPartialFrame).toBe(true);
    parser.reset();
    expect(events).toEqual([{ kind: 'drop', reason: 'interrupted', byteLength: 4 }]);
  });
});

describe('POS messages', () => {
  it('a sale request is type, REF and twelve digits of fen, FS-separated', () => {
    expect(new TextDecoder().decode(encodePosRequest({ type: 'sale', ref: 'MZ1K0001', amountFen: 8320 }))).toBe(
      ['00', 'MZ1K0001', '000000008320'].join(FS),
    );
    expect(new TextDecoder().decode(encodePosRequest({ type: 'void', ref: 'MZ1V0001', amountFen: 8320, origRef: 'MZ1K0001' }))).toBe(
      ['01', 'MZ1V0001', '000000008320', 'MZ1K0001'].join(FS),
    );
    expect(() => encodePosRequest({ type: 'sale', ref: 'bad ref', amountFen: 1 })).toThrow();
  });

  it('an answer is checked field by field', () => {
    const ok = ['00', '00', 'MZ1K0001', '000000008320', '000123', '261204000123', '622588******1234', '交易成功'].join(FS);
    expect(decodePosAnswer(text(ok))).toEqual({
      ok: true,
      answer: {
        type: 'sale',
        code: '00',
        ref: 'MZ1K0001',
        amountFen: 8320,
        trace: '000123',
        rrn: '261204000123',
        cardMasked: '622588******1234',
        message: '交易成功',
      },
    });
    expect(decodePosAnswer(text(ok.replace('000000008320', '83.20')))).toMatchObject({ ok: false });
    expect(decodePosAnswer(text(ok.replace('622588******1234', '6225880000001234X')))).toMatchObject({ ok: false });
    expect(decodePosAnswer(Uint8Array.of(0xff, 0xfe))).toEqual({ ok: false, problem: '编码错误' });
  });
});
