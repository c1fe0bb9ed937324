import type { PaymentView, ReceiptView } from '../../../shared/domain';
import type { Fen } from '../../../shared/money';

export interface ReceiptAmountRow {
  key: string;
  label: string;
  amountFen: Fen;
  /** 'pay': who paid what; 'info': figures printed for reference (起付线, 余额) */
  group: 'pay' | 'info';
  /** a fund's line under 基金支付合计 */
  indent?: boolean;
  testId?: string;
}

const DEFAULT_TITLES: Record<ReceiptView['settleMode'], string> = {
  insurance: '门诊医保结算单',
  'self-pay': '门诊自费结算单',
};

export function receiptTitle(receipt: ReceiptView): string {
  return receipt.title.trim() || DEFAULT_TITLES[receipt.settleMode];
}

/**
 * The amount rows of the slip, in print order. Insurance: total, the funds (one line per setldetail fund, or
 * 统筹基金 when the centre gave none), personal account, cash, then 本次起付线, 补充累计起付 (only where the scheme
 * supplies it) and the account balance after. Self-pay: total and 自费 only — no insurance figure is printed.
 */
export function receiptAmountRows(receipt: ReceiptView): ReceiptAmountRow[] {
  const total: ReceiptAmountRow = { key: 'total', label: '医疗费总额', amountFen: receipt.totalFen, group: 'pay', testId: 'receipt-total' };
  if (receipt.settleMode === 'self-pay') {
    return [total, { key: 'cash', label: '自费金额', amountFen: receipt.cashFen, group: 'pay', testId: 'receipt-cash' }];
  }
  const funds: ReceiptAmountRow[] =
    receipt.funds.length > 0
      ? receipt.funds.map((f, i) => ({
          key: `fund-${f.fundType}-${i}`,
          label: f.fundName || `基金 ${f.fundType}`,
          amountFen: f.amountFen,
          group: 'pay',
          indent: true,
        }))
      : [{ key: 'pool', label: '统筹基金', amountFen: receipt.poolFen, group: 'pay', indent: true }];
  const rows: ReceiptAmountRow[] = [
    total,
    { key: 'fund', label: '基金支付合计', amountFen: receipt.fundFen, group: 'pay', testId: 'receipt-fund' },
    ...funds,
    { key: 'account', label: '个人账户支付', amountFen: receipt.accountFen, group: 'pay', testId: 'receipt-account' },
    { key: 'cash', label: '个人现金支付', amountFen: receipt.cashFen, group: 'pay', testId: 'receipt-cash' },
    { key: 'deductible', label: '本次起付线', amountFen: receipt.deductibleFen, group: 'info', testId: 'receipt-deductible' },
  ];
  if (receipt.supplementaryCumulativeDeductibleFen !== null) {
    rows.push({
      key: 'supp-deductible',
      label: '补充累计起付',
      amountFen: receipt.supplementaryCumulativeDeductibleFen,
      group: 'info',
      testId: 'receipt-supp-deductible',
    });
  }
  rows.push({ key: 'balance', label: '个人账户余额', amountFen: receipt.balanceAfterFen, group: 'info', testId: 'receipt-balance' });
  return rows;
}

/** The slip lists what was actually paid; failed or closed attempts are not the patient's business. */
export function receiptPayments(receipt: ReceiptView): PaymentView[] {
  return receipt.payments.filter((p) => p.state === 'paid');
}
