import { Button, Spin } from 'antd';
import type { ApiError } from '../../shared/result';
import { ErrorNotice } from '../common/ErrorNotice';

interface StartupScreenProps {
  /** set when the station could not describe itself */
  error?: ApiError;
  onRetry?: () => void;
}

export function StartupScreen({ error, onRetry }: StartupScreenProps) {
  return (
    <main className="startup" data-testid="startup">
      {error ? (
        <div className="startup__failure">
          <ErrorNotice error={error} testId="startup-error" />
          <Button type="primary" onClick={onRetry} data-testid="startup-retry">
            重试
          </Button>
        </div>
      ) : (
        <p className="startup__progress" role="status">
          <Spin size="large" />
          正在连接工作站核心…
        </p>
      )}
    </main>
  );
}
