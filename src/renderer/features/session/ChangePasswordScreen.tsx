import { useState, type FormEvent } from 'react';
import { ChangePasswordInput } from '../../../shared/api';
import type { SignedInOperator } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useStation } from '../../common/station-context';
import { Button, Notice, TextField } from '../../ui';

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
    <main className="login">
      <form className="login__card" data-testid="change-password-form" onSubmit={submit} noValidate>
        <header className="login__header">
          <h1 className="login__title">请修改密码</h1>
          <p className="login__institution">
            {operator.name} · {operator.id}
          </p>
        </header>
        <Notice tone="info" title="您的密码由管理员设置，须修改后才能继续使用" />
        <TextField
          label="原密码"
          type="password"
          autoFocus
          data-testid="change-current"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <TextField
          label="新密码"
          type="password"
          hint="至少 8 位，须同时包含字母和数字，不能与工号或原密码相同"
          data-testid="change-next"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <TextField
          label="再次输入新密码"
          type="password"
          data-testid="change-again"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
        {error && <ErrorNotice error={error} testId="change-error" />}
        <Button type="submit" variant="primary" size="lg" data-testid="change-submit" disabled={pending}>
          {pending ? '正在保存…' : '修改密码'}
        </Button>
        <Button variant="quiet" data-testid="change-signout" onClick={onSignOut}>
          退出登录
        </Button>
      </form>
    </main>
  );
}
