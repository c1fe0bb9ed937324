import { Button } from 'antd';
import type { PaymentView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { Countdown } from './Countdown';
import { QrCode } from './QrCode';
import { walletLabel } from './order-labels';

interface QrPanelProps {
  payment: PaymentView;
  disabled: boolean;
  /** Absent: the QR is not closed from this screen (it closes by itself when it expires). */
  onCancel?: () => void;
}

/**
 * HX-22: the merchant-presented QR for the cash share, turned towards the patient. The station learns of the
 * payment by itself (an `orderUpdated` event); closing the QR (Esc, confirmed) makes the station undo the
 * insurance settlement, so the order goes back to 待结算.
 */
export function QrPanel({ payment, disabled, onCancel }: QrPanelProps) {
  const wallet = walletLabel(payment.wallet);
  return (
    <div className="qr-panel" data-testid="qr-panel" data-wallet={payment.wallet} data-out-trade-no={payment.outTradeNo}>
      {payment.qrCode && <QrCode value={payment.qrCode} label={`${wallet}收款二维码`} size={176} />}
      <div className="qr-panel__facts">
        <p className="qr-panel__title">请患者用{wallet}扫码支付</p>
        <p className="qr-panel__amount tabular" data-testid="qr-amount">
          {formatYuan(payment.amountFen)}
        </p>
        {payment.expiresAt && (
          <p className="qr-panel__expiry">
            二维码有效期 <Countdown until={payment.expiresAt} data-testid="qr-countdown" />
          </p>
        )}
        <p className="qr-panel__hint">患者支付后自动完成结算，无需操作</p>
        {onCancel && (
          <Button data-testid="qr-cancel" disabled={disabled} onClick={onCancel}>
            取消二维码 <kbd>Esc</kbd>
          </Button>
        )}
      </div>
    </div>
  );
}
