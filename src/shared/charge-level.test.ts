import { describe, expect, it } from 'vitest';
import { chargeLevelName } from './charge-level';

describe('chargeLevelName', () => {
  it.each([
    ['01', '甲类'],
    ['02', '乙类'],
    ['03', '丙类'],
    [' 02 ', '乙类'],
    ['甲', '甲类'],
    ['丙类', '丙类'],
    ['', ''],
    ['04', '其他'],
    ['<甲>', '其他'],
  ])('%j → %j', (code, name) => {
    expect(chargeLevelName(code)).toBe(name);
  });
});
