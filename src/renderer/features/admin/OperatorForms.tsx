import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Form, Input } from 'antd';
import { AddOperatorInput, ResetPasswordInput, type OperationArgs } from '../../../shared/api';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/domain';
import type { ApiError, Result } from '../../../shared/result';
import { NEW_PASSWORD_RULE, PasswordField } from '../../common/PasswordField';

const MUST_CHANGE = '；对方首次登录须修改';

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
      <Form layout="vertical" component={false}>
        <Form.Item label="工号" className="field">
          <Input data-testid="operator-add-id" spellCheck={false} value={id} onChange={(e) => setId(e.target.value)} />
        </Form.Item>
        <Form.Item label="姓名" className="field">
          <Input data-testid="operator-add-name" value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label="角色" className="field operator-form__roles">
          {ROLES.map((role) => (
            <Checkbox key={role} data-testid={`operator-add-role-${role}`} checked={roles.includes(role)} onChange={() => toggle(role)}>
              {ROLE_LABELS[role]}
            </Checkbox>
          ))}
        </Form.Item>
        <PasswordField label="初始密码" purpose="new" data-testid="operator-add-password" value={password} onChange={setPassword} />
        <Button type="primary" htmlType="submit" data-testid="operator-add-submit" loading={pending}>
          新增操作员
        </Button>
      </Form>
      <p className="operator-form__note">
        初始密码{NEW_PASSWORD_RULE}
        {MUST_CHANGE}
      </p>
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
      <Form layout="vertical" component={false}>
        <PasswordField
          label={`${id} 的新密码`}
          purpose="new"
          autoFocus
          data-testid="operator-reset-password"
          value={password}
          onChange={setPassword}
        />
        <Button type="primary" htmlType="submit" data-testid="operator-reset-submit" loading={pending}>
          重置密码
        </Button>
        <Button onClick={onCancel}>取消</Button>
      </Form>
      <p className="operator-form__note">
        新密码{NEW_PASSWORD_RULE}
        {MUST_CHANGE}
      </p>
    </form>
  );
}
