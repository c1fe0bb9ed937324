import { describe, expect, it } from 'vitest';
import { maskName, maskNumber } from './masking';

describe('masking', () => {
  it('keeps the first character of a name', () => {
    expect(['张三', '欧阳娜娜', '买买提·艾力', '王', ''].map(maskName)).toEqual(['张*', '欧***', '买*****', '*', '*']);
  });

  it('keeps two characters at each end of a long number and hides short ones whole', () => {
    expect(['E35020101', '350203196804122036', '123456', 'AB'].map(maskNumber)).toEqual([
      'E3*****01',
      '35**************36',
      '******',
      '**',
    ]);
  });
});
