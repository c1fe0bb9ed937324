/** The StationApi and its link state for the component tree, and the hooks screens use to reach them. */
import { createContext, useContext, useEffect, useEffectEvent, useSyncExternalStore, type ReactNode } from 'react';
import { subscriptionName, type StationApi, type StationEventMap, type StationEventName, type Unsubscribe } from '../../shared/api';
import type { BridgeLinkSnapshot } from '../bridge/link';
import type { StationBridge } from '../bridge/station';

const StationContext = createContext<StationBridge | null>(null);

export function StationProvider({ bridge, children }: { bridge: StationBridge; children: ReactNode }) {
  return <StationContext value={bridge}>{children}</StationContext>;
}

function useBridge(): StationBridge {
  const bridge = useContext(StationContext);
  if (!bridge) throw new Error('useStation outside <StationProvider>');
  return bridge;
}

export function useStation(): StationApi {
  return useBridge().api;
}

export function useBridgeLink(): BridgeLinkSnapshot {
  const { link } = useBridge();
  return useSyncExternalStore(link.subscribe, link.current);
}

/** Listens to a station event while the component is mounted; the listener always sees the latest render. */
export function useStationEvent<E extends StationEventName>(event: E, listener: (payload: StationEventMap[E]) => void): void {
  const api = useStation();
  const onEvent = useEffectEvent(listener);
  useEffect(() => {
    // An indexed mapped type loses the link between `event` and its payload; subscriptionName keeps them paired.
    const subscribe = api[subscriptionName(event)] as (cb: (payload: StationEventMap[E]) => void) => Unsubscribe;
    return subscribe((payload) => onEvent(payload));
  }, [api, event]);
}
