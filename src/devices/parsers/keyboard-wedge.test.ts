import { describe, expect, it } from 'vitest';
import { KeyboardWedgeEmulator, type TimedReport } from '../../simulators/devices/hid-scanner-emulator';
import { BootKeyboardReader, characterForCodePoint936, KeyboardWedgeDecoder, type KeyEvent, type WedgeDrop } from './keyboard-wedge';
import { characterForUsage } from './keymap';

const MAX_GAP = 60;

function setup(reportId?: number) {
  const codes: string[] = [];
  const drops: WedgeDrop[] = [];
  const reader = new BootKeyboardReader(reportId);
  const decoder = new KeyboardWedgeDecoder({
    maxKeyGapMs: MAX_GAP,
    minCodeLength: 4,
    maxCodeLength: 32,
    onCode: (code) => codes.push(code),
    onDrop: (drop) => drops.push(drop),
  });
  let now = 0;
  const play = (reports: readonly TimedReport[]) => {
    for (const { report, afterMs } of reports) {
      now += afterMs;
      for (const event of reader.read(report)) decoder.feed(event, now);
    }
  };
  const pause = (ms: number) => {
    now += ms;
    decoder.expireIdle(now);
  };
  const emulator = new KeyboardWedgeEmulator({ sendReport: () => undefined }, { reportId });
  return { codes, drops, reader, decoder, play, pause, emulator };
}

const report = (modifiers: number, ...usages: number[]) =>
  Uint8Array.of(modifiers, 0, ...usages, ...new Array<number>(6 - usages.length).fill(0));

describe('keymap', () => {
  it('maps usages to US-layout characters with and without shift', () => {
    expect([0x04, 0x1d, 0x1e, 0x27, 0x2d, 0x38, 0x59, 0x62].map((u) => characterForUsage(u, false))).toEqual([
      'a',
      'z',
      '1',
      '0',
      '-',
      '/',
      '1',
      '0',
    ]);
    expect([0x04, 0x1e, 0x1f, 0x2d, 0x34, 0x38].map((u) => characterForUsage(u, true))).toEqual(['A', '!', '@', '_', '"', '?']);
    expect([0x28, 0x2b, 0x3a, 0x4f].map((u) => characterForUsage(u, false))).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('BootKeyboardReader', () => {
  it('reports each newly pressed key once, with the modifiers held at the time', () => {
    const reader = new BootKeyboardReader();
    expect(reader.read(report(0x02, 0x04))).toEqual([{ kind: 'press', usage: 0x04, shift: true, alt: false, ctrl: false }]);
    expect(reader.read(report(0x02, 0x04, 0x05))).toEqual([{ kind: 'press', usage: 0x05, shift: true, alt: false, ctrl: false }]);
    expect(reader.read(report(0))).toEqual([]);
    expect(reader.read(report(0x20, 0x04))).toEqual([{ kind: 'press', usage: 0x04, shift: true, alt: false, ctrl: false }]); // right shift
  });

  it('sees the same key twice only with a release in between', () => {
    const reader = new BootKeyboardReader();
    const events: KeyEvent[] = [];
    for (const r of [report(0, 0x1e), report(0, 0x1e), report(0), report(0, 0x1e)]) events.push(...reader.read(r));
    expect(events.length).toBe(2);
  });

  it('ignores rollover-error reports and keeps the last good state', () => {
    const reader = new BootKeyboardReader();
    reader.read(report(0, 0x04));
    expect(reader.read(report(0, 1, 1, 1, 1, 1, 1))).toEqual([]);
    expect(reader.read(report(0, 0x04, 0x05))).toEqual([{ kind: 'press', usage: 0x05, shift: false, alt: false, ctrl: false }]);
  });

  it('reports the release of Alt', () => {
    const reader = new BootKeyboardReader();
    reader.read(report(0x04));
    reader.read(report(0x04, 0x59));
    expect(reader.read(report(0))).toEqual([{ kind: 'alt-released' }]);
  });

  it('skips the report id of numbered reports and ignores other reports', () => {
    const reader = new BootKeyboardReader(0x01);
    expect(reader.read(Uint8Array.of(0x01, ...report(0, 0x05)))).toEqual([
      { kind: 'press', usage: 0x05, shift: false, alt: false, ctrl: false },
    ]);
    expect(reader.read(Uint8Array.of(0x03, ...report(0, 0x06)))).toEqual([]);
    expect(reader.read(Uint8Array.of(0x01, 0))).toEqual([]);
  });
});

describe('KeyboardWedgeDecoder', () => {
  it('reads a scanned code, with shifted characters, ended by Enter', () => {
    const t = setup();
    t.play(t.emulator.reportsFor('HC12345678'));
    t.play(t.emulator.reportsFor('https://ec.example.cn/v?c=Ab_9'));
    expect(t.codes).toEqual(['HC12345678', 'https://ec.example.cn/v?c=Ab_9']);
    expect(t.drops).toEqual([]);
  });

  it('reads 汉字 typed as Alt + keypad GBK codes', () => {
    const t = setup();
    t.play(t.emulator.reportsFor('张三·医保X1'));
    expect(t.codes).toEqual(['张三·医保X1']);
  });

  it('works with numbered reports', () => {
    const t = setup(0x01);
    t.play(t.emulator.reportsFor('HC87654321'));
    expect(t.codes).toEqual(['HC87654321']);
  });

  it('tells a person typing from a scan: slow keys never make a code', () => {
    const t = setup();
    t.play(t.emulator.reportsFor('HC12345678', { reportGapMs: 40 })); // 80 ms between keys
    t.pause(MAX_GAP + 1);
    expect(t.codes).toEqual([]);
    expect(new Set(t.drops.map((d) => d.reason))).toEqual(new Set(['typing']));
  });

  it('treats a quick burst too short for a code as typing', () => {
    const t = setup();
    t.play(t.emulator.reportsFor('ab'));
    expect(t.codes).toEqual([]);
    expect(t.drops).toEqual([{ reason: 'typing', length: 2 }]);
  });

  it('drops a quick burst that stopped without Enter once the gap has passed', () => {
    const t = setup();
    t.play(t.emulator.reportsFor('HC1234', { enter: false }));
    expect(t.decoder.idleDeadline()).toBeDefined();
    t.pause(MAX_GAP + 1);
    expect(t.drops).toEqual([{ reason: 'idle-timeout', length: 6 }]);
    t.play(t.emulator.reportsFor('HC5678'));
    expect(t.codes).toEqual(['HC5678']);
  });

  it('drops a code with a key that types no character, and one that is too long', () => {
    const t = setup();
    const f1 = [report(0, 0x3a), report(0)].map((r) => ({ report: r, afterMs: 2 }));
    t.play([...t.emulator.reportsFor('HC12', { enter: false }), ...f1, ...t.emulator.reportsFor('34')]);
    t.play(t.emulator.reportsFor('9'.repeat(33)));
    expect(t.codes).toEqual([]);
    expect(t.drops.map((d) => d.reason)).toEqual(['unknown-key', 'too-long']);
  });

  it('drops an Alt + keypad code that is no character', () => {
    const t = setup();
    const alt = (r: Uint8Array) => ({ report: r, afterMs: 2 });
    t.play([
      ...t.emulator.reportsFor('HC12', { enter: false }),
      alt(report(0x04, 0x59)),
      alt(report(0x04)),
      alt(report(0x04, 0x62)),
      alt(report(0)),
    ]);
    t.play(t.emulator.reportsFor('', { enter: true }));
    expect(t.drops).toEqual([{ reason: 'invalid-char', length: 4 }]);
  });

  it('ignores Enter pressed on its own', () => {
    const t = setup();
    t.play(t.emulator.reportsFor(''));
    expect(t.codes).toEqual([]);
    expect(t.drops).toEqual([]);
  });

  it('reset forgets an open burst', () => {
    const t = setup();
    t.play(t.emulator.reportsFor('HC12', { enter: false }));
    t.decoder.reset();
    t.play(t.emulator.reportsFor('34'));
    expect(t.codes).toEqual([]);
    expect(t.drops).toEqual([{ reason: 'typing', length: 2 }]);
  });
});

describe('characterForCodePoint936', () => {
  it('decodes ASCII and two-byte GBK codes and refuses the rest', () => {
    expect(characterForCodePoint936(65)).toBe('A');
    expect(characterForCodePoint936(0xd5c5)).toBe('张');
    expect(characterForCodePoint936(0xa1a4)).toBe('·');
    expect([0, 0x1b, 0x7f, 0x80, 0xff, 0x8130, 0xffff, 1.5].map(characterForCodePoint936)).toEqual(new Array(8).fill(undefined));
  });
});
