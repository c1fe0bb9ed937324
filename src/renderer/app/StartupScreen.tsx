import type { ApiError } from '../../shared/result';
import { ErrorNotice } from '../common/ErrorNotice';
import { Button, Spinner } from '../ui';

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
          <Button variant="primary" onClick={onRetry}>
            重试
          </Button>
        </div>
      ) : (
        <p className="startup__progress" role="status">
          <Spinner size="lg" />
          正在连接工作站核心…
        </p>
      )}
    </main>
  );
}
