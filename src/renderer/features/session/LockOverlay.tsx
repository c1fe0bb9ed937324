import { useId, useState, type FormEvent } from 'react';
import { Button } from 'antd';
import type { SignedInOperator } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { useModalLayer } from '../../common/modal-layer';
import { PasswordField } from '../../common/PasswordField';
import { useStation } from '../../common/station-context';
import { SignInCard } from './SignInCard';

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
      <SignInCard title="屏幕已锁定" titleId={titleId} subtitle={`${operator.name} · ${operator.id}，请输入密码继续`} onSubmit={submit}>
        <PasswordField label="密码" purpose="current" autoFocus data-testid="unlock-password" value={password} onChange={setPassword} />
        {error && <ErrorNotice error={error} testId="unlock-error" />}
        <Button type="primary" htmlType="submit" size="large" block data-testid="unlock-submit" loading={pending}>
          {pending ? '正在解锁…' : '解锁'}
        </Button>
        <Button type="text" block data-testid="lock-signout" onClick={onSignOut}>
          其他操作员登录（退出 {operator.name}）
        </Button>
      </SignInCard>
    </div>
  );
}
