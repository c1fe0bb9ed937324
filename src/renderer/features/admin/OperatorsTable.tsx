import { useState } from 'react';
import { ROLE_LABELS, type OperatorAdminView } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { QueryResult } from '../../common/QueryResult';
import { useStation } from '../../common/station-context';
import { useStationQuery } from '../../common/use-station-query';
import { Button, DataTable, Notice, Panel, Tag, type Column } from '../../ui';
import { AddOperatorForm, ResetPasswordForm } from './OperatorForms';

function stateTags(o: OperatorAdminView, now: number) {
  const tags = [
    o.disabled && (
      <Tag key="disabled" tone="neutral">
        停用
      </Tag>
    ),
    o.lockedUntil && new Date(o.lockedUntil).getTime() > now && (
      <Tag key="locked" tone="danger">
        锁定至 {formatDateTime(o.lockedUntil)}
      </Tag>
    ),
    o.mustChangePassword && (
      <Tag key="change" tone="warn">
        需改密码
      </Tag>
    ),
  ].filter(Boolean);
  return tags.length ? tags : <Tag tone="ok">正常</Tag>;
}

/** 操作员: who may sign in at this station, with their roles and state, and what an administrator may do to them. */
export function OperatorsTable() {
  const api = useStation();
  const operators = useStationQuery((station) => station.listOperators({}));
  const [resetting, setResetting] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: string } | { error: ApiError } | null>(null);

  async function act<T>(done: string, call: Promise<Result<T>>): Promise<Result<T>> {
    const result = await call;
    setMessage(result.ok ? { ok: done } : { error: result.error });
    if (result.ok) operators.reload();
    return result;
  }

  const now = Date.now();
  const columns: readonly Column<OperatorAdminView>[] = [
    { header: '工号', cell: (o) => <span className="code">{o.id}</span>, width: '120px' },
    { header: '姓名', cell: (o) => o.name, width: '120px' },
    { header: '角色', cell: (o) => o.roles.map((r) => ROLE_LABELS[r]).join('、'), width: '200px' },
    { header: '状态', cell: (o) => <span className="operator-state">{stateTags(o, now)}</span> },
    {
      header: '操作',
      width: '300px',
      cell: (o) => (
        <span className="operator-actions">
          <Button data-testid={`operator-reset-${o.id}`} onClick={() => setResetting(o.id)}>
            重置密码
          </Button>
          {o.lockedUntil && (
            <Button data-testid={`operator-unlock-${o.id}`} onClick={() => void act(`已解锁 ${o.id}`, api.unlockOperator({ id: o.id }))}>
              解锁
            </Button>
          )}
          {o.disabled ? (
            <Button data-testid={`operator-enable-${o.id}`} onClick={() => void act(`已启用 ${o.id}`, api.enableOperator({ id: o.id }))}>
              启用
            </Button>
          ) : (
            <Button data-testid={`operator-disable-${o.id}`} onClick={() => void act(`已停用 ${o.id}`, api.disableOperator({ id: o.id }))}>
              停用
            </Button>
          )}
        </span>
      ),
    },
  ];

  return (
    <Panel className="admin-panel">
      <div className="operators-tools">
        <AddOperatorForm
          onSubmit={(input) => act(`已新增 ${input.id}，首次登录须修改密码`, api.addOperator(input))}
          onError={(error) => setMessage({ error })}
        />
        {resetting && (
          <ResetPasswordForm
            id={resetting}
            onSubmit={(input) => act(`已重置 ${input.id} 的密码，下次登录须修改`, api.resetOperatorPassword(input))}
            onError={(error) => setMessage({ error })}
            onCancel={() => setResetting(null)}
          />
        )}
        {message && 'ok' in message && <Notice tone="info" title={message.ok} data-testid="operators-message" />}
        {message && 'error' in message && <ErrorNotice error={message.error} testId="operators-message-error" />}
      </div>
      <QueryResult query={operators} errorTestId="operators-error">
        {(rows) => (
          <DataTable
            caption="操作员列表"
            data-testid="operators-table"
            columns={columns}
            rows={rows}
            rowKey={(o) => o.id}
            empty="尚无操作员"
          />
        )}
      </QueryResult>
    </Panel>
  );
}
