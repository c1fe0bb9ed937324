import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/result';
import { SCAN_KIND_LABELS } from '../../shared/domain';
import { parseServerMessage } from '../../shared/wire';
import { describeError, errorDetailLine, ERROR_TEXT, SCAN_TEXT, SCAN_BOX_NOISE_TEXT } from './error-text';

const CHINESE = /[\u4e00-\u9fff]/;

describe('the messages catalogue', () => {
  it('has, for every code the api can send, what happened and what to do now — in Chinese, without the code', () => {
    // The wire schema's closed set is the list the catalogue must cover (a new code without words fails here).
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      const text = describeError({ code, message: '' });
      expect(text.title, code).toMatch(CHINESE);
      expect(text.next, code).toMatch(CHINESE);
      expect(text.next, code).not.toBe(text.title);
      expect(`${text.title}${text.next}`, code).not.toMatch(/[A-Z]{3,}/);
      expect(text.code).toBe(code);
    }
  });

  it('covers every code the wire lets through to the screen, and only those', () => {
    const passed = ERROR_CODES.map((code) => {
      const frame = parseServerMessage(JSON.stringify({ t: 'result', id: 1, result: { ok: false, error: { code, message: '' } } }));
      return frame?.t === 'result' && !frame.result.ok ? frame.result.error.code : null;
    });
    expect(passed).toEqual([...ERROR_CODES]);
    for (const code of passed) expect(ERROR_TEXT[code!]).toBeDefined();
  });

  it('tells the cases the cashier must act on differently apart', () => {
    expect(describeError({ code: 'NOT_INSURED', message: '该患者未参保，只能自费结算' })).toMatchObject({
      title: '该患者未参保，不能医保结算',
      next: '请按 F8 自费结算',
    });
    expect(describeError({ code: 'PATIENT_NOT_FOUND', message: '医保中心查不到此人：未查询到人员参保信息' })).toMatchObject({
      title: '查不到该患者',
      next: expect.stringContaining('核对身份证号'),
      detail: '医保中心查不到此人：未查询到人员参保信息',
    });
    expect(describeError({ code: 'NO_BENEFITS', message: '不享受医保待遇：参保暂停' }).next).toContain('F8');
    expect(describeError({ code: 'ORDER_BUSY', message: '正在核实' }).next).toContain('不要重复操作');
    expect(describeError({ code: 'CONFLICT', message: 'x' }).title).not.toContain('刷新');
  });

  it("adds the core's message where it carries facts, and the code on the detail line", () => {
    const text = describeError({ code: 'CENTRE_REJECTED', message: '人员未参保' });
    expect(text).toMatchObject({ title: '医保中心拒绝办理', detail: '人员未参保', code: 'CENTRE_REJECTED' });
    expect(errorDetailLine(text)).toBe('人员未参保（代码 CENTRE_REJECTED）');
  });

  it("keeps the fixed wording alone where the core's message adds nothing; the code stays on the detail line", () => {
    const expired = describeError({ code: 'SCAN_EXPIRED', message: 'gone' });
    expect(expired).toMatchObject({ title: '扫码已过期', next: '请患者重新出示医保电子凭证', detail: null });
    expect(errorDetailLine(expired)).toBe('代码 SCAN_EXPIRED');
    expect(describeError({ code: 'BAD_CREDENTIALS', message: '工号或密码错误' }).detail).toBeNull();
    expect(describeError({ code: 'CENTRE_REJECTED', message: '  ' }).detail).toBeNull();
  });

  it("shows a refused input's own words as what to do, whether the screen or the core refused it", () => {
    const local = describeError({ code: 'INVALID_ARGUMENT', message: '身份证号校验位不正确，请核对后重新输入' });
    expect(local).toEqual({ title: '输入有误', next: '身份证号校验位不正确，请核对后重新输入', detail: null, code: 'INVALID_ARGUMENT' });
    const core = describeError({ code: 'INVALID_ARGUMENT', message: '参数无效：certNo: 身份证号校验位不正确，请核对后重新输入' });
    expect(core.next).toBe('身份证号校验位不正确，请核对后重新输入');
    expect(describeError({ code: 'INVALID_ARGUMENT', message: '' }).next).toBe('请核对输入后重新提交');
  });

  it('shows how many sign-in attempts remain without repeating the title', () => {
    expect(describeError({ code: 'BAD_CREDENTIALS', message: '工号或密码错误，还可尝试 4 次' }).detail).toBe('还可尝试 4 次');
  });

  it('says what to do for every scan that identifies nobody, and for line noise from the scan box', () => {
    for (const kind of Object.keys(SCAN_KIND_LABELS).filter((k) => k !== 'nhsa-ec' && k !== 'hospital-card')) {
      const text = SCAN_TEXT[kind as keyof typeof SCAN_TEXT];
      expect(text.title, kind).toMatch(CHINESE);
      expect(text.next, kind).toMatch(CHINESE);
    }
    expect(SCAN_BOX_NOISE_TEXT.next).toContain('重新扫码');
  });
});
