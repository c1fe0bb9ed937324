import { describe, expect, it } from 'vitest';
import { infTime } from './beijing-time';
import { formatMsgid, MemoryMsgIdAllocator } from './msgid';

const CODE = 'H35020300001';

describe('formatMsgid', () => {
  it('is code(12) + Beijing yyyyMMddHHmmss(14) + seq(4), whatever the machine time zone', () => {
    // 02:15:30 UTC is 10:15:30 in Beijing.
    const msgid = formatMsgid(CODE, new Date('2026-11-22T02:15:30.999Z'), 7);
    expect(msgid).toBe('H35020300001202611221015300007');
    expect(msgid).toHaveLength(30);
  });

  it('rolls the date over at Beijing midnight, not UTC midnight', () => {
    expect(formatMsgid(CODE, new Date('2026-12-31T16:00:00Z'), 1).slice(12, 26)).toBe('20270101000000');
    expect(infTime(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31 23:59:59');
  });

  it.each([
    ['H3502030000', 1],
    ['H350203000012', 1],
    ['H3502030000-', 1],
    [CODE, -1],
    [CODE, 10_000],
    [CODE, 1.5],
  ])('rejects code %j / seq %j', (code, seq) => {
    expect(() => formatMsgid(code, new Date(), seq)).toThrow(RangeError);
  });

  it('rejects an invalid date', () => {
    expect(() => formatMsgid(CODE, new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('MemoryMsgIdAllocator', () => {
  const at = (iso: string) => new Date(iso);

  it('counts 0001, 0002, ... within a second and restarts at the next second', () => {
    const ids = new MemoryMsgIdAllocator(CODE);
    expect(ids.next(at('2026-11-22T02:15:30.100Z'))).toBe('H35020300001202611221015300001');
    expect(ids.next(at('2026-11-22T02:15:30.900Z'))).toBe('H35020300001202611221015300002');
    expect(ids.next(at('2026-11-22T02:15:31.000Z'))).toBe('H35020300001202611221015310001');
  });

  it('stays unique when the clock steps back', () => {
    const ids = new MemoryMsgIdAllocator(CODE);
    const issued = [ids.next(at('2026-11-22T02:15:31Z')), ids.next(at('2026-11-22T02:15:29Z')), ids.next(at('2026-11-22T02:15:31Z'))];
    expect(new Set(issued).size).toBe(3);
    expect(issued[1]).toBe('H35020300001202611221015310002');
  });

  it('refuses a 10,000th id in one second instead of repeating one', () => {
    const ids = new MemoryMsgIdAllocator(CODE);
    const now = at('2026-11-22T02:15:30Z');
    for (let i = 0; i < 9999; i++) ids.next(now);
    expect(() => ids.next(now)).toThrow(/exhausted/);
  });

  it('validates the institution code up front', () => {
    expect(() => new MemoryMsgIdAllocator('short')).toThrow(RangeError);
  });
});
