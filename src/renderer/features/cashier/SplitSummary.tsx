import type { OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';

/** 医疗费总额 and who pays it: 统筹 / 个账 / 自付 (or all 自费), all in one block at the top of the settle panel. */
export function SplitSummary({ order, testPrefix }: { order: OrderView; testPrefix: 'order-split' | 'order-result' }) {
  const s = order.split;
  const selfPay = order.settleMode === 'self-pay';
  const fundId = testPrefix === 'order-split' ? 'order-split-fund' : 'order-result-fund';
  const accountId = testPrefix === 'order-split' ? 'order-split-account' : 'order-result-account';
  const cashId = testPrefix === 'order-split' ? 'order-split-cash' : 'order-result-cash';
  return (
    <dl className="split" data-testid={testPrefix === 'order-split' ? 'order-split' : 'order-result-split'}>
      <div className="split__total">
        <dt>医疗费总额</dt>
        <dd className="tabular">{formatYuan(s?.totalFen ?? order.totalFen)}</dd>
      </div>
      {selfPay ? (
        <div className="split__cash">
          <dt>自费（微信/支付宝）</dt>
          <dd className="tabular" data-testid={cashId}>
            {formatYuan(s?.cashFen ?? order.totalFen)}
          </dd>
        </div>
      ) : (
        <>
          <div>
            <dt>统筹基金</dt>
            <dd className="tabular" data-testid={fundId}>
              {formatYuan(s?.fundFen ?? 0)}
            </dd>
          </div>
          <div>
            <dt>个人账户</dt>
            <dd className="tabular" data-testid={accountId}>
              {formatYuan(s?.accountFen ?? 0)}
            </dd>
          </div>
          <div className="split__cash">
            <dt>个人自付</dt>
            <dd className="tabular" data-testid={cashId}>
              {formatYuan(s?.cashFen ?? 0)}
            </dd>
          </div>
          {s && s.deductibleFen > 0 && (
            <div className="split__minor">
              <dt>本次起付线</dt>
              <dd className="tabular">{formatYuan(s.deductibleFen)}</dd>
            </div>
          )}
        </>
      )}
    </dl>
  );
}
