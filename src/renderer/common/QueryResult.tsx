import type { ReactNode } from 'react';
import { Spin } from 'antd';
import { ErrorNotice } from './ErrorNotice';
import type { QueryState } from './use-station-query';

interface QueryResultProps<T> {
  query: QueryState<T>;
  errorTestId: string;
  children: (value: T) => ReactNode;
}

/** Loading, failure or the value of a station query, the same way on every screen. */
export function QueryResult<T>({ query, errorTestId, children }: QueryResultProps<T>) {
  switch (query.status) {
    case 'loading':
      return (
        <p className="query-loading" role="status">
          <Spin size="small" /> 正在加载…
        </p>
      );
    case 'failed':
      return <ErrorNotice error={query.error} testId={errorTestId} />;
    case 'ready':
      return children(query.value);
  }
}
