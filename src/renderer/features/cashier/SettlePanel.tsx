import { Alert, Button, Spin } from 'antd';
import type { OrderView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { Countdown } from './Countdown';
import { OrderResult } from './OrderResult';
import { QrPanel } from './QrPanel';
import { SettleSteps } from './SettleSteps';
import { SplitSummary } from './SplitSummary';
import { cashShareFen, pendingQr } from './order-labels';

/** Where the order's detail is news the cashier must read (a reversal, an expiry), not a footnote. */
const DETAIL_NOTICE_STATES: readonly OrderView['state'][] = ['open', 'reversed', 'expired'];

export interface SettleActions {
  onPreSettle: () => void;
  onSelfPay: () => void;
  onSettle: () => void;
  onCancel: () => void;
  onPayByQr: () => void;
  onPayByCash: () => void;
  onPayByCard: () => void;
  onCancelQr: () => void;
  onPrint: () => void;
}

interface SettlePanelProps extends SettleActions {
  order: OrderView;
  disabled: boolean;
  canCancelSettlement: boolean;
}

/**
 * The right-hand panel: the split at the top, then what to do next for this order's state — the amount to
 * collect with its countdown and QR, the result and slip — and the step strip. Everything here stays in view.
 */
export function SettlePanel(props: SettlePanelProps) {
  const { order } = props;
  return (
    <section className="settle-panel" aria-label="结算">
      {order.state !== 'completed' && (order.split || order.state === 'open') && <SplitSummary order={order} testPrefix="order-split" />}
      {order.detail &&
        (DETAIL_NOTICE_STATES.includes(order.state) ? (
          <Alert type="warning" showIcon title={order.detail} data-testid="order-detail" />
        ) : (
          <p className="settle-panel__detail" data-testid="order-detail">
            {order.detail}
          </p>
        ))}
      <div className="settle-panel__step">
        <NextStep {...props} />
      </div>
      <SettleSteps order={order} />
    </section>
  );
}

function NextStep(props: SettlePanelProps) {
  const { order, disabled } = props;
  switch (order.state) {
    case 'open':
      return (
        <div className="settle-panel__actions">
          <Button type="primary" size="large" data-testid="order-presettle" disabled={disabled} onClick={props.onPreSettle}>
            医保预结算 <kbd>F4</kbd>
          </Button>
          <Button size="large" data-testid="selfpay-button" disabled={disabled} onClick={props.onSelfPay}>
            自费结算 <kbd>F8</kbd>
          </Button>
        </div>
      );
    case 'previewed':
      return (
        <div className="settle-panel__actions">
          <Button type="primary" size="large" data-testid="order-settle" disabled={disabled} onClick={props.onSettle}>
            确认结算 <kbd>F5</kbd>
          </Button>
        </div>
      );
    case 'awaiting-payment':
      return <AwaitingPayment {...props} />;
    case 'in-doubt':
      return (
        <div className="settle-panel__doubt" role="status">
          <Spin size="small" /> 结果未知 — 正在核实，完成前不能再次结算
        </div>
      );
    case 'reversing':
    case 'expiring':
      return (
        <div className="settle-panel__doubt" role="status" data-testid="order-reversing">
          <Spin size="small" />
          {order.state === 'reversing' ? '患者未完成自付，正在自动撤销医保结算，完成后可重新结算' : '补缴期限已过，正在撤销医保结算与挂号'}
        </div>
      );
    case 'completed':
      return <OrderResult order={order} onPrint={props.onPrint} />;
    default:
      return null;
  }
}

/** The cash share still to collect: the payment code on the scan box, a QR on screen (F7), or notes (F1, the cashier's). */
function AwaitingPayment(props: SettlePanelProps) {
  const { order, disabled, canCancelSettlement, onCancel, onPayByQr, onPayByCash, onPayByCard, onCancelQr } = props;
  const qr = pendingQr(order);
  const cash = cashShareFen(order);
  return (
    <div className="pay" data-testid="order-pay-prompt">
      <div className="pay__due">
        <span className="pay__label">应收{order.settleMode === 'self-pay' ? '自费' : '个人自付'}</span>
        <strong className="pay__amount tabular" data-testid="order-cash-due">
          {formatYuan(cash)}
        </strong>
        {order.payBefore && (
          <span className="pay__deadline">
            请在 <Countdown until={order.payBefore} data-testid="order-pay-countdown" /> 内完成支付
          </span>
        )}
      </div>
      {qr ? (
        <QrPanel payment={qr} disabled={disabled} onCancel={onCancelQr} />
      ) : (
        <div className="pay__ways">
          <p>
            {canCancelSettlement
              ? '请患者在扫码墩上扫微信 / 支付宝付款码，或收现金、刷银行卡'
              : '请患者出示微信或支付宝付款码，在扫码墩上扫码支付'}
          </p>
          <div className="settle-panel__actions">
            {canCancelSettlement && (
              <>
                <Button data-testid="order-pay-cash" disabled={disabled} onClick={onPayByCash}>
                  现金 <kbd>F1</kbd>
                </Button>
                <Button data-testid="order-pay-card" disabled={disabled} onClick={onPayByCard}>
                  银行卡 <kbd>Alt+K</kbd>
                </Button>
              </>
            )}
            <Button type="primary" data-testid="order-pay-qr" disabled={disabled} onClick={onPayByQr}>
              二维码收款 <kbd>F7</kbd>
            </Button>
            {canCancelSettlement && order.settleMode === 'insurance' && (
              <Button danger data-testid="order-cancel" disabled={disabled} onClick={onCancel}>
                撤销医保结算 <kbd>Del</kbd>
              </Button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
