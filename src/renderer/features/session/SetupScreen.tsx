import { useState, type FormEvent } from 'react';
import { SetUpFirstAdminInput } from '../../../shared/api';
import type { StationInfo } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useStation } from '../../common/station-context';
import { Button, Notice, TextField } from '../../ui';

/**
 * First run of a live station (issue 11): no operator exists and there is no default password, so whoever
 * installs it creates the first administrator here; the core refuses everything else until then.
 */
export function SetupScreen({ info, onDone }: { info: StationInfo; onDone: () => void }) {
  const api = useStation();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const parsed = SetUpFirstAdminInput.safeParse({ id, name, password });
    if (!parsed.success) return setError({ code: 'INVALID_ARGUMENT', message: parsed.error.issues[0]?.message ?? '请填写完整' });
    if (password !== again) return setError({ code: 'INVALID_ARGUMENT', message: '两次输入的密码不一致' });
    setPending(true);
    const result = await api.setUpFirstAdmin(parsed.data);
    setPending(false);
    if (result.ok) onDone();
    else setError(result.error);
  }

  return (
    <main className="login">
      <form className="login__card" data-testid="setup-form" onSubmit={submit} noValidate>
        <header className="login__header">
          <h1 className="login__title">首次使用：创建系统管理员</h1>
          <p className="login__institution">{info.institutionName}</p>
        </header>
        <Notice tone="info" title="本工作站还没有操作员">
          请创建第一个系统管理员，之后由管理员在「系统管理 › 操作员」中添加收费员等账号。
        </Notice>
        <TextField label="工号" data-testid="setup-id" autoFocus spellCheck={false} value={id} onChange={(e) => setId(e.target.value)} />
        <TextField label="姓名" data-testid="setup-name" value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="密码"
          type="password"
          hint="至少 8 位，须同时包含字母和数字，不能与工号相同"
          data-testid="setup-password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <TextField
          label="再次输入密码"
          type="password"
          data-testid="setup-password-again"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
        {error && <ErrorNotice error={error} testId="setup-error" />}
        <Button type="submit" variant="primary" size="lg" data-testid="setup-submit" disabled={pending}>
          {pending ? '正在创建…' : '创建管理员'}
        </Button>
      </form>
    </main>
  );
}
