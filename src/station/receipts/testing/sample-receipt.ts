/** A settlement slip as the core builds it, for the receipt tests (docs/nhsa-policy.md example 1, split in fen). */
import type { ReceiptView } from '../../../shared/domain';
import { fen } from '../../../shared/money';

export function sampleReceipt(overrides: Partial<ReceiptView> = {}): ReceiptView {
  return {
    orderId: 'ord-000123',
    institutionName: '厦门弘爱医院',
    institutionCode: 'H35020300001',
    title: '门诊医保结算单',
    settleMode: 'insurance',
    patientName: '陈建国',
    certNoMasked: '350203********2036',
    insutypeName: '职工基本医疗保险',
    hisOrderNo: 'MZ20261122-0007',
    setlId: '2350200000000000042',
    mdtrtId: '1350200000000000017',
    hisSettleNo: 'HS202611220031',
    invoiceNo: 'FP0035020012',
    deptName: '呼吸内科门诊',
    doctorName: '林医生',
    lines: [
      { seq: 1, name: '普通门诊诊察费', spec: '次', unit: '次', quantity: '1', unitPriceFen: fen(1000), amountFen: fen(1000), chargeLevel: '甲' },
      { seq: 2, name: '阿莫西林胶囊', spec: '0.25g*24粒', unit: '盒', quantity: '2', unitPriceFen: fen(1860), amountFen: fen(3720), chargeLevel: '甲' },
      { seq: 3, name: '头孢克洛胶囊', spec: '0.25g*6粒', unit: '盒', quantity: '1', unitPriceFen: fen(3500), amountFen: fen(3500), chargeLevel: '乙' },
      { seq: 4, name: '蒲地蓝消炎口服液', spec: '10ml*10支', unit: '盒', quantity: '1', unitPriceFen: fen(2990), amountFen: fen(2990), chargeLevel: '丙' },
    ],
    totalFen: fen(11210),
    fundFen: fen(2240),
    poolFen: fen(2240),
    accountFen: fen(5000),
    cashFen: fen(3970),
    deductibleFen: fen(8400),
    balanceAfterFen: fen(320678),
    supplementaryCumulativeDeductibleFen: fen(20000),
    funds: [{ fundType: '310100', fundName: '职工基本医疗保险统筹基金', amountFen: fen(2240) }],
    payments: [
      {
        outTradeNo: 'YB20261122101530000123',
        mode: 'micropay',
        wallet: 'wechat',
        amountFen: fen(3970),
        state: 'paid',
        qrCode: null,
        expiresAt: null,
        updatedAt: '2026-11-22T02:16:10.000Z',
      },
    ],
    pickupWindow: '西药房 3 号窗口',
    operatorName: '收费员甲',
    settledAt: '2026-11-22T02:15:59.000Z', // 10:15:59 China time
    printedAt: '2026-11-22T02:16:20.000Z', // 10:16:20 China time
    trainingMode: false,
    ...overrides,
  };
}
