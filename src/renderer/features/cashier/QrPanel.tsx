import { useEffect, useRef } from 'react';
import type { PaymentView } from '../../../shared/domain';
import { formatYuan } from '../../../shared/money';
import { useHotkey } from '../../common/use-hotkey';
import { Button, Kbd } from '../../ui';
import { Countdown } from './Countdown';
import { QrCode } from './QrCode';
import { walletLabel } from './order-labels';

interface QrPanelProps {
  payment: PaymentView;
  disabled: boolean;
  onCancel: () => void;
}

/**
 * HX-22: the merchant-presented QR for the cash share, turned towards the patient. The station learns of the
 * payment by itself (an `orderUpdated` event); Esc closes the QR — the station then undoes the insurance
 * settlement, so the order goes back to 待结算.
 */
export function QrPanel({ payment, disabled, onCancel }: QrPanelProps) {
  // Esc belongs to the QR while it is up (even while a step runs), never to "next patient" behind it.
  useHotkey('Escape', () => disabled || onCancel(), { claim: true });
  const wallet = walletLabel(payment.wallet);
  const panel = useRef<HTMLDivElement>(null);
  // The QR is for the patient's eyes: bring it into view when it appears, even on a long order.
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'nearest' });
  }, [payment.outTradeNo]);
  return (
    <div ref={panel} className="qr-panel" data-testid="qr-panel" data-wallet={payment.wallet} data-out-trade-no={payment.outTradeNo}>
      {payment.qrCode && <QrCode value={payment.qrCode} label={`${wallet}收款二维码`} />}
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
        <Button data-testid="qr-cancel" disabled={disabled} onClick={onCancel}>
          取消二维码 <Kbd>Esc</Kbd>
        </Button>
      </div>
    </div>
  );
}
