import { useState, type FormEvent } from 'react';
import { AddOperatorInput, ResetPasswordInput, type OperationArgs } from '../../../shared/api';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';
import { Button, TextField } from '../../ui';

const PASSWORD_HINT = '至少 8 位，须同时包含字母和数字，不能与工号相同；对方首次登录须修改';

type Submit<T> = (input: T) => Promise<Result<unknown>>;

function invalid(message: string | undefined): ApiError {
  return { code: 'INVALID_ARGUMENT', message: message ?? '请填写完整' };
}

/** 新增操作员: 工号, 姓名, one or more roles, an initial password the operator must change. */
export function AddOperatorForm({ onSubmit, onError }: { onSubmit: Submit<OperationArgs<'addOperator'>>; onError: (e: ApiError) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['cashier']);
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = AddOperatorInput.safeParse({ id, name, roles, password });
    if (!parsed.success) return onError(invalid(parsed.error.issues[0]?.message));
    setPending(true);
    const result = await onSubmit(parsed.data);
    setPending(false);
    if (result.ok) {
      setId('');
      setName('');
      setPassword('');
    }
  }

  const toggle = (role: Role) => setRoles((now) => (now.includes(role) ? now.filter((r) => r !== role) : [...now, role]));
  return (
    <form className="operator-form" data-testid="operator-add-form" onSubmit={submit} noValidate aria-label="新增操作员">
      <TextField label="工号" data-testid="operator-add-id" spellCheck={false} value={id} onChange={(e) => setId(e.target.value)} />
      <TextField label="姓名" data-testid="operator-add-name" value={name} onChange={(e) => setName(e.target.value)} />
      <fieldset className="operator-form__roles">
        <legend className="field__label">角色</legend>
        {ROLES.map((role) => (
          <label key={role}>
            <input type="checkbox" data-testid={`operator-add-role-${role}`} checked={roles.includes(role)} onChange={() => toggle(role)} />{' '}
            {ROLE_LABELS[role]}
          </label>
        ))}
      </fieldset>
      <TextField
        label="初始密码"
        type="password"
        data-testid="operator-add-password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" variant="primary" data-testid="operator-add-submit" disabled={pending}>
        新增操作员
      </Button>
      <p className="admin-panel__note operator-form__note">初始密码{PASSWORD_HINT}</p>
    </form>
  );
}

/** 重置密码 for one operator: the new password must be changed at their next sign-in. */
export function ResetPasswordForm({
  id,
  onSubmit,
  onError,
  onCancel,
}: {
  id: string;
  onSubmit: Submit<OperationArgs<'resetOperatorPassword'>>;
  onError: (e: ApiError) => void;
  onCancel: () => void;
}) {
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = ResetPasswordInput.safeParse({ id, password });
    if (!parsed.success) return onError(invalid(parsed.error.issues[0]?.message));
    setPending(true);
    const result = await onSubmit(parsed.data);
    setPending(false);
    if (result.ok) onCancel();
  }

  return (
    <form className="operator-form" data-testid="operator-reset-form" onSubmit={submit} noValidate aria-label={`重置 ${id} 的密码`}>
      <TextField
        label={`${id} 的新密码`}
        type="password"
        autoFocus
        data-testid="operator-reset-password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" variant="primary" data-testid="operator-reset-submit" disabled={pending}>
        重置密码
      </Button>
      <Button onClick={onCancel}>取消</Button>
      <p className="admin-panel__note operator-form__note">新密码{PASSWORD_HINT}</p>
    </form>
  );
}
