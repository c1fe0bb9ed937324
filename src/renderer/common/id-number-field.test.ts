import { describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../shared/id-number';
import { idNumberFieldError, normaliseIdNumberInput } from './id-number-field';

const FIRST17 = '35020319850312123';
const GOOD = FIRST17 + idNumberCheckChar(FIRST17);

describe('the ID-number field', () => {
  it('keeps every character typed or pasted: spaces go, nothing is cut', () => {
    expect(normaliseIdNumberInput(` ${GOOD.slice(0, 6)} ${GOOD.slice(6)}9 `)).toBe(`${GOOD}9`);
    expect(normaliseIdNumberInput('11010519491231002x')).toBe('11010519491231002X');
  });

  it('says a pasted 19-character text is too long instead of identifying its first 18', () => {
    expect(idNumberFieldError(`${GOOD}9`, false)).toBe('身份证号应为18位，现在有19位，多输入了，请核对后重新输入');
  });

  it('waits for a number being typed, but not once it is submitted', () => {
    expect(idNumberFieldError(GOOD.slice(0, 10), false)).toBeNull();
    expect(idNumberFieldError(GOOD.slice(0, 10), true)).toBe('身份证号应为18位，现在只有10位，请核对后补全');
    expect(idNumberFieldError('', true)).toBe('请输入身份证号');
  });

  it('names a bad check character as soon as all 18 are in', () => {
    const wrong = FIRST17 + (GOOD[17] === '5' ? '6' : '5');
    expect(idNumberFieldError(wrong, false)).toBe('身份证号校验位不正确，请核对后重新输入');
    expect(idNumberFieldError(GOOD, true)).toBeNull();
  });
});
