/**
 * Live device and insurance-centre status for a signed-in window: loaded once per connection, then kept
 * current by the core's events. One provider feeds the status bar, the scan prompt and the admin panel.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ConnectivityView, DeviceStatusView } from '../../../shared/domain';
import { useBridgeLink, useStation, useStationEvent } from '../../common/station-context';

interface LiveStatus {
  /** `null` until the first answer */
  devices: DeviceStatusView[] | null;
  connectivity: ConnectivityView | null;
}

const LiveStatusContext = createContext<LiveStatus>({ devices: null, connectivity: null });

export function DeviceStatusProvider({ children }: { children: ReactNode }) {
  const api = useStation();
  const { opens } = useBridgeLink();
  const [devices, setDevices] = useState<DeviceStatusView[] | null>(null);
  const [connectivity, setConnectivity] = useState<ConnectivityView | null>(null);

  useStationEvent('deviceStatus', (update) => setDevices((list) => list && upsert(list, update)));
  useStationEvent('connectivity', setConnectivity);

  useEffect(() => {
    let current = true;
    void api.listDevices({}).then((result) => current && result.ok && setDevices(result.value));
    void api.getConnectivity({}).then((result) => current && result.ok && setConnectivity(result.value));
    return () => {
      current = false;
    };
  }, [api, opens]);

  return <LiveStatusContext value={{ devices, connectivity }}>{children}</LiveStatusContext>;
}

function upsert(list: DeviceStatusView[], update: DeviceStatusView): DeviceStatusView[] {
  return list.some((device) => device.id === update.id)
    ? list.map((device) => (device.id === update.id ? update : device))
    : [...list, update];
}

export function useDevices(): DeviceStatusView[] | null {
  return useContext(LiveStatusContext).devices;
}

export function useConnectivity(): ConnectivityView | null {
  return useContext(LiveStatusContext).connectivity;
}
