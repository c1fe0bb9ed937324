import { useState } from 'react';
import { Alert } from 'antd';
import type { OutboxSummary } from '../../shared/domain';
import { useStationEvent } from '../common/station-context';
import { useStationQuery } from '../common/use-station-query';

/** The outbox's counts as they change (the `outboxAlarm` event), starting from a query. */
function useOutboxSummary(): OutboxSummary | null {
  const initial = useStationQuery((api) => api.outboxSummary({}));
  const [live, setLive] = useState<OutboxSummary | null>(null);
  useStationEvent('outboxAlarm', setLive);
  return live ?? (initial.status === 'ready' ? initial.value : null);
}

/** 待核实 in the status bar: the patient is standing at the window, so the count is where the cashier looks. */
export function PendingCount() {
  const summary = useOutboxSummary();
  const pending = summary ? summary.inDoubt + summary.escalated : null;
  return (
    <span className={`status-badge status-badge--${pending ? 'warn' : 'ok'}`} data-testid="pending-count" data-count={pending ?? ''}>
      <span className="status-badge__dot" aria-hidden="true" />
      待核实 {pending ?? '…'}
    </span>
  );
}

/**
 * On every screen while any money movement is in doubt: "resolving" while the station works on it by itself,
 * and an alarm when one waits for a person (医保办 / 信息科). Nothing in doubt is ever silent.
 */
export function OutboxAlarm() {
  const summary = useOutboxSummary();
  if (!summary || (summary.inDoubt === 0 && summary.escalated === 0)) return null;
  const escalated = summary.escalated > 0;
  return (
    <Alert
      banner
      type={escalated ? 'error' : 'warning'}
      className="station-alarm"
      data-testid="outbox-alarm"
      data-in-doubt={summary.inDoubt}
      data-escalated={summary.escalated}
      role={escalated ? 'alert' : 'status'}
      title={
        <>
          {escalated && <strong>有 {summary.escalated} 笔交易无法自动核实，请联系医保办或信息科在“待核实交易”中处理</strong>}
          {summary.inDoubt > 0 && (
            <span className="station-alarm__more">{summary.inDoubt} 笔交易结果未知 — 正在自动核实，相关订单暂时锁定</span>
          )}
        </>
      }
    />
  );
}
