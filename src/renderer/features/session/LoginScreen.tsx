import { useRef, useState, type FormEvent } from 'react';
import { LoginInput } from '../../../shared/api';
import type { SignedInOperator, StationInfo } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useStation } from '../../common/station-context';
import { Button, Notice, TextField } from '../../ui';

interface LoginScreenProps {
  info: StationInfo;
  notice: string | null;
  onSignedIn: (operator: SignedInOperator) => void;
}

export function LoginScreen({ info, notice, onSignedIn }: LoginScreenProps) {
  const api = useStation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    // Enter in the 工号 field moves on to the password, as at every other terminal the cashiers use.
    if (login.trim() && !password && document.activeElement === loginRef.current) {
      passwordRef.current?.focus();
      return;
    }
    // The contract's own schema: an empty field is caught here, in the same words the core would use.
    const parsed = LoginInput.safeParse({ login, password });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError({ code: 'INVALID_ARGUMENT', message: issue?.message ?? '请输入工号和密码' });
      (issue?.path[0] === 'login' ? loginRef : passwordRef).current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    const result = await api.login(parsed.data);
    if (result.ok) {
      onSignedIn(result.value);
      return;
    }
    setPending(false);
    setError(result.error);
    setPassword('');
    passwordRef.current?.focus();
  }

  return (
    <main className="login">
      <form className="login__card" data-testid="login-form" onSubmit={submit} noValidate>
        <header className="login__header">
          <h1 className="login__title">医保结算工作站</h1>
          <p className="login__institution">{info.institutionName}</p>
        </header>
        {notice && <Notice tone="info" title={notice} />}
        <TextField
          ref={loginRef}
          label="工号"
          data-testid="login-user"
          autoFocus
          autoComplete="username"
          spellCheck={false}
          value={login}
          aria-invalid={error?.code === 'BAD_CREDENTIALS' || undefined}
          onChange={(event) => setLogin(event.target.value)}
        />
        <TextField
          ref={passwordRef}
          label="密码"
          type="password"
          data-testid="login-password"
          autoComplete="current-password"
          value={password}
          aria-invalid={error?.code === 'BAD_CREDENTIALS' || undefined}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error && <ErrorNotice error={error} testId="login-error" />}
        <Button type="submit" variant="primary" size="lg" data-testid="login-submit" disabled={pending}>
          {pending ? '正在登录…' : '登录'}
        </Button>
        <footer className="login__footer">
          <span>工作站 {info.stationId}</span>
          <span>v{info.version}</span>
        </footer>
      </form>
    </main>
  );
}
