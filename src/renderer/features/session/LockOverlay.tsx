import { useId, useState, type FormEvent } from 'react';
import type { SignedInOperator } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useModalLayer } from '../../common/modal-layer';
import { useStation } from '../../common/station-context';
import { Button, TextField } from '../../ui';

interface LockOverlayProps {
  operator: SignedInOperator;
  onUnlocked: () => void;
  /** Another operator takes the window: this session signs out (its patient and order are left as they are). */
  onSignOut: () => void;
}

/**
 * The locked window: covers the screen without unmounting it, so the patient and order behind stay exactly as
 * they were; only the same operator's password opens it again.
 */
export function LockOverlay({ operator, onUnlocked, onSignOut }: LockOverlayProps) {
  const api = useStation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const titleId = useId();
  useModalLayer();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!password) return setError({ code: 'INVALID_ARGUMENT', message: '请输入密码' });
    setPending(true);
    const result = await api.unlockSession({ password });
    setPending(false);
    setPassword('');
    if (result.ok) onUnlocked();
    else setError(result.error);
  }

  return (
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="lock-overlay">
      <form className="login__card" onSubmit={submit} noValidate>
        <header className="login__header">
          <h2 id={titleId} className="login__title">
            屏幕已锁定
          </h2>
          <p className="login__institution">
            {operator.name} · {operator.id}，请输入密码继续
          </p>
        </header>
        <TextField
          label="密码"
          type="password"
          autoFocus
          data-testid="unlock-password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && <ErrorNotice error={error} testId="unlock-error" />}
        <Button type="submit" variant="primary" size="lg" data-testid="unlock-submit" disabled={pending}>
          {pending ? '正在解锁…' : '解锁'}
        </Button>
        <Button variant="quiet" data-testid="lock-signout" onClick={onSignOut}>
          其他操作员登录（退出 {operator.name}）
        </Button>
      </form>
    </div>
  );
}
