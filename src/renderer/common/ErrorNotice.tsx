import type { ApiError } from '../../shared/result';
import { Notice } from '../ui';
import { describeError, errorDetailLine } from './error-text';

/**
 * An error from the station in the operator's words: what happened, what to do now, and a small line with the
 * core's reason and the code for support. `data-code` keeps the exact code for tests.
 */
export function ErrorNotice({ error, testId }: { error: ApiError; testId: string }) {
  const text = describeError(error);
  return (
    <Notice tone="danger" title={text.title} data-testid={testId} data-code={error.code}>
      <p className="notice__next">{text.next}</p>
      <p className="notice__detail">{errorDetailLine(text)}</p>
    </Notice>
  );
}
