import { describe, expect, it } from 'vitest';
import type { ReceiptView } from '../../../shared/domain';
import { receiptAmountRows, receiptPayments, receiptTitle } from './receipt-rows';
import { fen } from '../../../shared/money';

const base: ReceiptView = {
  orderId: '00000000-0000-4000-8000-000000000001',
  institutionName: '厦门弘爱医院',
  institutionCode: 'H35020300001',
  title: '门诊医保结算单',
  settleMode: 'insurance',
  patientName: '张三',
  certNoMasked: '350203********1234',
  insutypeName: '城乡居民基本医疗保险',
  hisOrderNo: 'CF001',
  setlId: 'S1',
  mdtrtId: 'M1',
  hisSettleNo: 'H1',
  invoiceNo: 'I1',
  deptName: '内科',
  doctorName: '李医生',
  lines: [],
  totalFen: fen(10_000),
  fundFen: fen(6_000),
  poolFen: fen(5_000),
  accountFen: fen(1_000),
  cashFen: fen(3_000),
  deductibleFen: fen(500),
  balanceAfterFen: fen(20_000),
  supplementaryCumulativeDeductibleFen: null,
  funds: [
    { fundType: '310100', fundName: '职工基本医疗保险统筹基金', amountFen: fen(5_000) },
    { fundType: '320100', fundName: '公务员医疗补助资金', amountFen: fen(1_000) },
  ],
  payments: [],
  pickupWindow: '西药房 3 号窗',
  operatorName: '收费员甲',
  settledAt: '2025-01-02T08:00:00.000Z',
  printedAt: '2025-01-02T08:01:00.000Z',
  trainingMode: true,
};

describe('receiptAmountRows', () => {
  it('prints the funds one by one under their total, then account, cash and the reference figures', () => {
    const rows = receiptAmountRows(base);
    expect(rows.map((r) => [r.label, r.amountFen, r.group, r.indent ?? false])).toEqual([
      ['医疗费总额', 10_000, 'pay', false],
      ['基金支付合计', 6_000, 'pay', false],
      ['职工基本医疗保险统筹基金', 5_000, 'pay', true],
      ['公务员医疗补助资金', 1_000, 'pay', true],
      ['个人账户支付', 1_000, 'pay', false],
      ['个人现金支付', 3_000, 'pay', false],
      ['本次起付线', 500, 'info', false],
      ['个人账户余额', 20_000, 'info', false],
    ]);
  });

  it('prints 补充累计起付 only where the scheme supplies it, zero included', () => {
    expect(receiptAmountRows(base).some((r) => r.testId === 'receipt-supp-deductible')).toBe(false);
    const supp = receiptAmountRows({ ...base, supplementaryCumulativeDeductibleFen: fen(0) }).find(
      (r) => r.testId === 'receipt-supp-deductible',
    );
    expect(supp).toMatchObject({ label: '补充累计起付', amountFen: fen(0), group: 'info' });
  });

  it('falls back to 统筹基金 when the centre named no funds', () => {
    const rows = receiptAmountRows({ ...base, funds: [] });
    expect(rows.filter((r) => r.indent)).toEqual([expect.objectContaining({ label: '统筹基金', amountFen: fen(5_000) })]);
  });

  it('keys stay unique even when a fund type repeats', () => {
    const rows = receiptAmountRows({ ...base, funds: [...base.funds, base.funds[0]!] });
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('a self-pay slip carries no insurance figure', () => {
    const rows = receiptAmountRows({
      ...base,
      settleMode: 'self-pay',
      fundFen: fen(0),
      accountFen: fen(0),
      cashFen: fen(10_000),
      supplementaryCumulativeDeductibleFen: fen(100),
    });
    expect(rows.map((r) => [r.label, r.amountFen])).toEqual([
      ['医疗费总额', 10_000],
      ['自费金额', 10_000],
    ]);
  });
});

describe('receiptTitle and receiptPayments', () => {
  it("uses the core's title, else the one of the settle mode", () => {
    expect(receiptTitle(base)).toBe('门诊医保结算单');
    expect(receiptTitle({ ...base, title: ' ', settleMode: 'self-pay' })).toBe('门诊自费结算单');
  });

  it('lists only what was paid', () => {
    const payment = {
      outTradeNo: 'T1',
      mode: 'precreate',
      wallet: 'wechat',
      amountFen: fen(3_000),
      qrCode: null,
      expiresAt: null,
      updatedAt: base.settledAt,
    } as const;
    const paid = { ...payment, state: 'paid' as const };
    expect(receiptPayments({ ...base, payments: [{ ...payment, outTradeNo: 'T0', state: 'closed' }, paid] })).toEqual([paid]);
  });
});
