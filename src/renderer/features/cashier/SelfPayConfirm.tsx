import { formatYuan, type Fen } from '../../../shared/money';
import { useHotkey } from '../../common/use-hotkey';
import { Button, Kbd, Notice } from '../../ui';

interface SelfPayConfirmProps {
  totalFen: Fen;
  disabled: boolean;
  onConfirm: () => void;
  onBack: () => void;
}

/**
 * HX-20: settling as self-pay leaves the patient's insurance unused, so it takes a second key: Enter confirms,
 * Esc goes back. Both are claimed while the step is shown, so Enter cannot submit a form behind it.
 */
export function SelfPayConfirm({ totalFen, disabled, onConfirm, onBack }: SelfPayConfirmProps) {
  useHotkey('Enter', () => disabled || onConfirm(), { claim: true });
  useHotkey('Escape', onBack, { claim: true });
  return (
    <Notice tone="warn" title="确认按自费结算？" data-testid="selfpay-confirm-step">
      <p>本次不使用患者医保，全部费用 {formatYuan(totalFen)} 由患者自付（微信 / 支付宝）。</p>
      <div className="selfpay-confirm__actions">
        <Button variant="primary" data-testid="selfpay-confirm" disabled={disabled} onClick={onConfirm}>
          确认自费结算 <Kbd>Enter</Kbd>
        </Button>
        <Button data-testid="selfpay-back" onClick={onBack}>
          返回 <Kbd>Esc</Kbd>
        </Button>
      </div>
    </Notice>
  );
}
