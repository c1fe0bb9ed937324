import { Radio } from 'antd';
import { useEffect, useState } from 'react';
import { KeyConfirm } from './KeyConfirm';

/** Why the cashier cancels, kept with the order and the audit (HX-28); digits choose, Enter confirms. */
export const UNDO_REASONS = ['患者未缴费离开', '患者改为自费', '处方有误需修改', '其他原因'] as const;

export function UndoConfirm({ cash, onOk, onCancel }: { cash: string; onOk: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState<string>(UNDO_REASONS[0]);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const picked = UNDO_REASONS[Number(event.key) - 1];
      if (!picked || event.repeat) return;
      event.preventDefault();
      setReason(picked);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  return (
    <KeyConfirm title="撤销本次医保结算？" okText="撤销医保结算" danger testId="confirm-undo" onOk={() => onOk(reason)} onCancel={onCancel}>
      <p>
        医保中心将撤销本次结算、费用明细与挂号（统筹与个人账户退回），收费单回到待结算，可重新结算。患者尚未支付的自付 {cash} 不再收取。
      </p>
      <Radio.Group value={reason} onChange={(e) => setReason(String(e.target.value))} data-testid="undo-reason">
        {UNDO_REASONS.map((r, i) => (
          <Radio key={r} value={r}>
            <kbd>{i + 1}</kbd> {r}
          </Radio>
        ))}
      </Radio.Group>
    </KeyConfirm>
  );
}
