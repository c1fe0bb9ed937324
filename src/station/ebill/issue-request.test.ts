/** The bill's request from an order: channels and groups add up in fen, self-pay and 丙类 are the patient's own. */
import { describe, expect, it } from 'vitest';
import { fen } from '../../shared/money';
import { issueRequest, type BillableOrder } from './issue-request';

const line = (medListCodg: string, amount: number, chargeLevel = '01') => ({
  medListCodg,
  name: medListCodg,
  spec: '',
  unit: '次',
  quantity: '1',
  unitPriceFen: fen(amount),
  amountFen: fen(amount),
  chargeLevel,
});

const order = (patch: Partial<BillableOrder> = {}): BillableOrder => ({
  orderId: 'o1',
  busNo: 'S1',
  busTime: '2026-12-04T02:00:00.000Z',
  operatorName: '张敏',
  payer: { name: '陈建国', idCardNo: '350203198503120011' },
  insured: true,
  totalFen: fen(10_001),
  split: { fundFen: fen(6000), accountFen: fen(2001), cashFen: fen(2000) },
  payments: [
    { channel: 'alipay', amountFen: fen(1500) },
    { channel: 'cash', amountFen: fen(500) },
  ],
  lines: [line('XJ01', 3333), line('ZA02', 1111), line('C0301', 2557, '03'), line('001102000010000', 1500), line('XJ05', 1500, '02')],
  visit: { visitNo: 'MZ1', deptName: '内科', psnNo: 'P1', insutype: '310', setlId: 'SETL1' },
  ...patch,
});

describe('issueRequest', () => {
  it('groups lines by their national code, each group the exact sum of its items; 丙类 counted as own pay', () => {
    const r = issueRequest(order(), 'WIN01');
    expect(r.groups).toEqual([
      { code: '01', name: '西药费', amountFen: 4833, selfFen: 0 },
      { code: '02', name: '中成药费', amountFen: 1111, selfFen: 0 },
      { code: '04', name: '卫生材料费', amountFen: 2557, selfFen: 2557 },
      { code: '05', name: '医疗服务费', amountFen: 1500, selfFen: 0 },
    ]);
    expect(r.items.map((i) => i.chargeLevel)).toEqual(['甲类', '甲类', '丙类', '甲类', '乙类']);
    expect(r.split).toEqual({ fundFen: 6000, accountFen: 2001, otherFundFen: 0, cashFen: 2000, ownPayFen: 2557 });
    expect(r.payments).toEqual([
      { channel: 'YBTCJJ', amountFen: 6000 },
      { channel: 'YBK', amountFen: 2001 },
      { channel: 'ZFB', amountFen: 1500 },
      { channel: 'XJ', amountFen: 500 },
    ]);
  });

  it('a self-pay order: the patient pays it all, no insurance fields, no zero channels', () => {
    const r = issueRequest(
      order({
        insured: false,
        totalFen: fen(3000),
        split: { fundFen: fen(0), accountFen: fen(0), cashFen: fen(3000) },
        payments: [{ channel: 'card', amountFen: fen(3000) }],
        lines: [line('XJ01', 3000, '')],
      }),
      'WIN01',
    );
    expect(r.payments).toEqual([{ channel: 'YHK', amountFen: 3000 }]);
    expect(r.visit).toMatchObject({ insuranceId: '', insuranceType: '', settlementId: '' });
    expect(r.items[0]).toMatchObject({ selfFen: 3000, chargeLevel: '' });
  });

  it('refuses to build a bill whose payments or lines do not add up to its total', () => {
    expect(() => issueRequest(order({ payments: [{ channel: 'wechat', amountFen: fen(1999) }] }), 'WIN01')).toThrow(/does not add up/);
    expect(() => issueRequest(order({ lines: [line('XJ01', 10_000)] }), 'WIN01')).toThrow(/does not add up/);
  });
});
