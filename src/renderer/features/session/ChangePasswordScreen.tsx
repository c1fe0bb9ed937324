import { useState, type FormEvent } from 'react';
import { Alert, Button } from 'antd';
import { ChangePasswordInput } from '../../../shared/api';
import type { SignedInOperator } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { NEW_PASSWORD_RULE, PasswordField } from '../../common/PasswordField';
import { useStation } from '../../common/station-context';
import { SignInCard } from './SignInCard';

interface ChangePasswordScreenProps {
  operator: SignedInOperator;
  onChanged: (operator: SignedInOperator) => void;
  onSignOut: () => void;
}

/** After signing in with a password an administrator set: the core allows nothing else until it is changed. */
export function ChangePasswordScreen({ operator, onChanged, onSignOut }: ChangePasswordScreenProps) {
  const api = useStation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const parsed = ChangePasswordInput.safeParse({ current, next });
    if (!parsed.success) return setError({ code: 'INVALID_ARGUMENT', message: parsed.error.issues[0]?.message ?? '请填写完整' });
    if (next !== again) return setError({ code: 'INVALID_ARGUMENT', message: '两次输入的新密码不一致' });
    setPending(true);
    const result = await api.changePassword(parsed.data);
    setPending(false);
    if (result.ok) onChanged(result.value);
    else setError(result.error);
  }

  return (
    <main className="signin">
      <SignInCard title="请修改密码" subtitle={`${operator.name} · ${operator.id}`} data-testid="change-password-form" onSubmit={submit}>
        <Alert type="info" showIcon title="您的密码由管理员设置，须修改后才能继续使用" />
        <PasswordField label="原密码" purpose="current" autoFocus data-testid="change-current" value={current} onChange={setCurrent} />
        <PasswordField
          label="新密码"
          purpose="new"
          hint={`${NEW_PASSWORD_RULE}，也不能与原密码相同`}
          data-testid="change-next"
          value={next}
          onChange={setNext}
        />
        <PasswordField label="再次输入新密码" purpose="new" data-testid="change-again" value={again} onChange={setAgain} />
        {error && <ErrorNotice error={error} testId="change-error" />}
        <Button type="primary" htmlType="submit" size="large" block data-testid="change-submit" loading={pending}>
          {pending ? '正在保存…' : '修改密码'}
        </Button>
        <Button type="text" block data-testid="change-signout" onClick={onSignOut}>
          退出登录
        </Button>
      </SignInCard>
    </main>
  );
}
