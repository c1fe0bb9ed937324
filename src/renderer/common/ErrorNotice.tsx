import type { ApiError } from '../../shared/result';
import { Notice } from '../ui';
import { describeError } from './error-text';

/** An error from the station, in the operator's words; `data-code` keeps the exact code for tests and support. */
export function ErrorNotice({ error, testId }: { error: ApiError; testId: string }) {
  const { title, detail } = describeError(error);
  return (
    <Notice tone="danger" title={title} data-testid={testId} data-code={error.code}>
      {detail}
    </Notice>
  );
}
