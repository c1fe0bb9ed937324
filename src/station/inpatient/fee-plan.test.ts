import { describe, expect, it } from 'vitest';
import type { HisFeeLine } from '../../insurance/his';
import { fen } from '../../shared/money';
import { nextFeeStep } from './fee-plan';

/** A line (`reverses` set: the taking-back of that line). */
const line = (lineNo: number, reverses: number | null = null): HisFeeLine => ({
  lineNo,
  day: '2026-12-01',
  executedAt: '2026-12-01T08:00:00.000Z',
  kind: 'drug',
  hospCode: 'Y0006',
  nationalCode: 'X',
  name: 'NaCl',
  spec: '',
  unit: '瓶',
  quantity: reverses ? '-1' : '1',
  unitPriceFen: fen(420),
  amountFen: fen(reverses ? -420 : 420),
  reversesLine: reverses,
  settleId: null,
});
const nos = (step: ReturnType<typeof nextFeeStep>) => (step.kind === 'batch' ? step.lines.map((l) => l.lineNo) : []);

describe('the uploader’s next step over a page of HIS lines', () => {
  it('nothing after the position: none', () => {
    expect(nextFeeStep([], 7)).toEqual({ kind: 'none' });
  });

  it('a taking-back of a line already up comes first: a 2302 of that line, the position moved to the taking-back', () => {
    expect(nextFeeStep([line(8, 2), line(9)], 7)).toEqual({ kind: 'cancel', lineNo: 2, uptoLine: 8 });
  });

  it('a batch stops before a taking-back of a line already up', () => {
    const step = nextFeeStep([line(8), line(9, 3), line(10)], 7);
    expect(step).toMatchObject({ kind: 'batch', fromLine: 8, uptoLine: 8 });
    expect(nos(step)).toEqual([8]);
  });

  it('a line and its taking-back in the same batch are both left out; the batch still covers the range', () => {
    const step = nextFeeStep([line(1), line(2), line(3, 1), line(4)], 0);
    expect(step).toMatchObject({ kind: 'batch', fromLine: 1, uptoLine: 4 });
    expect(nos(step)).toEqual([2, 4]);
  });

  it('a line taken back on a later page goes up now (its 2302 follows)', () => {
    const step = nextFeeStep([line(1), line(2)], 0);
    expect(nos(step)).toEqual([1, 2]);
  });

  it('lines that all cancel among themselves: the position moves without a call', () => {
    expect(nextFeeStep([line(5), line(6, 5)], 4)).toEqual({ kind: 'skip', uptoLine: 6 });
  });

  it('a line ahead of a cut is sent even when its taking-back lies after the cut', () => {
    // 8 goes up with the first batch; 9 cancels 2 (up); 10 cancels 8 (then up) — never a 2302 of a line left out.
    const step = nextFeeStep([line(8), line(9, 2), line(10, 8)], 7);
    expect(nos(step)).toEqual([8]);
    expect(step).toMatchObject({ uptoLine: 8 });
  });
});
