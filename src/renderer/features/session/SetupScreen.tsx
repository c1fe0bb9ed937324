import { useState, type FormEvent } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { SetUpFirstAdminInput } from '../../../shared/api';
import type { StationInfo } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { ErrorNotice } from '../../common/ErrorNotice';
import { NEW_PASSWORD_RULE, PasswordField } from '../../common/PasswordField';
import { useStation } from '../../common/station-context';
import { SignInCard } from './SignInCard';

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
    <main className="signin">
      <SignInCard title="首次使用：创建系统管理员" subtitle={info.institutionName} data-testid="setup-form" onSubmit={submit}>
        <Alert
          type="info"
          showIcon
          title="本工作站还没有操作员"
          description="请创建第一个系统管理员，之后由管理员在「系统管理 › 操作员」中添加收费员等账号。"
        />
        <div className="signin-card__pair">
          <Form.Item label="工号" className="field">
            <Input data-testid="setup-id" autoFocus spellCheck={false} value={id} onChange={(e) => setId(e.target.value)} />
          </Form.Item>
          <Form.Item label="姓名" className="field">
            <Input data-testid="setup-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Form.Item>
        </div>
        <PasswordField
          label="密码"
          purpose="new"
          hint={NEW_PASSWORD_RULE}
          data-testid="setup-password"
          value={password}
          onChange={setPassword}
        />
        <PasswordField label="再次输入密码" purpose="new" data-testid="setup-password-again" value={again} onChange={setAgain} />
        {error && <ErrorNotice error={error} testId="setup-error" />}
        <Button type="primary" htmlType="submit" size="large" block data-testid="setup-submit" loading={pending}>
          {pending ? '正在创建…' : '创建管理员'}
        </Button>
      </SignInCard>
    </main>
  );
}
