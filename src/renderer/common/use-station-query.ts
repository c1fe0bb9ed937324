import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { StationApi } from '../../shared/api';
import type { ApiError, Result } from '../../shared/result';
import { useBridgeLink, useStation } from './station-context';

export type QueryState<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; error: ApiError };

/**
 * Loads a read-only station call on mount, again on `reload()`, and again whenever the link reopens (a new
 * connection may have missed changes). A reload keeps the previous answer on screen until the new one lands.
 */
export function useStationQuery<T>(load: (api: StationApi) => Promise<Result<T>>): QueryState<T> & { reload: () => void } {
  const api = useStation();
  const { opens } = useBridgeLink();
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const run = useEffectEvent(() => load(api));

  useEffect(() => {
    if (opens === 0) return; // the first connection will bring the first answer
    let current = true;
    void run().then((result) => {
      if (current) setState(result.ok ? { status: 'ready', value: result.value } : { status: 'failed', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [opens, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
