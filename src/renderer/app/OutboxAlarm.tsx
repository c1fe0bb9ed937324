import { useState } from 'react';
import type { OutboxSummary } from '../../shared/domain';
import { useStationEvent } from '../common/station-context';
import { useStationQuery } from '../common/use-station-query';

/**
 * On every screen while any money movement is in doubt: "resolving" while the station works on it by itself,
 * and an alarm when one waits for a person (医保办 / 信息科). Nothing in doubt is ever silent.
 */
export function OutboxAlarm() {
  const initial = useStationQuery((api) => api.outboxSummary({}));
  const [live, setLive] = useState<OutboxSummary | null>(null);
  useStationEvent('outboxAlarm', setLive);
  const summary = live ?? (initial.status === 'ready' ? initial.value : null);
  if (!summary || (summary.inDoubt === 0 && summary.escalated === 0)) return null;
  const escalated = summary.escalated > 0;
  return (
    <div
      className={`outbox-alarm outbox-alarm--${escalated ? 'escalated' : 'resolving'}`}
      data-testid="outbox-alarm"
      data-in-doubt={summary.inDoubt}
      data-escalated={summary.escalated}
      role={escalated ? 'alert' : 'status'}
    >
      {escalated && <strong>有 {summary.escalated} 笔交易无法自动核实，请联系医保办或信息科在“待核实交易”中处理</strong>}
      {summary.inDoubt > 0 && <span>{summary.inDoubt} 笔交易结果未知 — 正在自动核实，相关订单暂时锁定</span>}
    </div>
  );
}
