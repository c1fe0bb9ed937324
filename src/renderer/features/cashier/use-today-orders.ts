import { useCallback, useEffect, useReducer, useState } from 'react';
import type { OrderView } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { useBridgeLink, useStation, useStationEvent } from '../../common/station-context';
import { sortByActivity, upsertOrder } from './today-orders';

type TodayState = { status: 'loading' } | { status: 'ready'; orders: OrderView[] } | { status: 'failed'; error: ApiError };
type TodayAction = { type: 'loaded'; orders: OrderView[] } | { type: 'failed'; error: ApiError } | { type: 'updated'; order: OrderView };

function reduce(state: TodayState, action: TodayAction): TodayState {
  switch (action.type) {
    case 'loaded':
      return { status: 'ready', orders: sortByActivity(action.orders) };
    case 'failed':
      // A failed reload keeps the list on screen only if there was none to keep.
      return state.status === 'ready' ? state : { status: 'failed', error: action.error };
    case 'updated':
      return state.status === 'ready' ? { status: 'ready', orders: upsertOrder(state.orders, action.order) } : state;
  }
}

/**
 * Today's orders of this operator (listTodayOrders), kept live: every `orderUpdated` event is upserted by id,
 * and the list is loaded again when the link to the core reopens (it may have missed events) or on reload().
 */
export function useTodayOrders() {
  const api = useStation();
  const { opens } = useBridgeLink();
  const [generation, setGeneration] = useState(0);
  const [state, dispatch] = useReducer(reduce, { status: 'loading' });
  const [reloadError, setReloadError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (opens === 0) return;
    let current = true;
    void api.listTodayOrders({}).then((r) => {
      if (!current) return;
      setReloadError(r.ok ? null : r.error);
      dispatch(r.ok ? { type: 'loaded', orders: r.value } : { type: 'failed', error: r.error });
    });
    return () => {
      current = false;
    };
  }, [api, opens, generation]);

  useStationEvent('orderUpdated', (order) => dispatch({ type: 'updated', order }));

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { state, reloadError, reload };
}
