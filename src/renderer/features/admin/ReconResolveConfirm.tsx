import { useEffect, useState } from 'react';
import { Radio } from 'antd';
import {
  HIS_DIFFERENCE_LABELS,
  RECON_DIFFERENCE_LABELS,
  STATEMENT_DIFFERENCE_LABELS,
  type HisDifferenceView,
  type ReconDifferenceView,
  type StatementDifferenceView,
} from '../../../shared/reconciliation';
import { KeyConfirm } from '../cashier';

/** Why the office acts on a difference: kept in the audit trail with what was done. */
export const RESOLVE_REASONS = ['中心多记或重复结算', '工作站离线漏传', '核实后按建议处理', '其他原因'] as const;

/** One difference of any list, as the op names it and the dialog describes it. */
export interface ResolveTarget {
  source: 'centre' | 'his' | 'statement';
  key: string;
  title: string;
  /** Which difference, in the list's own words. */
  names: string;
  /** What carrying out the suggestion does, said before Enter. */
  does: string;
  danger: boolean;
}

/** What HIS's and the platform's differences do: the op hands the order to the outbox or leaves it to a person. */
const handOver = (orderId: string | null) =>
  orderId
    ? `院内单据 ${orderId} 仍有待核实的交易时，交待处理队列立即核实；否则记为需人工处理（按处理建议），然后重新对账`
    : '院内账本无对应单据：记为需人工处理（按处理建议），然后重新对账';

export function centreTarget(d: ReconDifferenceView): ResolveTarget | null {
  if (!d.setlId) return null;
  const does =
    d.kind === 'centre-only'
      ? '向中心撤销该结算（2208，经待处理队列发送，结果以 5204 确认），然后重新对账'
      : d.kind === 'hospital-only'
        ? '向中心查询该就诊的结算（5204）：中心无此结算时交待处理队列核实，否则转人工；然后重新对账'
        : '不向中心发送：记为需人工处理（以 5203 核对金额），然后重新对账';
  return {
    source: 'centre',
    key: d.setlId,
    title: RECON_DIFFERENCE_LABELS[d.kind],
    names: `结算ID ${d.setlId}`,
    does,
    danger: d.kind === 'centre-only',
  };
}

export function hisTarget(d: HisDifferenceView): ResolveTarget {
  return {
    source: 'his',
    key: d.settleId,
    title: `HIS · ${HIS_DIFFERENCE_LABELS[d.kind]}`,
    names: `结算号 ${d.settleId}`,
    does: handOver(d.orderId),
    danger: false,
  };
}

export function statementTarget(d: StatementDifferenceView): ResolveTarget {
  return {
    source: 'statement',
    key: d.outTradeNo,
    title: `支付平台 · ${STATEMENT_DIFFERENCE_LABELS[d.kind]}`,
    names: `商户订单号 ${d.outTradeNo}`,
    does: handOver(d.orderId),
    danger: false,
  };
}

/** 处理差异 from a drill-down: digits choose the reason, Enter carries it out, Esc goes back. */
export function ReconResolveConfirm({
  target,
  onOk,
  onCancel,
}: {
  target: ResolveTarget;
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
      title={`处理对账差异 · ${target.title}`}
      okText="按建议处理"
      danger={target.danger}
      testId="confirm-recon-resolve"
      onOk={() => onOk(reason)}
      onCancel={onCancel}
    >
      <p>
        {target.names} · {target.does}
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
