import { useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Form, Input, type InputRef } from 'antd';
import { LoginInput } from '../../../shared/api';
import type { SignedInOperator, StationInfo } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { PasswordField } from '../../common/PasswordField';
import { useStation } from '../../common/station-context';
import { SignInCard } from './SignInCard';

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
  const loginRef = useRef<InputRef>(null);
  const passwordRef = useRef<InputRef>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    // Enter in the 工号 field moves on to the password, as at every other terminal the cashiers use.
    if (login.trim() && !password && document.activeElement === loginRef.current?.input) {
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

  const badCredentials = error?.code === 'BAD_CREDENTIALS';
  return (
    <main className="signin">
      <SignInCard title="医保结算工作站" subtitle={info.institutionName} data-testid="login-form" onSubmit={submit}>
        {notice && <Alert type="info" showIcon title={notice} />}
        <Form.Item label="工号" className="field" validateStatus={badCredentials ? 'error' : undefined}>
          <Input
            ref={loginRef}
            data-testid="login-user"
            autoFocus
            autoComplete="username"
            spellCheck={false}
            value={login}
            onChange={(event) => setLogin(event.target.value)}
          />
        </Form.Item>
        <PasswordField
          label="密码"
          purpose="current"
          data-testid="login-password"
          inputRef={passwordRef}
          invalid={badCredentials}
          value={password}
          onChange={setPassword}
        />
        {error && <ErrorNotice error={error} testId="login-error" />}
        <Button type="primary" htmlType="submit" size="large" block data-testid="login-submit" loading={pending}>
          {pending ? '正在登录…' : '登录'}
        </Button>
        <footer className="signin-card__footer">
          <span>工作站 {info.stationId}</span>
          <span>v{info.version}</span>
        </footer>
      </SignInCard>
    </main>
  );
}
