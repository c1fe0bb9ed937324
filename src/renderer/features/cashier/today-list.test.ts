import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../../shared/domain';
import { sampleOrder } from '../../../shared/testing/sample-order';
import { detailKeys, maskPersonName, moveSelection, refundRefusalNextStep } from './today-list';

describe('maskPersonName', () => {
  it('keeps the first character, and the last from three on', () => {
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('黄志强')).toBe('黄*强');
    expect(maskPersonName('欧阳明华')).toBe('欧**华');
    expect(maskPersonName('王')).toBe('王');
  });
});

describe('moveSelection', () => {
  it('steps one row, stays inside the list, and starts at the top from no selection', () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(0, 1, 3)).toBe(1);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

describe('refundRefusalNextStep', () => {
  it('sends a dispensed bill to the pharmacy first, and a centre refusal to the insurance office', () => {
    expect(refundRefusalNextStep('退费未办理：HIS：药品已发药，请先退药；原结算保持不变')).toContain('药房办理退药');
    expect(refundRefusalNextStep('退费未办理：医保中心拒绝撤销结算：跨日；原结算保持不变')).toContain('医保科');
  });
});

describe('detailKeys', () => {
  const order = (state: OrderView['state']) => sampleOrder({ state });
  const enabled = (keys: ReturnType<typeof detailKeys>) => keys.filter((k) => k.enabled).map((k) => k.key);

  it('offers 补打 and 退费 on a completed bill, only Esc while a step runs, the refund slip once refunded', () => {
    expect(enabled(detailKeys(order('completed'), { canRefund: true, busy: false }))).toEqual(['F9', 'Del', 'Esc']);
    expect(enabled(detailKeys(order('completed'), { canRefund: true, busy: true }))).toEqual(['Esc']);
    expect(enabled(detailKeys(order('refunding'), { canRefund: true, busy: false }))).toEqual(['Esc']);
    const refunded = detailKeys(order('refunded'), { canRefund: true, busy: false });
    expect(enabled(refunded)).toEqual(['F9', 'Esc']);
    expect(refunded[0]!.label).toBe('打印退费凭证');
  });

  it('leaves 退费 out for a role that may not refund (the nurse on the same screen)', () => {
    expect(detailKeys(order('completed'), { canRefund: false, busy: false }).map((k) => k.key)).toEqual(['F9', 'Esc']);
  });
});
