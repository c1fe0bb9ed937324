import { Steps } from 'antd';
import type { OrderView } from '../../../shared/domain';

const INSURANCE_STEPS = ['识别', '预结算', '医保结算', '收款', '完成'];
const SELF_PAY_STEPS = ['识别', '自费结算', '收款', '完成'];

/** Which step of the round the order is at. */
function stepIndex(order: OrderView): number {
  const selfPay = order.settleMode === 'self-pay';
  switch (order.state) {
    case 'open':
      return 1;
    case 'previewed':
      return 2;
    case 'insurance-settled':
    case 'awaiting-payment':
    case 'reversing':
    case 'expiring':
      return selfPay ? 2 : 3;
    case 'completed':
      return selfPay ? 3 : 4;
    case 'in-doubt':
      return selfPay ? 1 : 2;
    default:
      // reversed, expired: the round is undone, back at the start
      return 1;
  }
}

/** The step strip: ①识别 ②预结算 ③结算 ④收款 ⑤完成, the current one lit. */
export function SettleSteps({ order }: { order: OrderView }) {
  const titles = order.settleMode === 'self-pay' ? SELF_PAY_STEPS : INSURANCE_STEPS;
  const current = stepIndex(order);
  return (
    <Steps
      className="settle-steps"
      size="small"
      current={current}
      status={order.state === 'completed' ? 'finish' : 'process'}
      items={titles.map((title) => ({ title }))}
      data-testid="settle-steps"
      data-step={current}
    />
  );
}
