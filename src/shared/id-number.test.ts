import { describe, expect, it } from 'vitest';
import { IdentifyInput } from './api';
import { checkIdNumber, idNumberCheckChar } from './id-number';
import { POPULATION } from '../simulators/nhsa/population';
import { PATIENTS } from '../simulators/his/seed';

/** A number built here (region 350203, a chosen birth date and sequence) with its check character computed. */
function made(birth: string, seq = '123'): string {
  const first17 = `350203${birth}${seq}`;
  return first17 + idNumberCheckChar(first17);
}

const TODAY = '2026-12-04';

describe('GB 11643 ID numbers', () => {
  it('computes the MOD 11-2 check character of the standard worked example', () => {
    // GB 11643-1999, appendix: 11010519491231002 → X
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('accepts every training person and patient, and a lower-case x as X', () => {
    for (const idNo of [...POPULATION.map((p) => p.idNo), ...PATIENTS.map((p) => p.id_no)]) {
      expect(checkIdNumber(idNo, TODAY)).toEqual({ ok: true, value: idNo });
    }
    expect(checkIdNumber(' 11010519491231002x ', TODAY)).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('refuses a wrong check character in the words the cashier reads', () => {
    const good = made('19850312');
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(checkIdNumber(wrong, TODAY)).toEqual({ ok: false, problem: 'check-digit', message: '身份证号校验位不正确，请核对后重新输入' });
    // two neighbouring digits swapped: the classic typo
    const swapped = good.slice(0, 14) + good[15] + good[14] + good.slice(16);
    expect(good[14]).not.toBe(good[15]);
    expect(checkIdNumber(swapped, TODAY)).toMatchObject({ ok: false, problem: 'check-digit' });
  });

  it('tells a short number, a long one, letters and a bad birth date apart', () => {
    const good = made('19850312');
    expect(checkIdNumber(good.slice(0, 17), TODAY)).toMatchObject({
      ok: false,
      problem: 'too-short',
      message: expect.stringContaining('17位'),
    });
    expect(checkIdNumber(`${good}7`, TODAY)).toMatchObject({ ok: false, problem: 'too-long', message: expect.stringContaining('19位') });
    expect(checkIdNumber('35020319850312A23X', TODAY)).toMatchObject({ ok: false, problem: 'characters' });
    expect(checkIdNumber('', TODAY)).toMatchObject({ ok: false, problem: 'empty', message: '请输入身份证号' });
    for (const birth of ['19850230', '19851301', '18991231', '20261205']) {
      expect(checkIdNumber(made(birth), TODAY)).toMatchObject({ ok: false, problem: 'birth-date' });
    }
    expect(checkIdNumber(made('20261204'), TODAY)).toMatchObject({ ok: true });
    expect(checkIdNumber(made('20000229'), TODAY)).toMatchObject({ ok: true });
  });

  it("is the core's api schema too: the same message, nothing cut", () => {
    const good = made('19900716');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const refused = IdentifyInput.safeParse({ method: 'idcard', certNo: bad });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('身份证号校验位不正确，请核对后重新输入');
    expect(IdentifyInput.safeParse({ method: 'idcard', certNo: `${good}1` }).error?.issues[0]?.message).toContain('19位');
    expect(IdentifyInput.parse({ method: 'idcard', certNo: good.toLowerCase() })).toEqual({ method: 'idcard', certNo: good });
  });
});
