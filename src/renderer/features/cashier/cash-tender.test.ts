import { describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { tenderOf } from './cash-tender';

const due = fen(1037); // ¥10.37

describe('cash tendered (收款) and change (找零), fen-exact', () => {
  it('change is the notes less the share, to the fen', () => {
    expect(tenderOf('50', due)).toEqual({ kind: 'ok', tenderedFen: 5000, changeFen: 3963 });
    expect(tenderOf(' 20.5 ', due)).toEqual({ kind: 'ok', tenderedFen: 2050, changeFen: 1013 });
    expect(tenderOf('10.37', due)).toEqual({ kind: 'ok', tenderedFen: 1037, changeFen: 0 });
    // 0.1 + 0.2 in floating point is not 0.3; the digits are
    expect(tenderOf('0.30', fen(10))).toEqual({ kind: 'ok', tenderedFen: 30, changeFen: 20 });
  });
  it('less than due is short by the difference', () => {
    expect(tenderOf('10.36', due)).toEqual({ kind: 'short', tenderedFen: 1036, shortFen: 1 });
    expect(tenderOf('10.', due)).toEqual({ kind: 'short', tenderedFen: 1000, shortFen: 37 });
  });
  it('nothing typed, or not an amount of yuan', () => {
    expect(tenderOf('', due)).toEqual({ kind: 'empty' });
    for (const bad of ['abc', '1.234', '-5', '1e3', '.5', '12345678']) expect(tenderOf(bad, due)).toEqual({ kind: 'invalid' });
  });
});
