import { Alert } from 'antd';
import type { ApiError } from '../../shared/result';
import { describeError, errorDetailLine } from './error-text';

/**
 * An error from the station in the operator's words: what happened, what to do now, and a small line with the
 * core's reason and the code for support. `data-code` keeps the exact code for tests.
 */
export function ErrorNotice({ error, testId }: { error: ApiError; testId: string }) {
  const text = describeError(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="error-notice notice"
      data-testid={testId}
      data-code={error.code}
      title={<span className="notice__title">{text.title}</span>}
      description={
        <>
          <span className="notice__next">{text.next}</span>
          <span className="notice__detail">{errorDetailLine(text)}</span>
        </>
      }
    />
  );
}
