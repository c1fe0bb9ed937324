import { describe, expect, it } from 'vitest';
import { describeOrderReason, ORDER_REASON_CODES, ORDER_REASON_LABELS, reason } from './order-reasons';

describe('order reasons', () => {
  it('every code has a label', () => {
    for (const code of ORDER_REASON_CODES) expect(ORDER_REASON_LABELS[code]('x')).not.toBe('');
  });

  it('a failed cash share reads as what is being done about it in each state of the undo', () => {
    const r = reason('payment-refused', 'NOTENOUGH 余额不足');
    expect(describeOrderReason('reversing', r)).toBe('付款失败：NOTENOUGH 余额不足；正在自动撤销医保结算');
    expect(describeOrderReason('open', r)).toBe('付款失败：NOTENOUGH 余额不足；医保结算、费用明细与挂号已自动撤销，可重新结算');
    expect(describeOrderReason('awaiting-payment', r)).toBe('付款失败：NOTENOUGH 余额不足；可请患者重新付款');
    expect(describeOrderReason('reversing', { ...r, note: 'undo-unknown' })).toBe(
      '付款失败：NOTENOUGH 余额不足；正在自动撤销医保结算（撤销结果未知，正在核实）',
    );
    expect(describeOrderReason('reversing', { ...r, note: 'undo-retrying', noteText: '医保中心无应答' })).toBe(
      '撤销未完成：医保中心无应答（将自动重试）',
    );
  });

  it("the remote's words are kept apart from the label, so brackets in them change nothing", () => {
    const r = reason('payment-refused', '（用户取消）');
    expect(describeOrderReason('open', { ...r })).toMatch(/^付款失败：（用户取消）；医保结算/);
  });

  it('an expiry reads as a timeout unless HIS took the order elsewhere', () => {
    expect(describeOrderReason('expiring', reason('pay-window-passed'))).toBe('补缴超时，正在撤销医保结算和挂号');
    expect(describeOrderReason('expired', reason('pay-window-passed'))).toBe('补缴超时，医保结算与挂号已撤销');
    expect(describeOrderReason('expired', reason('his-expired'))).toBe('HIS：处方已过期，本站不再收费');
    expect(describeOrderReason('expiring', reason('his-paid-elsewhere'))).toBe('HIS：处方已在他处缴费，本站不再收费');
  });

  it('a row from before reasons were codes shows its text as it was; no reason shows nothing', () => {
    expect(describeOrderReason('reversed', reason('legacy', '医保结算已撤销'))).toBe('医保结算已撤销');
    expect(describeOrderReason('open', null)).toBe('');
  });
});
