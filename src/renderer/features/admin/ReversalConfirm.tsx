import { useEffect, useState } from 'react';
import { Form, Input, Radio } from 'antd';
import type { FinanceRow } from '../../../shared/finance-lists';
import { PasswordField } from '../../common/PasswordField';
import { KeyConfirm } from '../cashier';

/** Why the administrator reverses: kept with the refund or the undo and in the audit trail. */
export const REVERSAL_REASONS = ['收费错误', '患者放弃就诊', '重复挂号或重复收费', '其他原因'] as const;

/** What the quick reversal does with the order as it stands now, as the dialog says it. */
export function reversalOf(row: FinanceRow): string | null {
  if (row.orderState === 'completed') return '整单退费：HIS 审核后撤销医保结算（2208 → 2205 → 2202），自付部分原路退回';
  if (row.orderState === 'previewed' || row.orderState === 'awaiting-payment')
    return '撤销挂号：撤销费用明细和门诊登记（2205 → 2202），单据回到待结算';
  return null;
}

/**
 * 快速撤销 from the finance lists: digits choose the reason (outside the fields), Enter confirms, Esc goes back. With
 * the station's second-person setting on, another administrator types 工号 and password here before Enter.
 */
export function ReversalConfirm({
  row,
  approval,
  onOk,
  onCancel,
}: {
  row: FinanceRow;
  approval: boolean;
  onOk: (reason: string, approver?: { id: string; password: string }) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<string>(REVERSAL_REASONS[0]);
  const [approverId, setApproverId] = useState('');
  const [password, setPassword] = useState('');
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement && event.target.type !== 'radio') return; // a 工号 has digits of its own
      const picked = REVERSAL_REASONS[Number(event.key) - 1];
      if (!picked || event.repeat) return;
      event.preventDefault();
      setReason(picked);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  return (
    <KeyConfirm
      title={`快速撤销 · ${row.hisOrderNo}`}
      okText="撤销"
      danger
      testId="confirm-reversal"
      onOk={() => onOk(reason, approval ? { id: approverId.trim(), password } : undefined)}
      onCancel={onCancel}
    >
      <p>
        {row.patientName} · {reversalOf(row)}
      </p>
      <Radio.Group value={reason} onChange={(e) => setReason(String(e.target.value))} data-testid="reversal-reason">
        {REVERSAL_REASONS.map((r, i) => (
          <Radio key={r} value={r}>
            <kbd>{i + 1}</kbd> {r}
          </Radio>
        ))}
      </Radio.Group>
      {approval && (
        <Form layout="vertical" className="reversal-approval" data-testid="reversal-approval">
          <p>本站要求第二人审批：请另一位管理员输入工号和密码。</p>
          <Form.Item label="审批人工号" className="field">
            <Input value={approverId} onChange={(e) => setApproverId(e.target.value)} data-testid="reversal-approver" autoComplete="off" />
          </Form.Item>
          <PasswordField label="审批人密码" value={password} onChange={setPassword} purpose="current" data-testid="reversal-password" />
        </Form>
      )}
    </KeyConfirm>
  );
}
