/** A consistent outpatient bill for the e-bill tests: 123.45 yuan paid by the fund, the account and WeChat. */
import { fen } from '../../../shared/money';
import type { EBillIssueRequest } from '../types';

export function sampleBill(overrides: Partial<EBillIssueRequest> = {}): EBillIssueRequest {
  return {
    busNo: 'MZ20261122001',
    busType: '02',
    busTime: '2026-11-22T02:15:30.123Z',
    placeCode: 'WIN01',
    payee: '张收费',
    author: '张收费',
    payer: { name: '陈建国', idCardNo: '350102198001010016', tel: '13800000000' },
    totalFen: fen(12345),
    split: { fundFen: fen(6000), accountFen: fen(2000), otherFundFen: fen(0), cashFen: fen(4345), ownPayFen: fen(1000) },
    payments: [
      { channel: 'YBTCJJ', amountFen: fen(6000) },
      { channel: 'YBK', amountFen: fen(2000) },
      { channel: 'WX', amountFen: fen(4345) },
    ],
    groups: [
      { code: 'XYF', name: '西药费', amountFen: fen(8345), selfFen: fen(1000) },
      { code: 'JCF', name: '检查费', amountFen: fen(4000), selfFen: fen(0) },
    ],
    items: [
      item('XYF', 'Y001', '阿莫西林胶囊', '0.25g*24粒', '盒', '2', 2345, 4690, 1000, '乙类'),
      item('XYF', 'Y002', '布洛芬缓释胶囊', '0.3g*20粒', '盒', '1', 3655, 3655, 0, '甲类'),
      item('JCF', 'J001', '血常规', '', '次', '1', 4000, 4000, 0, '甲类'),
    ],
    visit: { visitNo: 'MZ0001', deptName: '内科', insuranceId: '35000000000000000001', insuranceType: '310', settlementId: 'SETL0001' },
    ...overrides,
  };
}

function item(
  groupCode: string,
  code: string,
  name: string,
  spec: string,
  unit: string,
  quantity: string,
  unitPrice: number,
  amount: number,
  self: number,
  chargeLevel: string,
): EBillIssueRequest['items'][number] {
  return {
    groupCode,
    code,
    name,
    spec,
    unit,
    quantity,
    unitPriceFen: fen(unitPrice),
    amountFen: fen(amount),
    selfFen: fen(self),
    chargeLevel,
  };
}
