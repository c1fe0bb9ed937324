import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/result';
import { describeError } from './error-text';

describe('describeError', () => {
  it('has Chinese text for every error code', () => {
    for (const code of ERROR_CODES) expect(describeError({ code, message: '' }).title).toMatch(/[\u4e00-\u9fff]/);
  });

  it("adds the core's message where it carries facts, such as the centre's reason", () => {
    expect(describeError({ code: 'CENTRE_REJECTED', message: '人员未参保' })).toEqual({ title: '医保中心拒绝办理', detail: '人员未参保' });
  });

  it("keeps the fixed wording alone where the core's message adds nothing", () => {
    expect(describeError({ code: 'SCAN_EXPIRED', message: 'gone' })).toEqual({
      title: '扫码已过期，请患者重新出示医保电子凭证',
      detail: null,
    });
    expect(describeError({ code: 'BAD_CREDENTIALS', message: '工号或密码错误' })).toEqual({ title: '工号或密码错误', detail: null });
    expect(describeError({ code: 'CENTRE_REJECTED', message: '  ' }).detail).toBeNull();
  });

  it('shows how many sign-in attempts remain without repeating the title', () => {
    expect(describeError({ code: 'BAD_CREDENTIALS', message: '工号或密码错误，还可尝试 4 次' })).toEqual({
      title: '工号或密码错误',
      detail: '还可尝试 4 次',
    });
  });
});
