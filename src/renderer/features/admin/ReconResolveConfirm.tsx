import { useEffect, useState } from 'react';
import { Radio } from 'antd';
import { RECON_DIFFERENCE_LABELS, type ReconDifferenceView } from '../../../shared/reconciliation';
import { KeyConfirm } from '../cashier';

/** Why the office acts on a difference: kept in the audit trail with what was done. */
export const RESOLVE_REASONS = ['中心多记或重复结算', '工作站离线漏传', '核实后按建议处理', '其他原因'] as const;

/** What carrying out the suggestion does, as the dialog says it before Enter. */
export function resolutionOf(d: ReconDifferenceView): string {
  if (d.kind === 'centre-only') return '向中心撤销该结算（2208，经待处理队列发送，结果以 5204 确认），然后重新对账';
  if (d.kind === 'hospital-only') return '向中心查询该就诊的结算（5204）：中心无此结算时交待处理队列核实，否则转人工；然后重新对账';
  return '不向中心发送：记为需人工处理（以 5203 核对金额），然后重新对账';
}

/** 处理差异 from the 3202 drill-down: digits choose the reason, Enter carries it out, Esc goes back. */
export function ReconResolveConfirm({
  difference,
  onOk,
  onCancel,
}: {
  difference: ReconDifferenceView;
  onOk: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<string>(RESOLVE_REASONS[0]);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const picked = RESOLVE_REASONS[Number(event.key) - 1];
      if (!picked || event.repeat) return;
      event.preventDefault();
      setReason(picked);
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  return (
    <KeyConfirm
      title={`处理对账差异 · ${RECON_DIFFERENCE_LABELS[difference.kind]}`}
      okText="按建议处理"
      danger={difference.kind === 'centre-only'}
      testId="confirm-recon-resolve"
      onOk={() => onOk(reason)}
      onCancel={onCancel}
    >
      <p>
        结算ID {difference.setlId ?? '—'} · {resolutionOf(difference)}
      </p>
      <Radio.Group value={reason} onChange={(e) => setReason(String(e.target.value))} data-testid="recon-resolve-reason">
        {RESOLVE_REASONS.map((r, i) => (
          <Radio key={r} value={r}>
            <kbd>{i + 1}</kbd> {r}
          </Radio>
        ))}
      </Radio.Group>
    </KeyConfirm>
  );
}
