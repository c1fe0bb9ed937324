import { useState } from 'react';
import { Alert, Button, Space, Tag, type TableColumnsType } from 'antd';
import { ROLE_LABELS, type OperatorAdminView } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { formatDateTime } from '../../common/format';
import { QueryResult } from '../../common/QueryResult';
import { ScrollTable } from '../../common/ScrollTable';
import { useStation } from '../../common/station-context';
import { TONE_COLORS } from '../../common/tone';
import { useStationQuery } from '../../common/use-station-query';
import { AddOperatorForm, ResetPasswordForm } from './OperatorForms';

function stateTags(o: OperatorAdminView, now: number) {
  const tags = [
    o.disabled && (
      <Tag key="disabled" color={TONE_COLORS.neutral}>
        停用
      </Tag>
    ),
    o.lockedUntil && new Date(o.lockedUntil).getTime() > now && (
      <Tag key="locked" color={TONE_COLORS.danger}>
        锁定至 {formatDateTime(o.lockedUntil)}
      </Tag>
    ),
    o.mustChangePassword && (
      <Tag key="change" color={TONE_COLORS.warn}>
        需改密码
      </Tag>
    ),
  ].filter(Boolean);
  return tags.length ? tags : <Tag color={TONE_COLORS.ok}>正常</Tag>;
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
  const columns: TableColumnsType<OperatorAdminView> = [
    { title: '工号', key: 'id', render: (_, o) => <span className="code">{o.id}</span>, width: 110 },
    { title: '姓名', key: 'name', render: (_, o) => o.name, width: 110 },
    { title: '角色', key: 'roles', render: (_, o) => o.roles.map((r) => ROLE_LABELS[r]).join('、'), width: 200 },
    { title: '状态', key: 'state', render: (_, o) => <span className="operator-state">{stateTags(o, now)}</span> },
    {
      title: '操作',
      key: 'actions',
      width: 240,
      render: (_, o) => (
        <Space size={4}>
          <Button size="small" data-testid={`operator-reset-${o.id}`} onClick={() => setResetting(o.id)}>
            重置密码
          </Button>
          {o.lockedUntil && (
            <Button
              size="small"
              data-testid={`operator-unlock-${o.id}`}
              onClick={() => void act(`已解锁 ${o.id}`, api.unlockOperator({ id: o.id }))}
            >
              解锁
            </Button>
          )}
          {o.disabled ? (
            <Button
              size="small"
              data-testid={`operator-enable-${o.id}`}
              onClick={() => void act(`已启用 ${o.id}`, api.enableOperator({ id: o.id }))}
            >
              启用
            </Button>
          ) : (
            <Button
              size="small"
              danger
              data-testid={`operator-disable-${o.id}`}
              onClick={() => void act(`已停用 ${o.id}`, api.disableOperator({ id: o.id }))}
            >
              停用
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
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
        {message && 'ok' in message && <Alert type="success" showIcon title={message.ok} data-testid="operators-message" />}
        {message && 'error' in message && <ErrorNotice error={message.error} testId="operators-message-error" />}
      </div>
      <QueryResult query={operators} errorTestId="operators-error">
        {(rows) => <ScrollTable data-testid="operators-table" columns={columns} rows={rows} rowKey={(o) => o.id} empty="尚无操作员" />}
      </QueryResult>
    </>
  );
}
