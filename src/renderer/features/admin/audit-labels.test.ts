import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/result';
import { auditDetail } from './audit-labels';

describe("the audit view's details", () => {
  it('shows a failure as its label and reason, never the raw code first', () => {
    expect(auditDetail('CONFLICT 收费单当前状态（已结算）不允许此操作')).toEqual({
      text: '当前状态不能进行此操作：收费单当前状态（已结算）不允许此操作',
      code: 'CONFLICT',
    });
    expect(auditDetail('CENTRE_REJECTED: 预结算失败：人员未参保')).toEqual({
      text: '医保中心拒绝办理：预结算失败：人员未参保',
      code: 'CENTRE_REJECTED',
    });
    expect(auditDetail('INTERNAL')).toEqual({ text: '操作未完成', code: 'INTERNAL' });
    expect(auditDetail('NHSA_SIGN_OUT 医保中心无法连接').text).toBe('医保签退失败：医保中心无法连接');
  });

  it('has a label for every code the core can write', () => {
    for (const code of ERROR_CODES) {
      const { text } = auditDetail(`${code} 原因`);
      expect(text, code).not.toMatch(/^[A-Z_]+/);
      expect(text, code).toMatch(/：原因$/);
    }
  });

  it("leaves the station's own words alone", () => {
    expect(auditDetail('密码错误（第 2 次）')).toEqual({ text: '密码错误（第 2 次）', code: null });
    expect(auditDetail('参数无效：certNo: 身份证号校验位不正确，请核对后重新输入').code).toBeNull();
    expect(auditDetail('SOMETHING_ELSE happened')).toEqual({ text: 'SOMETHING_ELSE happened', code: null });
  });
});
