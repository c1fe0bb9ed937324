import { Button, Tag, type TableColumnsType } from 'antd';
import type { AuditEntryView } from '../../../shared/domain';
import { formatDateTime } from '../../common/format';
import { QueryResult } from '../../common/QueryResult';
import { ScrollTable } from '../../common/ScrollTable';
import { useStationQuery } from '../../common/use-station-query';
import { actionLabel, auditDetail, OUTCOME_LABELS } from './audit-labels';
import { SectionBar } from './SectionBar';

const AUDIT_LIMIT = 100;

const COLUMNS: TableColumnsType<AuditEntryView> = [
  { title: '时间', key: 'at', render: (_, entry) => formatDateTime(entry.at), width: 170 },
  {
    title: '操作员',
    key: 'operator',
    render: (_, entry) => (entry.operatorId ? <span className="code">{entry.operatorId}</span> : '—'),
    width: 100,
  },
  { title: '操作', key: 'action', render: (_, entry) => <AuditAction action={entry.action} />, width: 300 },
  {
    title: '结果',
    key: 'outcome',
    render: (_, entry) => <Tag color={OUTCOME_LABELS[entry.outcome].color}>{OUTCOME_LABELS[entry.outcome].label}</Tag>,
    width: 72,
  },
  { title: '详情', key: 'detail', render: (_, entry) => <AuditDetail detail={entry.detail} />, ellipsis: true },
];

function AuditAction({ action }: { action: string }) {
  const label = actionLabel(action);
  return (
    <span className="audit-action">
      {label ?? <span className="code">{action}</span>}
      {label && <span className="audit-action__code code">{action}</span>}
    </span>
  );
}

/** The failure's label and reason; its code only as the tooltip, for support. */
function AuditDetail({ detail }: { detail: string }) {
  if (!detail) return '—';
  const { text, code } = auditDetail(detail);
  return <span title={code ?? undefined}>{text}</span>;
}

export function AuditLog() {
  const audit = useStationQuery((api) => api.listAudit({ limit: AUDIT_LIMIT }));
  return (
    <>
      <SectionBar note={`最近 ${AUDIT_LIMIT} 条，最新在前`}>
        <Button data-testid="audit-refresh" onClick={audit.reload}>
          刷新
        </Button>
      </SectionBar>
      <QueryResult query={audit} errorTestId="audit-error">
        {(entries) => (
          <ScrollTable
            data-testid="audit-table"
            columns={COLUMNS}
            rows={[...entries].sort((a, b) => b.id - a.id)}
            rowKey={(entry) => entry.id}
            empty="暂无审计记录"
          />
        )}
      </QueryResult>
    </>
  );
}
