import type { AuditEntryView } from '../../../shared/domain';
import { formatDateTime } from '../../common/format';
import { QueryResult } from '../../common/QueryResult';
import { useStationQuery } from '../../common/use-station-query';
import { Button, DataTable, Panel, Tag, type Column } from '../../ui';
import { actionLabel, auditDetail, OUTCOME_LABELS } from './audit-labels';

const AUDIT_LIMIT = 100;

const COLUMNS: readonly Column<AuditEntryView>[] = [
  { header: '时间', cell: (entry) => formatDateTime(entry.at), width: '180px' },
  { header: '操作员', cell: (entry) => (entry.operatorId ? <span className="code">{entry.operatorId}</span> : '—'), width: '110px' },
  { header: '操作', cell: (entry) => <AuditAction action={entry.action} />, width: '280px' },
  {
    header: '结果',
    cell: (entry) => <Tag tone={OUTCOME_LABELS[entry.outcome].tone}>{OUTCOME_LABELS[entry.outcome].label}</Tag>,
    width: '72px',
  },
  { header: '详情', cell: (entry) => <AuditDetail detail={entry.detail} /> },
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
    <Panel
      className="admin-panel"
      actions={
        <>
          <span className="admin-panel__note">最近 {AUDIT_LIMIT} 条</span>
          <Button data-testid="audit-refresh" onClick={audit.reload}>
            刷新
          </Button>
        </>
      }
    >
      <QueryResult query={audit} errorTestId="audit-error">
        {(entries) => (
          <DataTable
            caption="审计日志"
            data-testid="audit-table"
            columns={COLUMNS}
            rows={[...entries].sort((a, b) => b.id - a.id)}
            rowKey={(entry) => entry.id}
            empty="暂无审计记录"
          />
        )}
      </QueryResult>
    </Panel>
  );
}
