import { Radio } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { KeyConfirm } from './KeyConfirm';

/**
 * A step that cannot be taken back and needs a reason kept with it (撤销医保结算, 退费): digits choose one of the
 * reasons, Enter confirms, Esc goes back — the cashier's hands stay on the keyboard.
 */
export function ReasonConfirm({
  title,
  okText,
  reasons,
  testId,
  reasonTestId,
  children,
  onOk,
  onCancel,
}: {
  title: string;
  okText: string;
  reasons: readonly string[];
  testId: string;
  reasonTestId: string;
  children: ReactNode;
  onOk: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<string>(reasons[0] ?? '');
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const picked = reasons[Number(event.key) - 1];
      if (!picked || event.repeat) return;
      event.preventDefault();
      setReason(picked);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [reasons]);
  return (
    <KeyConfirm title={title} okText={okText} danger testId={testId} onOk={() => onOk(reason)} onCancel={onCancel}>
      {children}
      <Radio.Group value={reason} onChange={(e) => setReason(String(e.target.value))} data-testid={reasonTestId}>
        {reasons.map((r, i) => (
          <Radio key={r} value={r}>
            <kbd>{i + 1}</kbd> {r}
          </Radio>
        ))}
      </Radio.Group>
    </KeyConfirm>
  );
}
