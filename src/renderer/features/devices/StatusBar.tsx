import type { ReactNode } from 'react';
import type { StationInfo } from '../../../shared/domain';
import { PrinterBadge } from '../receipt';
import { DeviceBadge } from './DeviceBadge';
import { useConnectivity, useDevices } from './DeviceStatusProvider';
import { NhsaBadge } from './NhsaBadge';

/** Fixed at the bottom of every signed-in screen: the centre, each device, what the layout adds (待核实), the station. */
export function StatusBar({ info, extra }: { info: StationInfo; extra?: ReactNode }) {
  const devices = useDevices();
  const connectivity = useConnectivity();
  return (
    <footer className="status-bar" data-testid="status-bar" aria-label="设备与连接状态">
      <div className="status-bar__group">
        <NhsaBadge connectivity={connectivity} />
        {devices === null && <span className="status-bar__note">正在读取设备状态…</span>}
        {devices?.length === 0 && <span className="status-bar__note">本工作站未配置外设</span>}
        {devices?.map((device) => (
          <DeviceBadge key={device.id} device={device} />
        ))}
        <PrinterBadge />
        {extra}
      </div>
      <div className="status-bar__group status-bar__station">
        <span>工作站 {info.stationId}</span>
        <span>{info.institutionCode}</span>
        <span>v{info.version}</span>
      </div>
    </footer>
  );
}
