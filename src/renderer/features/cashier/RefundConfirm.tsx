import { Radio } from 'antd';
import { useEffect, useState } from 'react';
import { KeyConfirm } from './KeyConfirm';

/** Why the bill is refunded, kept with the refund, HIS's application and the audit; digits choose, Enter confirms. */
export const REFUND_REASONS = ['患者不再就诊', '医生取消处方', '重复收费', '其他原因'] as const;

export function RefundConfirm({ summary, onOk, onCancel }: { summary: string; onOk: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState<string>(REFUND_REASONS[0]);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const picked = REFUND_REASONS[Number(event.key) - 1];
      if (!picked || event.repeat) return;
      event.preventDefault();
      setReason(picked);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  return (
    <KeyConfirm title="整单退费？" okText="退费" danger testId="confirm-refund" onOk={() => onOk(reason)} onCancel={onCancel}>
      <p>{summary}</p>
      <p>HIS 审核后，医保中心撤销结算（统筹与个人账户退回），自付部分原路退回患者的支付账户。</p>
      <Radio.Group value={reason} onChange={(e) => setReason(String(e.target.value))} data-testid="refund-reason">
        {REFUND_REASONS.map((r, i) => (
          <Radio key={r} value={r}>
            <kbd>{i + 1}</kbd> {r}
          </Radio>
        ))}
      </Radio.Group>
    </KeyConfirm>
  );
}
